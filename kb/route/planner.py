"""Plan a request route: which channels, in which order, for one case. Pure functions, no Flask.

`parse(args, kb)` turns query parameters into a `Request` (or raises `PlanError` with a sentence);
`plan(request, kb, today)` returns `{"request", "steps", "gaps"}` as documented in README.md. Every
step copies the texts and sources of the rules it relies on (`kb.route.rules`) and the facts of
the entries (read through `kb.route.kbview`). A fact that is missing becomes a sentence saying
what is unknown and what to do instead; nothing is guessed.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from kb.route import rules as R
from kb.route.kbview import KBView, Subject

MAX_PARAM = 60


class PlanError(ValueError):
    """Bad parameters; the message is a sentence for the person who sent them."""


@dataclass(frozen=True)
class Request:
    from_: str  # requesting country code, or ""
    provider: str  # provider slug, or ""
    country: str  # country code where the data is, or ""
    data: str  # subscriber | traffic | content
    urgent: bool
    defaults: tuple[str, ...] = ()

    def args(self, **extra) -> dict[str, str]:
        out = {"from": self.from_.lower(), "provider": self.provider, "country": self.country.lower(),
               "data": self.data, "urgent": "1" if self.urgent else "0"}
        out.update(extra)
        return {k: v for k, v in out.items() if v}


def parse(args, kb: KBView) -> Request:
    def get(name: str) -> str:
        raw = (args.get(name) or "").strip()
        if len(raw) > MAX_PARAM:
            raise PlanError(f"The parameter '{name}' is too long ({len(raw)} characters); give a code or slug.")
        return raw

    frm, provider, country, data, urgent = (get(n) for n in ("from", "provider", "country", "data", "urgent"))
    for name, code in (("from", frm), ("country", country)):
        if code and not kb.country(code):
            what = "your (requesting) country" if name == "from" else "the country where the data is"
            raise PlanError(f"There is no country with the code '{code}' in this knowledge base ({name}, "
                            f"{what}); use a two-letter code listed on /countries, e.g. fr or nl.")
    if provider and not kb.provider(provider.lower()):
        raise PlanError(f"There is no provider '{provider}' in this knowledge base; use a name listed on "
                        "/providers, e.g. meta or google.")
    if not provider and not country:
        raise PlanError("Say where the data is: choose a provider (e.g. provider=meta), a country (e.g. country=nl), "
                        "or both.")
    defaults = []
    if not data:
        data, defaults = "content", ["data"]
    elif data not in R.DATA_TYPES:
        raise PlanError(f"The parameter 'data' must be one of {', '.join(R.DATA_TYPES)}; received '{data}'.")
    if urgent not in ("", "0", "1", "on", "true", "false"):
        raise PlanError(f"The parameter 'urgent' must be 0 or 1; received '{urgent}'.")
    return Request(frm.upper(), provider.lower(), country.upper(), data, urgent in ("1", "on", "true"),
                   tuple(defaults))


# --- building blocks --------------------------------------------------------------------------
@dataclass
class Step:
    stage: str
    channel: str
    title: str
    who: str
    how: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    pitfalls: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def rule(self, rule_id: str, where: str = "limits") -> Step:
        """Add a rule's text to a list and its sources to the step."""
        r = R.RULES[rule_id]
        getattr(self, where).append(r.text)
        self.cite(*r.sources)
        return self

    def cite(self, *ids: str) -> Step:
        self.sources += [i for i in ids if i and i not in self.sources]
        return self


CONTACT = (("name", ""), ("unit", "Unit"), ("address", "Address"), ("phone", "Phone"), ("fax", "Fax"),
           ("email", "E-mail"), ("url", "Web"))


def contact_lines(s: Subject, prefix: str, skip_name: bool = False) -> list[str]:
    out = []
    for sub, label in CONTACT:
        v = s.value(f"{prefix}.{sub}")
        if v and not (skip_name and sub == "name"):
            out.append(f"{label}: {v}" if label else v)
    return out


def dated(s: Subject, prefix: str) -> str:
    as_of = s.as_of(prefix)
    return f" (source dated {as_of})" if as_of else ""


@dataclass
class Case:
    req: Request
    kb: KBView
    today: dt.date
    frm: Subject | None
    prov: Subject | None
    target: Subject | None  # the state where the data is held (named, or the provider's headquarters)
    target_code: str  # even when that state has no entry here
    eu_entity: dict | None  # the provider's EU establishment or legal representative
    gaps: list[str]
    local: Subject | None = None  # a country named with a provider that has no entity there (the child's)

    @property
    def frm_name(self) -> str:
        return self.frm.name if self.frm else "your country"

    @property
    def target_name(self) -> str:
        return self.target.name if self.target else (self.target_code or "the state where the data is")


def make_case(req: Request, kb: KBView, today: dt.date) -> Case:
    frm = kb.country(req.from_)
    prov = kb.provider(req.provider)
    gaps: list[str] = []
    target, code = None, req.country
    if req.country:
        target = kb.country(req.country)
    elif prov:
        code = prov.value("headquarters").upper()
        target = kb.country(code) if code else None
        if not code:
            gaps.append(f"{prov.name}'s headquarters country is not curated, so the state that receives "
                        "government-to-government requests is unknown: give the country where the data is "
                        "(country=) or check the provider's guidelines.")
        elif not target:
            gaps.append(f"{prov.name} is headquartered in {code}, which has no entry here: its central authority "
                        "and 24/7 point are not curated.")
    local = None
    if prov and target and prov.value("headquarters"):
        named = {e.get("country", "").upper() for e in prov.items("entities")} | {prov.value("headquarters").upper()}
        if target.code not in named:
            local, code = target, prov.value("headquarters").upper()
            target = kb.country(code)
            gaps.append(f"{prov.name} names no entity in {local.name}: the emergency channels of {local.name} are "
                        f"listed, and preservation and production go to {prov.name}'s jurisdiction "
                        f"({target.name if target else code}).")
    eu_entity = None
    if prov:
        for ent in prov.items("entities"):
            if ent.get("role") in R.EU_ROLES and R.eu_member(ent.get("country", "")):
                eu_entity = ent
                break
    if not req.from_:
        gaps.append("Your own country (from=) was not given, so channels between states (24/7 network, EU orders, "
                    "EIO, CLOUD Act, MLA treaties) are shown with their conditions; choose your country to check "
                    "them for your case.")
    elif req.from_ == code:
        gaps.append(f"The data is held in {frm.name}, your own country: use your domestic procedure (see "
                    f"{frm.url}#legal-process); the cross-border channels below do not apply.")
    if "data" in req.defaults:
        gaps.append("No data type was given; the route is planned for stored content, the strictest case. "
                    "Choose subscriber or traffic data for a shorter route.")
    return Case(req, kb, today, frm, prov, target, code, eu_entity, gaps, local)


def emergency_case(case: Case) -> Case:
    """The case as the emergency steps see it: the child's country when one was named apart."""
    if not case.local:
        return case
    return dataclasses.replace(case, target=case.local, target_code=case.local.code)


def both_parties(case: Case) -> tuple[bool, str]:
    """Whether the 24/7 network is open between the two states, and if not, why."""
    t = case.target
    if not t:
        return False, f"The Convention status of {case.target_name} is not curated."
    ts = t.value("budapest.status")
    if ts != "party":
        return False, f"{t.name} is not a Party to the Convention on Cybercrime (status: {ts or 'not curated'})."
    if case.frm:
        fs = case.frm.value("budapest.status")
        if fs != "party":
            return False, (f"{case.frm.name} is not a Party to the Convention on Cybercrime "
                           f"(status: {fs or 'not curated'}).")
    return True, ""


def domestic(case: Case) -> bool:
    return bool(case.req.from_) and case.req.from_ == case.target_code


# --- emergency --------------------------------------------------------------------------------
def provider_emergency(case: Case) -> Step | None:
    p = case.prov
    if not p:
        return None
    s = Step("emergency", "provider-emergency", f"Emergency disclosure request to {p.name}", "")
    if p.has("emergency"):
        s.who = f"{p.name}: {p.value('emergency.channel') or 'emergency channel'}"
        s.how = [x for x in (p.value("emergency.url"), p.value("emergency.email") and
                             f"E-mail: {p.value('emergency.email')}", p.value("emergency.phone") and
                             f"Phone: {p.value('emergency.phone')}") if x]
        if p.value("emergency.criteria"):
            s.limits.append(f"When {p.name} discloses: {p.value('emergency.criteria')}")
        s.cite(*p.sources("emergency"))
    elif p.not_applicable("emergency"):
        s.who = f"{p.name} (no emergency channel)"
        s.how = [p.not_applicable("emergency"), "Go through your 24/7 point or INTERPOL."]
        s.cite(*p.sources("emergency"))
    else:
        s.who = f"{p.name} (no emergency channel is curated)"
        s.how = ["Not curated: use the law enforcement contact below and mark the request as an emergency, or go "
                 "through your 24/7 point or INTERPOL."]
        case.gaps.append(f"{p.name}'s emergency disclosure channel is not curated; check {p.url}#emergency.")
    if p.has("le_portal"):
        s.how += [f"Law enforcement contact: {line}" for line in contact_lines(p, "le_portal")
                  if not any(line.split(": ")[-1] in h for h in s.how)]
        s.cite(*p.sources("le_portal"))
    s.include = ["The nature of the emergency and why it is imminent (danger of death or serious physical injury, "
                 "a child at risk)", "The account identifiers and the specific data needed to avert the harm",
                 "Why the normal legal process would be too slow", "Your name, unit, official e-mail address and a "
                 "direct phone number for a call-back"]
    s.include += p.values("checklist.items")
    s.cite(*p.sources("checklist"))
    s.languages = ["Not curated for this provider: check its law enforcement guidelines."]
    if p.value("headquarters").upper() == "US":
        s.rule("us-emergency-voluntary")
    s.rule("fraudulent-edr", "pitfalls")
    s.rule("unodc-forms", "pitfalls")
    return s


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def own_point(case: Case) -> str:
    f = case.frm
    if f and f.has("contact_24_7"):
        name = f.value("contact_24_7.name")
        restricted = f.value("contact_24_7.access") == "restricted"
        return f"your 24/7 point of contact ({name}{', details in the restricted directory' if restricted else ''})"
    return "your own national 24/7 point of contact"


def network_target(case: Case, gap: str):
    """The target country when the 24/7 network applies to this pair (both Parties, not domestic);
    otherwise None, with `gap` (formatted with the reason) recorded when the Convention is why."""
    if domestic(case) or not case.target_code:
        return None
    ok, why = both_parties(case)
    if not ok:
        case.gaps.append(gap.format(why=why))
        return None
    return case.target


def network_emergency(case: Case) -> Step | None:
    t = network_target(case, "24/7 network: {why} Use INTERPOL instead.")
    if t is None:
        return None
    s = Step("emergency", "24-7-network", f"Urgent help through the 24/7 network: {t.name}",
             f"{cap(own_point(case))}, which contacts {t.name}'s 24/7 point of contact")
    s.rule("budapest-24-7")
    add_target_24_7(s, case)
    return s


def add_target_24_7(s: Step, case: Case) -> None:
    t = case.target
    if t.has("contact_24_7"):
        lines = contact_lines(t, "contact_24_7")
        if t.value("contact_24_7.access") == "restricted":
            point = t.value("contact_24_7.name") or "name not curated"
            s.how.append(f"{t.name}'s 24/7 point: {point}; its phone and e-mail "
                         f"are in the Council of Europe's restricted 24/7 directory: ask {own_point(case)} to make "
                         "the contact.")
        else:
            s.how += [f"{t.name}'s 24/7 point{dated(t, 'contact_24_7')}: " + "; ".join(lines)]
        if t.value("contact_24_7.note"):
            s.pitfalls.append(t.value("contact_24_7.note"))
        s.cite(*t.sources("contact_24_7"))
    elif t.not_applicable("contact_24_7"):
        s.how.append(t.not_applicable("contact_24_7"))
        s.cite(*t.sources("contact_24_7"))
    else:
        s.how.append(f"{t.name}'s 24/7 point is not curated here: ask {own_point(case)}, which holds the "
                     "Council of Europe's directory.")
        case.gaps.append(f"{t.name}'s 24/7 point of contact is not curated ({t.url}#contact-24-7).")
    s.languages = ["Not curated: agree the language with the 24/7 point (English is not guaranteed)."]


def interpol(case: Case) -> Step:
    t = case.target
    name = case.target_name
    s = Step("emergency", "interpol", f"Police-to-police through INTERPOL: {name}",
             f"Your INTERPOL National Central Bureau, to the NCB of {name}")
    s.how.append("Through your NCB over the I-24/7 network.")
    s.rule("interpol-ncb")
    if t:
        if "INTERPOL" not in (t.data.get("memberships") or []) and "INTERPOL" not in t.values("memberships"):
            s.pitfalls.append(f"{t.name}'s INTERPOL membership is not recorded here; your NCB will know.")
        for ch in t.items("emergency"):
            if ch.get("kind") in ("police", "interpol", "europol", "prosecutor", "24-7"):
                detail = "; ".join(v for k, v in ch.items() if k in ("phone", "email", "url") and v)
                access = " (details restricted)" if ch.get("access") == "restricted" else ""
                as_of = f", source dated {ch['_as_of']}" if ch.get("_as_of") else ""
                s.how.append(f"Also in {t.name}: {ch.get('name', 'channel')}{access}{': ' + detail if detail else ''}"
                             f"{as_of}")
                s.cite(*ch["_sources"])
    s.include = ["What is happening now and to whom", "The identifiers you hold (account, IP address with time and "
                 "time zone)", "What you need the other police to do"]
    s.languages = ["Not curated: your NCB handles the language."]
    return s


# --- preserve ---------------------------------------------------------------------------------
def provider_preservation(case: Case) -> Step | None:
    p = case.prov
    if not p:
        return None
    s = Step("preserve", "provider-preservation", f"Preservation request to {p.name}",
             f"{p.name}: {p.value('le_portal.name') or 'law enforcement contact'}")
    if p.has("preservation"):
        if p.value("preservation.how"):
            s.how.append(p.value("preservation.how"))
        if p.value("preservation.days"):
            s.limits.append(f"{p.name} keeps preserved data for {p.value('preservation.days')} days.")
        if p.value("preservation.extension"):
            s.limits.append(f"Extension: {p.value('preservation.extension')}")
        s.cite(*p.sources("preservation"))
    else:
        s.how.append(f"Not curated: how {p.name} takes preservation requests; use its law enforcement contact.")
        case.gaps.append(f"{p.name}'s preservation procedure is not curated ({p.url}#preservation).")
    if p.has("le_portal"):
        s.how += [f"Contact: {line}" for line in contact_lines(p, "le_portal")]
        s.cite(*p.sources("le_portal"))
    if case.eu_entity:
        s.pitfalls.append(f"{p.name} names {case.eu_entity.get('name')} ({case.eu_entity.get('country')}) as "
                          f"{case.eu_entity.get('role')}" + (f": {case.eu_entity['note']}"
                                                              if case.eu_entity.get("note") else "."))
        s.cite(*case.eu_entity["_sources"])
    s.include = ["The account identifiers", "The time range", "The data categories to keep",
                 "That a formal request for production will follow"] + p.values("checklist.items")
    s.cite(*p.sources("checklist"))
    s.languages = ["Not curated for this provider: check its law enforcement guidelines."]
    if p.value("retention.statement"):
        s.pitfalls.append(f"Retention: {p.value('retention.statement')}")
        s.cite(*p.sources("retention"))
    return s


def network_preservation(case: Case) -> Step | None:
    t = network_target(case, "Art. 29 preservation through the 24/7 network is not available: {why}")
    if t is None:
        return None
    s = Step("preserve", "24-7-network", f"Art. 29 preservation request through the 24/7 network: {t.name}",
             f"{cap(own_point(case))}, to {t.name}'s 24/7 point of contact")
    s.rule("budapest-24-7")
    add_target_24_7(s, case)
    s.rule("budapest-art29-contents", "include")
    s.rule("budapest-art29-period")
    for sub, text in (("max_days", "{n}: preservation lasts at most {v} days under its law"),
                      ("extension_days", "{n}: extension by {v} days")):
        if t.value(f"preservation.{sub}"):
            s.limits.append(text.format(n=t.name, v=t.value(f"preservation.{sub}")) + dated(t, "preservation") + ".")
    if t.value("preservation.foreign_request"):
        s.how.append(f"{t.name}: {t.value('preservation.foreign_request')}")
    if t.value("preservation.legal_basis"):
        s.limits.append(f"{t.name}'s preservation law: {t.value('preservation.legal_basis')}")
    if not t.has("preservation"):
        s.limits.append(f"{t.name}'s own preservation law is not curated ({t.url}#preservation).")
    s.cite(*t.sources("preservation"))
    s.rule("budapest-art29-dual", "pitfalls")
    if t.value("budapest.reservations"):
        s.pitfalls.append(f"{t.name}'s reservations: {t.value('budapest.reservations')}")
        s.cite(*t.sources("budapest"))
    if t.value("preservation.dual_criminality"):
        s.pitfalls.append(f"{t.name}: {t.value('preservation.dual_criminality')}")
    s.rule("budapest-art30", "pitfalls")
    s.rule("tcy-template", "pitfalls")
    return s


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
            case.gaps.append(f"{label}: {case.frm.name} is not bound by Regulation (EU) 2023/1543.")
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
        case.gaps.append(f"{label}: the addressee is established in {case.frm.name} itself, so the Regulation "
                         "(orders to another Member State) does not apply; use your domestic order.")
        return None
    if state in R.EEVIDENCE_NOT_BOUND:
        case.gaps.append(f"{label}: the addressee is in Denmark, which is not bound by the Regulation.")
        return None
    return who, state


def eu_applies_note(case: Case) -> str:
    return (f"Applicable since {R.EEVIDENCE_APPLIES.isoformat()} (checked against today, "
            f"{case.today.isoformat()}).")


def eu_preservation(case: Case) -> Step | None:
    hit = eu_order_possible(case, "European Preservation Order")
    if not hit:
        return None
    who, state = hit
    s = Step("preserve", "eu-preservation-order", "European Preservation Order (EPOC-PR)", who)
    s.how.append("Your issuing authority sends a European Preservation Order Certificate (EPOC-PR) to the "
                 "addressee through the e-evidence IT system.")
    s.limits.append(eu_applies_note(case))
    s.rule("eevidence-applies", "pitfalls")
    s.rule("eevidence-scope")
    s.rule("eevidence-preservation-period")
    s.rule("eevidence-languages", "languages")
    s.include = ["Issuing authority and its contacts", "The addressee and the data to preserve, with identifiers "
                 "and time range", "The offence", "That a request for production will follow"]
    s.rule("eevidence-non-exclusive", "pitfalls")
    return s


# --- obtain -----------------------------------------------------------------------------------
def provider_direct(case: Case) -> Step | None:
    data, p, t = case.req.data, case.prov, case.target
    if p:
        answer = p.value("foreign_requests.accepts_direct")
        us = p.value("headquarters").upper() == "US"
        if answer not in ("yes", "partial"):
            case.gaps.append(f"Direct request to {p.name}: whether it answers foreign authorities directly is "
                             f"{'not curated' if not answer else answer} ({p.url}#legal-process).")
            return None
        if data == "content" and (us or answer != "yes"):
            if us:
                case.gaps.append(f"Direct request to {p.name} for content: {R.RULES['us-content-bar'].text}")
            return None
        if data == "traffic" and answer == "partial":
            case.gaps.append(f"Direct request to {p.name} for traffic data: it answers foreign authorities only in "
                             f"part, and the entry does not say it covers traffic data ({p.url}#legal-process); "
                             "use the channels below.")
            return None
        s = Step("obtain", "provider-direct", f"Direct request to {p.name}",
                 f"{p.name}: {p.value('le_portal.name') or 'law enforcement contact'}")
        s.how += contact_lines(p, "le_portal", skip_name=True)
        s.cite(*p.sources("le_portal"))
        if p.value("foreign_requests.route"):
            s.limits.append(f"{p.name} on foreign requests: {p.value('foreign_requests.route')}")
        if answer == "partial":
            s.pitfalls.append(f"{p.name} answers foreign requests only in part"
                              + (f": {p.value('foreign_requests.note')}" if p.value("foreign_requests.note") else "."))
        s.cite(*p.sources("foreign_requests"))
        field = {"subscriber": "subscriber", "traffic": "non_content", "content": "content"}[data]
        if p.value(f"legal_process.{field}"):
            s.limits.append(f"What {p.name} asks for this data: {p.value(f'legal_process.{field}')}")
            s.cite(*p.sources("legal_process"))
        if us:
            s.rule("us-noncontent-voluntary", "pitfalls")
        s.include = p.values("checklist.items") or ["The account identifiers, the data categories and the time range"]
        s.cite(*p.sources("checklist"))
        s.languages = ["Not curated for this provider: check its law enforcement guidelines."]
        return s
    if not t or domestic(case):
        return None
    answer = t.value("legal_process.foreign_direct")
    note = t.note("legal_process.foreign_direct")
    if answer not in ("yes", "partial"):
        case.gaps.append(f"Whether ISPs in {t.name} answer foreign authorities directly is "
                         f"{'not curated' if not answer else answer}; plan on the channels below.")
        return None
    if answer == "partial" and data != "subscriber":
        case.gaps.append(f"ISPs in {t.name} answer foreign authorities directly only in part, and not for this data "
                         f"type as far as the entry says{': ' + note if note else ''}")
        return None
    s = Step("obtain", "provider-direct", f"Direct request to the ISP in {t.name}", f"The provider in {t.name}")
    s.how.append(f"ISPs in {t.name} answer foreign authorities directly"
                 f"{' for some data only' if answer == 'partial' else ''}.")
    if note:
        s.limits.append(note)
    field = data
    if t.value(f"legal_process.{field}"):
        s.limits.append(f"Domestic rule in {t.name}: {t.value(f'legal_process.{field}')}")
    s.cite(*t.sources("legal_process"))
    s.languages = ["Not curated: ask the provider."]
    return s


def eu_production(case: Case) -> Step | None:
    hit = eu_order_possible(case, "European Production Order")
    if not hit:
        return None
    who, state = hit
    s = Step("obtain", "eu-production-order", "European Production Order (EPOC)", who)
    s.how.append("Your issuing authority sends a European Production Order Certificate (EPOC) to the addressee "
                 "through the e-evidence IT system.")
    s.limits.append(eu_applies_note(case))
    s.rule("eevidence-applies", "pitfalls")
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


def eio(case: Case) -> Step | None:
    frm = case.req.from_
    state = (case.req.country if case.req.country and not case.local
             else (case.eu_entity or {}).get("country", "").upper())
    if not frm or not state or frm == state or not R.eu_member(frm) or not R.eu_member(state):
        return None
    if not (R.eio_bound(frm) and R.eio_bound(state)):
        out = next(c for c in (frm, state) if c in R.EIO_NOT_BOUND)
        name = (case.kb.country(out).name if case.kb.country(out) else out)
        case.gaps.append(f"European Investigation Order: {name} does not take part in it; use mutual legal assistance "
                         f"(2000 EU convention) instead.")
        return None
    target = case.kb.country(state)
    name = target.name if target else state
    s = Step("obtain", "eio", f"European Investigation Order to {name}",
             f"The competent executing authority in {name}")
    s.rule("eio-not-bound", "limits")
    s.rule("eio-deadlines")
    s.rule("eio-replaces", "pitfalls")
    if target and target.has("central_authority"):
        s.how.append(f"{name}'s central authority (to find the executing authority): "
                     + "; ".join(contact_lines(target, "central_authority")) + dated(target, "central_authority"))
        s.cite(*target.sources("central_authority"))
        if target.values("central_authority.languages"):
            s.languages = target.values("central_authority.languages")
    else:
        s.how.append(f"The executing authority in {name} is not curated here: ask your central authority or the "
                     "European Judicial Network contact point.")
    if not s.languages:
        s.languages = [f"Not curated: the languages {name} accepts for an EIO."]
    s.include = ["The EIO form (Annex A of the Directive) with the investigative measure, the data and the offence"]
    if case.req.urgent:
        s.pitfalls.append("Mark the EIO as urgent and say why.")
    return s


def agreement_facts(case: Case) -> dict | None:
    """The CLOUD Act agreement between the two states as either entry records it (`cloud_act`)."""
    frm, other = case.req.from_, case.target_code
    if not frm or not other or frm == other:
        return None
    for subject, partner in ((case.frm, other), (case.target, frm)):
        for row in subject.items("cloud_act") if subject else []:
            if row.get("partner", "").upper() == partner:
                return row
    return None


def cloud_act(case: Case) -> Step | None:
    """From the entries' `cloud_act` facts; the rule table (rules.CLOUD_ACT) when neither records one."""
    frm, other = case.req.from_, case.target_code
    row = agreement_facts(case)
    hit = R.cloud_act(frm, other, case.today)
    if row:
        status, start = row.get("status", ""), row.get("in_force", "")
        if status != "in-force" or not start:
            if status:
                case.gaps.append(f"CLOUD Act agreement {frm}-{other}: {status}" + (f" ({row['note']})" if row.get(
                    "note") else "") + "; use MLA.")
            return None
        try:
            start_date = dt.date.fromisoformat(start[:10])
        except ValueError:
            case.gaps.append(f"CLOUD Act agreement {frm}-{other}: the entry's entry-into-force date '{start}' is "
                             "not a date; check it.")
            return None
        sources = row["_sources"]
        rule = hit[0] if hit else None
    elif hit:
        rule, start_date, _ = hit
        sources = []
    else:
        return None
    if case.today < start_date:
        case.gaps.append(f"CLOUD Act agreement {frm}-{other}: in force only from {start_date.isoformat()}; today is "
                         f"{case.today.isoformat()}.")
        return None
    tgt = case.kb.country(other)
    s = Step("obtain", "cloud-act", f"Order under the CLOUD Act agreement ({frm}-{other})",
             f"{case.prov.name if case.prov else 'The provider'} in {tgt.name if tgt else other}, directly, with "
             f"your own domestic order")
    s.how.append(f"Through your designated authority under the agreement (in force since {start_date.isoformat()}, "
                 f"checked against today, {case.today.isoformat()}).")
    s.cite(*sources)
    if rule:
        s.rule(rule)
    s.rule("cloud-act-permits", "pitfalls")
    s.include = ["Your domestic order for the data", "Why the case is a serious crime"]
    s.languages = ["Not curated: check the agreement and the provider's guidelines."]
    return s


def protocol(case: Case) -> list[Step]:
    frm, t = case.frm, case.target
    if not frm or not t or domestic(case) or case.req.data != "subscriber":
        return []
    fs, ts = frm.value("second_protocol.status"), t.value("second_protocol.status")
    if not R.protocol_in_force(case.today):
        if fs in ("party", "signatory") and ts in ("party", "signatory"):
            case.gaps.append("Second Additional Protocol, Art. 7 (subscriber information directly from the provider) "
                             f"and Art. 6 (domain registration): {R.RULES['protocol-in-force'].text} Check the "
                             "Council of Europe chart for CETS 224 before relying on it.")
        return []
    if fs != "party" or ts != "party":
        return []
    steps = []
    if t.code in R.PROTOCOL_ART7_RESERVED:
        case.gaps.append(f"Art. 7: {t.name} reserved the right not to apply it.")
    else:
        s = Step("obtain", "second-protocol-art7", "Order for subscriber information (Second Protocol, Art. 7)",
                 f"The provider in {t.name}, directly")
        s.rule("protocol-art7")
        s.rule("protocol-in-force", "pitfalls")
        steps.append(s)
    if case.prov and any("domain" in x.lower() or "registrar" in x.lower() for x in case.prov.values("services")):
        s = Step("obtain", "second-protocol-art6", "Request for domain registration information (Art. 6)",
                 f"{case.prov.name}, as registrar")
        s.rule("protocol-art6")
        steps.append(s)
    return steps


def mla(case: Case, others: list[Step]) -> Step | None:
    if domestic(case):
        return None
    if case.req.data != "content" and any(s.stage == "obtain" for s in others):
        return None
    t = case.target
    name = case.target_name
    s = Step("obtain", "mla", f"Mutual legal assistance request to {name}",
             f"{name}'s central authority for mutual legal assistance")
    if t and t.has("central_authority"):
        s.who = f"{name}'s central authority: {t.value('central_authority.name') or 'designated'}"
        s.how = contact_lines(t, "central_authority", skip_name=True)
        if s.how and t.as_of("central_authority"):
            s.how[-1] += dated(t, "central_authority")
        if t.value("central_authority.transmission"):
            s.how.append(f"Transmission: {t.value('central_authority.transmission')}")
        s.languages = t.values("central_authority.languages") or [
            f"Not curated: ask {name}'s central authority which languages it accepts."]
        if t.value("central_authority.note"):
            s.pitfalls.append(t.value("central_authority.note"))
        s.cite(*t.sources("central_authority"))
    elif t and t.not_applicable("central_authority"):
        s.how = [t.not_applicable("central_authority"), "Ask your own central authority (usually the ministry of "
                 "justice) which channel this state uses."]
        s.languages = ["Not curated."]
        s.cite(*t.sources("central_authority"))
    else:
        s.how = [f"{name}'s central authority is not curated here: ask your own central authority (usually the "
                 "ministry of justice) where to send the request."]
        s.languages = ["Not curated."]
        case.gaps.append(f"{name}'s central authority is not curated.")
    ok, _ = both_parties(case)
    if ok:
        s.limits.append("Legal basis: a mutual assistance treaty between the two states or, where none applies, "
                        "the Convention on Cybercrime (Art. 27).")
        s.rule("budapest-art27")
    else:
        s.limits.append("Legal basis: a treaty between the two states or the requested state's own law "
                        "(not curated here).")
    frm = case.req.from_
    if frm and R.eu_member(frm) and R.eu_member(case.target_code):
        if R.eio_bound(frm) and R.eio_bound(case.target_code):
            s.rule("eio-replaces", "pitfalls")
        else:
            s.rule("eu-mla-2000")
            if "IE" in (frm, case.target_code):
                s.rule("eio-ireland-2025", "pitfalls")
    if "GB" in (frm, case.target_code) and (R.eu_member(frm) or R.eu_member(case.target_code)):
        s.rule("uk-eu-mla", "pitfalls")
    if case.prov and case.prov.value("legal_process.foreign"):
        s.limits.append(f"{case.prov.name}: {case.prov.value('legal_process.foreign')}")
        s.cite(*case.prov.sources("legal_process"))
    if case.prov and case.eu_entity and case.target_code != case.eu_entity.get("country", "").upper():
        s.pitfalls.append(f"{case.prov.name} names {case.eu_entity.get('name')} ({case.eu_entity.get('country')}) "
                          f"as {case.eu_entity.get('role')}: for users in the EU the request may have to go to "
                          f"{case.eu_entity.get('country')} instead; check the provider's guidelines.")
        s.cite(*case.eu_entity["_sources"])
    s.rule("mla-slow", "pitfalls")
    s.include = ["The offence, the facts and the link between the data and the offence",
                 "The data sought, with identifiers and time range", "The legal basis and the measure requested",
                 "Any earlier preservation request (date, reference)"]
    if t and t.value(f"legal_process.{case.req.data}") and not case.prov:
        s.limits.append(f"What {name}'s law requires: {t.value(f'legal_process.{case.req.data}')}")
        s.cite(*t.sources("legal_process"))
    return s


# --- the plan ---------------------------------------------------------------------------------
def plan(req: Request, kb: KBView, today: dt.date) -> dict:
    case = make_case(req, kb, today)
    steps: list[Step] = []
    if req.urgent:
        here = emergency_case(case)
        steps += [s for s in (provider_emergency(case), network_emergency(here)) if s]
        if here.target_code and not domestic(here):
            steps.append(interpol(here))
    steps += [s for s in (provider_preservation(case), network_preservation(case), eu_preservation(case)) if s]
    obtain = [s for s in (provider_direct(case), eu_production(case), eio(case), cloud_act(case)) if s]
    obtain += protocol(case)
    steps += obtain
    last = mla(case, steps)
    if last:
        steps.append(last)
    if not any(s.stage == "obtain" for s in steps) and not domestic(case):
        case.gaps.append("No channel to obtain this data could be established from the facts curated here; "
                         "ask your central authority.")
    ids = [i for s in steps for i in s.sources]
    bib = kb.sources(list(dict.fromkeys(ids)))
    return {"request": request_view(req, case), "steps": [step_view(n, s, bib) for n, s in enumerate(steps, 1)],
            "gaps": list(dict.fromkeys(case.gaps))}


def request_view(req: Request, case: Case) -> dict:
    def ref(s: Subject | None, code: str) -> dict | None:
        if not code:
            return None
        return {"code": s.code if s else code, "name": s.name if s else code, "url": s.url if s else None}

    return {"from": ref(case.frm, req.from_), "provider": ref(case.prov, req.provider),
            "country": ref(case.kb.country(req.country), req.country),
            "data_held_in": ref(case.target, case.target_code), "data": req.data,
            "data_label": R.DATA_TYPES[req.data], "urgent": req.urgent, "defaults": list(req.defaults),
            "today": case.today.isoformat()}


def step_view(n: int, s: Step, bib: dict[str, dict]) -> dict:
    sources = []
    for sid in s.sources:
        src = bib.get(sid, {})
        sources.append({"id": sid, "title": src.get("title", sid), "url": src.get("url", ""),
                        "date": src.get("published") or None, "accessed": src.get("accessed") or None})
    return {"n": n, "stage": s.stage, "channel": s.channel, "title": s.title, "who": s.who, "how": s.how,
            "include": s.include, "languages": s.languages, "limits": s.limits, "pitfalls": s.pitfalls,
            "sources": sources}
