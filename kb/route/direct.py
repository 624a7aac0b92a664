"""Obtain stage, straight to the provider: a direct request where the provider (or the country's
ISPs) answers foreign authorities, an order under a CLOUD Act agreement, and the Second Additional
Protocol's Art. 7 (subscriber information) and Art. 6 (domain registration).
"""
from __future__ import annotations

import datetime as dt

from kb.route import rules as R
from kb.route.case import Case, domestic
from kb.route.kbview import Row
from kb.route.step import Step, contact_lines


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


def agreement_facts(case: Case) -> Row | None:
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
        sources = row.sources
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
