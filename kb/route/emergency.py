"""Emergency stage: the provider's emergency disclosure channel, the 24/7 network and INTERPOL."""
from __future__ import annotations

from kb.route.case import Case
from kb.route.network import add_target_24_7, network_target, own_point
from kb.route.step import Step, cap, contact_lines


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


def network_emergency(case: Case) -> Step | None:
    t = network_target(case, "24/7 network: {why} Use INTERPOL instead.")
    if t is None:
        return None
    s = Step("emergency", "24-7-network", f"Urgent help through the 24/7 network: {t.name}",
             f"{cap(own_point(case))}, which contacts {t.name}'s 24/7 point of contact")
    s.rule("budapest-24-7")
    add_target_24_7(s, case, t)
    return s


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
                as_of = f", source dated {ch.as_of}" if ch.as_of else ""
                s.how.append(f"Also in {t.name}: {ch.get('name', 'channel')}{access}{': ' + detail if detail else ''}"
                             f"{as_of}")
                s.cite(*ch.sources)
    s.include = ["What is happening now and to whom", "The identifiers you hold (account, IP address with time and "
                 "time zone)", "What you need the other police to do"]
    s.languages = ["Not curated: your NCB handles the language."]
    return s
