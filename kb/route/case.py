"""The case as the planner sees it: who asks, which provider, where the data is held, and what
holds between the two states (own country, 24/7 network). Gaps found on the way are collected here.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from kb.route import rules as R
from kb.route.kbview import KBView, Row, Subject
from kb.route.request import Request


@dataclass
class Case:
    req: Request
    kb: KBView
    today: dt.date
    frm: Subject | None
    prov: Subject | None
    target: Subject | None  # the state where the data is held (named, or the provider's headquarters)
    target_code: str  # even when that state has no entry here
    eu_entity: Row | None  # the provider's EU establishment or legal representative
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
    elif frm and req.from_ == code:
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
