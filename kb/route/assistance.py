"""Obtain stage, from state to state: the European Investigation Order and mutual legal assistance
(the fallback, and always the route for stored content).
"""
from __future__ import annotations

from kb.route import rules as R
from kb.route.case import Case, both_parties, domestic
from kb.route.step import Step, contact_lines, dated


def eio(case: Case) -> Step | None:
    frm = case.req.from_
    state = (case.req.country if case.req.country and not case.local
             else (case.eu_entity.get("country", "") if case.eu_entity else "").upper())
    if not frm or not state or frm == state or not R.eu_member(frm) or not R.eu_member(state):
        return None
    if not (R.eio_bound(frm) and R.eio_bound(state)):
        out = next(c for c in (frm, state) if c in R.EIO_NOT_BOUND)
        entry = case.kb.country(out)
        name = entry.name if entry else out
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
        s.cite(*case.eu_entity.sources)
    s.rule("mla-slow", "pitfalls")
    s.include = ["The offence, the facts and the link between the data and the offence",
                 "The data sought, with identifiers and time range", "The legal basis and the measure requested",
                 "Any earlier preservation request (date, reference)"]
    if t and t.value(f"legal_process.{case.req.data}") and not case.prov:
        s.limits.append(f"What {name}'s law requires: {t.value(f'legal_process.{case.req.data}')}")
        s.cite(*t.sources("legal_process"))
    return s
