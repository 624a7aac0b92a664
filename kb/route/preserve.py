"""Preservation stage: asking the provider, or the other state through the 24/7 network (Art. 29),
to keep the data while the request for production is prepared. The EU Preservation Order is in
`kb.route.eu_orders`.
"""
from __future__ import annotations

from kb.route.case import Case
from kb.route.network import add_target_24_7, network_target, own_point
from kb.route.step import Step, cap, contact_lines, dated


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
        s.cite(*case.eu_entity.sources)
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
    add_target_24_7(s, case, t)
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
