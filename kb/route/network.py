"""The 24/7 network of the Convention on Cybercrime (Art. 35), as the emergency and preservation
stages use it: whether it applies to the pair of states, and how to reach the other state's point.
"""
from __future__ import annotations

from kb.route.case import Case, both_parties, domestic
from kb.route.kbview import Subject
from kb.route.step import Step, contact_lines, dated


def own_point(case: Case) -> str:
    f = case.frm
    if f and f.has("contact_24_7"):
        name = f.value("contact_24_7.name")
        restricted = f.value("contact_24_7.access") == "restricted"
        return f"your 24/7 point of contact ({name}{', details in the restricted directory' if restricted else ''})"
    return "your own national 24/7 point of contact"


def network_target(case: Case, gap: str) -> Subject | None:
    """The target country when the 24/7 network applies to this pair (both Parties, not domestic);
    otherwise None, with `gap` (formatted with the reason) recorded when the Convention is why."""
    if domestic(case) or not case.target_code:
        return None
    t = case.target
    ok, why = both_parties(case)
    if not ok or t is None:  # both Parties implies an entry for the target
        case.gaps.append(gap.format(why=why))
        return None
    return t


def add_target_24_7(s: Step, case: Case, t: Subject) -> None:
    """How to reach `t`'s 24/7 point (the case's target state), or what is not curated about it."""
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
