"""European Preservation and Production Orders (Regulation (EU) 2023/1543): when they apply to the
case, to whom they go, and their steps in the preserve and obtain stages.
"""
from __future__ import annotations

from kb.route import rules as R
from kb.route.case import Case
from kb.route.step import Step


def eu_addressee(case: Case) -> tuple[str, str] | None:
    """(who, Member State) an EU order would go to, or None with a gap explaining why not."""
    if case.prov:
        ent = case.eu_entity
        if not ent:
            case.gaps.append(f"EU orders: no EU establishment or legal representative of {case.prov.name} is "
                             f"curated; check its guidelines or the notification to your central authority.")
            return None
        return f"{ent.get('name')} ({ent.get('role')}, {ent.get('country')})", ent.get("country", "").upper()
    if case.target and R.eu_member(case.target_code):
        return f"The provider's establishment in {case.target.name}", case.target_code
    return None


def eu_order_possible(case: Case, label: str) -> tuple[str, str] | None:
    if not case.req.from_ or not R.eevidence_bound(case.req.from_):
        if case.req.from_ and R.eu_member(case.req.from_):
            case.gaps.append(f"{label}: {case.frm_name} is not bound by Regulation (EU) 2023/1543.")
        return None
    if not R.eevidence_applies(case.today):
        case.gaps.append(f"{label}: Regulation (EU) 2023/1543 applies only from "
                         f"{R.EEVIDENCE_APPLIES.isoformat()}; today is {case.today.isoformat()}.")
        return None
    addressee = eu_addressee(case)
    if not addressee:
        return None
    who, state = addressee
    if state == case.req.from_:
        case.gaps.append(f"{label}: the addressee is established in {case.frm_name} itself, so the Regulation "
                         "(orders to another Member State) does not apply; use your domestic order.")
        return None
    if state in R.EEVIDENCE_NOT_BOUND:
        case.gaps.append(f"{label}: the addressee is in Denmark, which is not bound by the Regulation.")
        return None
    return who, state


def eu_applies_note(case: Case) -> str:
    return (f"Applicable since {R.EEVIDENCE_APPLIES.isoformat()} (checked against today, "
            f"{case.today.isoformat()}).")


def eu_order_step(case: Case, stage: str, order: str, certificate: str) -> tuple[Step, str] | None:
    """The step of a European Preservation or Production Order (`certificate`: EPOC-PR or EPOC), with
    what both share; None when the Regulation does not reach this case. Returns the step and the state."""
    hit = eu_order_possible(case, order)
    if not hit:
        return None
    who, state = hit
    s = Step(stage, f"eu-{order.split()[1].lower()}-order", f"{order} ({certificate})", who)
    s.how.append(f"Your issuing authority sends a {order} Certificate ({certificate}) to the addressee "
                 "through the e-evidence IT system.")
    s.limits.append(eu_applies_note(case))
    s.rule("eevidence-applies", "pitfalls")
    return s, state


def eu_preservation(case: Case) -> Step | None:
    made = eu_order_step(case, "preserve", "European Preservation Order", "EPOC-PR")
    if not made:
        return None
    s, state = made
    s.rule("eevidence-scope")
    s.rule("eevidence-preservation-period")
    s.rule("eevidence-languages", "languages")
    s.include = ["Issuing authority and its contacts", "The addressee and the data to preserve, with identifiers "
                 "and time range", "The offence", "That a request for production will follow"]
    s.rule("eevidence-non-exclusive", "pitfalls")
    return s


def eu_production(case: Case) -> Step | None:
    made = eu_order_step(case, "obtain", "European Production Order", "EPOC")
    if not made:
        return None
    s, state = made
    if case.req.data == "subscriber":
        s.rule("eevidence-subscriber")
    else:
        if case.req.data == "traffic":
            s.rule("eevidence-subscriber")
        s.rule("eevidence-threshold")
        s.rule("eevidence-notification", "pitfalls")
    s.rule("eevidence-authority")
    s.rule("eevidence-deadlines")
    s.rule("eevidence-scope")
    s.rule("eevidence-languages", "languages")
    s.include = ["Issuing (and validating) authority", "The addressee, the data categories, identifiers and time "
                 "range", "The offence and its maximum penalty", "For an emergency: why it is one (8-hour deadline)"]
    s.rule("eevidence-non-exclusive", "pitfalls")
    return s
