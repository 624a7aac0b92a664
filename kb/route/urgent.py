"""The "Urgent: a child at risk?" block that opens every country and provider page.

Pure: reads a `KBView`, returns the routes in order (each with its sources and their dates),
or says that nothing is curated and gives the general route.
"""
from __future__ import annotations

from typing import NotRequired, TypedDict

from kb.route import rules as R
from kb.route.kbview import KBView, Subject
from kb.route.step import contact_lines
from kb.route.views import SourceView, source_view

KIND_LABELS = {"24-7": "24/7 point of contact", "police": "Police", "interpol": "INTERPOL NCB",
               "europol": "Europol unit", "prosecutor": "Prosecution service", "hotline": "Reporting hotline",
               "helpline": "Child helpline", "portal": "Online portal"}
# most direct first: channels that act now, then reporting lines
ORDER = ("24-7", "police", "interpol", "prosecutor", "europol", "portal", "hotline", "helpline")


class Route(TypedDict):
    """One way to get help now: a title, who, the lines to reach it, and its sources."""
    title: str
    name: str
    lines: list[str]
    sources: list[SourceView]


class Block(TypedDict):
    """The urgent block of one entry page, as `_urgent.html` reads it."""
    kind: str
    name: str
    routes: list[Route]
    curated: bool
    general: Route
    route_url: str
    providers: NotRequired[list[dict[str, str]]]  # a country's: providers with an entity there
    countries: NotRequired[list[dict[str, str | None]]]  # a provider's: countries it names entities in


def _sources(kb: KBView, ids: list[str], as_of: str = "") -> list[SourceView]:
    bib = kb.sources(ids)
    return [source_view(sid, bib.get(sid, {}), as_of) for sid in ids]


def general_route(kb: KBView) -> Route:
    ids = list(R.RULES["budapest-24-7"].sources + R.RULES["interpol-ncb"].sources)
    return {"title": "General route", "name": "Your own national 24/7 point of contact, or your INTERPOL NCB",
            "lines": ["Between Parties to the Convention on Cybercrime, your 24/7 point of contact reaches the "
                      "other state's point at any hour.", "Otherwise, or in addition, your INTERPOL National "
                      "Central Bureau reaches the other NCB over I-24/7."],
            "sources": _sources(kb, ids)}


def country_block(kb: KBView, c: Subject) -> Block:
    routes: list[Route] = []
    na = c.not_applicable("contact_24_7")
    if na and not c.has("contact_24_7"):
        routes.append({"title": "24/7 point of contact", "name": "None",
                       "lines": [na, "Use INTERPOL, or the police channels below."],
                       "sources": _sources(kb, c.sources("contact_24_7"), c.as_of("contact_24_7"))})
    elif c.has("contact_24_7"):
        lines = contact_lines(c, "contact_24_7", skip_name=True)
        if c.value("contact_24_7.access") == "restricted":
            lines.append("Phone and e-mail are restricted (Council of Europe 24/7 directory): reach it through your "
                         "own national 24/7 point of contact, or through INTERPOL.")
        routes.append({"title": "24/7 point of contact", "name": c.value("contact_24_7.name") or "Designated",
                       "lines": lines, "sources": _sources(kb, c.sources("contact_24_7"), c.as_of("contact_24_7"))})
    channels = sorted(c.items("emergency"), key=lambda ch: ORDER.index(ch["kind"]) if ch.get("kind") in ORDER else 99)
    for ch in channels:
        if ch.get("kind") == "24-7" and routes:
            continue  # the same point as above
        lines = [f"{label}: {ch[k]}" for k, label in (("phone", "Phone"), ("email", "E-mail"), ("url", "Web"))
                 if ch.get(k)]
        if ch.get("access") == "restricted":
            lines.append("Details restricted: reach it through your own 24/7 point of contact or INTERPOL.")
        if ch.get("note"):
            lines.append(ch["note"])
        routes.append({"title": KIND_LABELS.get(ch.get("kind", ""), "Channel"), "name": ch.get("name", ""),
                       "lines": lines, "sources": _sources(kb, ch.sources, ch.as_of)})
    providers = [{"slug": p["provider"], "name": p["name"], "entity": p["entity"], "role": p["role"],
                  "url": f"/providers/{p['provider']}#emergency"} for p in kb.providers_in(c.code)]
    return {"kind": "countries", "name": c.name, "routes": routes, "curated": bool(routes),
            "general": general_route(kb), "providers": providers,
            "route_url": f"/route?country={c.key}&urgent=1"}


def provider_block(kb: KBView, p: Subject) -> Block:
    routes: list[Route] = []
    if p.has("emergency"):
        lines = [x for x in (p.value("emergency.channel"), p.value("emergency.url") and
                             f"Web: {p.value('emergency.url')}", p.value("emergency.email") and
                             f"E-mail: {p.value('emergency.email')}", p.value("emergency.phone") and
                             f"Phone: {p.value('emergency.phone')}") if x]
        if p.value("emergency.criteria"):
            lines.append(f"When it discloses: {p.value('emergency.criteria')}")
        routes.append({"title": "Emergency disclosure", "name": p.name, "lines": lines,
                       "sources": _sources(kb, p.sources("emergency"), p.as_of("emergency"))})
    if p.has("le_portal"):
        routes.append({"title": "Law enforcement contact", "name": p.value("le_portal.name") or p.name,
                       "lines": contact_lines(p, "le_portal", skip_name=True),
                       "sources": _sources(kb, p.sources("le_portal"), p.as_of("le_portal"))})
    countries = []
    seen = set()
    for link in kb.countries_of(p.key):
        code = link["country"]
        if code in seen:
            continue
        seen.add(code)
        c = kb.country(code)
        countries.append({"code": code, "name": c.name if c else code, "entity": link["entity"],
                          "role": link["role"], "url": f"{c.url}#emergency" if c else None})
    return {"kind": "providers", "name": p.name, "routes": routes, "curated": bool(routes),
            "general": general_route(kb), "countries": countries,
            "route_url": f"/route?provider={p.key}&urgent=1"}


def block(kb: KBView, kind: str, key: str) -> Block | None:
    """The urgent block of a country or provider page (read by `_urgent.html`), or None for no entry."""
    if kind == "countries":
        c = kb.country(key)
        return country_block(kb, c) if c else None
    if kind == "providers":
        p = kb.provider(key)
        return provider_block(kb, p) if p else None
    return None
