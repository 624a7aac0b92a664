"""Shape stored rows into what pages and the API show: fact boxes, sources, ages."""
from __future__ import annotations

import datetime as dt

from flask import abort, g

from kb.evidence import evidence_age
from kb.fields import NOT_APPLICABLE, Field
from kb.kinds import COVERAGE, FIELDS, SECTIONS, key_of
from kb.kinds import KINDS as DECLARED

KINDS = {k.name: k.label for k in DECLARED.values()}  # name -> label, from kb.kinds
ID_NAME = {k.name: k.id_field for k in DECLARED.values()}


TYPES: dict[str, str] = {}


def label_index() -> dict[str, str]:
    labels: dict[str, str] = {}

    def walk(fields: tuple[Field, ...], prefix: str):
        for f in fields:
            labels[prefix + f.name] = f.title
            TYPES[prefix + f.name] = f.type
            if f.fields:
                walk(f.fields, prefix + f.name + ".")

    for fields in FIELDS.values():
        walk(fields, "")
    labels.update({"contact_24_7": "24/7 contact point", "le_portal.url": "Portal / guidelines",
                   "central_authority.url": "Web page", "contact_24_7.url": "Web page", "budapest.in_force":
                   "In force", "second_protocol.status": "Status", "emergency.kind": "Kind"})
    return labels


LABELS = label_index()


def field_label(path: str) -> str:
    parts = [p for p in path.split(".") if not p.isdigit()]
    return LABELS.get(".".join(parts)) or parts[-1].replace("_", " ").capitalize()


def age_days(date_text: str, today: dt.date) -> int | None:
    try:
        return (today - dt.date.fromisoformat(str(date_text)[:10])).days
    except ValueError:
        return None


def load_entry(kind: str, key: str) -> dict:
    entry = g.store.entry(kind, key)
    if not entry:
        what = DECLARED[kind].id_label
        abort(404, description=f"No {what} '{key}' in this knowledge base.")
    return entry


def numbers_of(entry: dict) -> dict[str, int]:
    return {sid: i for i, sid in enumerate(entry["cited"], 1)}


def fact_box(entry: dict, facts: list[dict], sources: dict[str, dict], today: dt.date) -> list[dict]:
    """Areas in display order; each with its facts (grouped per list item) or marked as a gap."""
    kind = entry["kind"]
    numbers = numbers_of(entry)
    coverage = {c["area"]: c for c in g.store.coverage(kind, entry["key"])}
    areas = []
    order = COVERAGE.get(kind, {})
    extra = [a for a in dict.fromkeys(f["area"] for f in facts) if not any(a in p for _, p, _ in order.values())]
    for area, (label, prefixes, section) in list(order.items()) + [(a, (field_label(a), (a,), None)) for a in extra]:
        rows = [f for f in facts if f["area"] in prefixes]
        groups: dict[str, list] = {}
        for f in rows:
            parts = f["field"].split(".")
            group_key = ".".join(parts[:2]) if len(parts) > 2 and parts[1].isdigit() else parts[0]
            groups.setdefault(group_key, []).append(present_fact(f, sources, numbers, today))
        areas.append({"area": area, "label": label, "section": section or "",
                      "status": coverage.get(area, {}).get("status", "sourced" if rows else "missing"),
                      "groups": [shared_meta(facts_) for facts_ in groups.values()]})
    return areas


def shared_meta(facts: list[dict]) -> dict:
    """A group of facts; when all share sources and dates, show them once for the group."""
    first = facts[0]
    same = all((f["sources"], f["as_of"], f["verified"]) == (first["sources"], first["as_of"], first["verified"])
               for f in facts)
    return {"facts": facts, "shared": same and len(facts) > 1, "sources": first["sources"],
            "as_of": first["as_of"], "verified": first["verified"], "verified_days": first["verified_days"],
            "source_date": first["source_date"], "old_source": first["old_source"],
            "old_mark": "old source: confirm before use" if any(f["old_mark"].endswith("use") for f in facts)
            else first["old_mark"]}


def present_fact(f: dict, sources: dict[str, dict], numbers: dict[str, int], today: dt.date) -> dict:
    refs = []
    for sid in f["sources"]:
        s = sources.get(sid, {})
        refs.append({"id": sid, "n": numbers.get(sid), "title": s.get("title", sid), "url": s.get("url", ""),
                     "accessed": s.get("accessed", ""), "published": s.get("published", "")})
    accessed = [r["accessed"] for r in refs if r["accessed"]]
    verified = max(accessed) if accessed else ""
    value = f["value"]
    last = f["field"].split(".")[-1]
    path = ".".join(p for p in f["field"].split(".") if not p.isdigit())
    not_applicable = f["value"] == NOT_APPLICABLE or last == "not_applicable"
    ftype = "text" if not_applicable else TYPES.get(path, "text")  # links follow the declared type
    if ftype == "list":
        value = value.split("; ")
    out = {"field": f["field"], "label": field_label(f["field"]), "value": value, "type": ftype, "name": last,
           "sources": refs, "as_of": f["as_of"], "note": f["note"], "verified": verified,
           "verified_days": age_days(verified, today) if verified else None, "not_applicable": not_applicable}
    out.update(evidence_age(f["field"], f["as_of"], refs, today))
    return out


def entry_view(kind: str, key: str) -> dict:
    entry = load_entry(kind, key)
    facts = g.store.facts(kind, entry["key"])
    cited = g.store.sources(entry["cited"])
    sources = {s["id"]: s for s in cited}
    sections = g.store.sections(kind, entry["key"])
    view = {
        "entry": entry, "kind": kind, "sections": sections, "sources": cited, "numbers": numbers_of(entry),
        "facts": facts, "box": fact_box(entry, facts, sources, g.today),
        "reviewed_days": age_days(entry["reviewed"], g.today),
        "related": [g.store.entry("topics", s) for s in entry["data"].get("related", [])],
        "fixed_sections": SECTIONS.get(kind, {}),
    }
    view["related"] = [r for r in view["related"] if r]
    dates = sorted(f["source_date"] for a in view["box"] for grp in a["groups"] for f in grp["facts"]
                   if f["source_date"])
    view["evidence"] = {"oldest": dates[0][:4] if dates else "", "newest": dates[-1][:4] if dates else "",
                        "old_contacts": sum(1 for a in view["box"] for grp in a["groups"] for f in grp["facts"]
                                            if f["old_mark"].endswith("use"))}
    if kind == "countries":
        view["providers"] = g.store.links(entry["key"])
    elif kind == "providers":
        links = g.store.provider_countries(entry["key"])
        for link in links:
            link["entry"] = g.store.entry("countries", link["country"])
        view["countries"] = links
    else:
        view["cited_by"] = g.store.related_from(entry["key"])
    return view


def api_entry(view: dict) -> dict:
    e = view["entry"]
    shown = {f["field"]: f for a in view["box"] for grp in a["groups"] for f in grp["facts"]}
    return {
        ID_NAME[view["kind"]]: key_of(view["kind"], e["key"]),
        "kind": view["kind"], "name": e["name"], "url": e["url"], "reviewed": e["reviewed"],
        "completeness": e["completeness"], "gaps": e["gaps"], "data": e["data"],
        "facts": [{"field": f["field"], "value": f["value"], "sources": f["sources"], "as_of": f["as_of"] or None,
                   "note": f["note"] or None, "source_date": shown[f["field"]]["source_date"] or None,
                   "old_source": shown[f["field"]]["old_source"], "old_mark": shown[f["field"]]["old_mark"] or None,
                   "not_applicable": shown[f["field"]]["not_applicable"]} for f in view["facts"]],
        "evidence": view["evidence"],
        "coverage": [{"area": a["area"], "label": a["label"], "status": a["status"]} for a in view["box"]],
        "sections": [{"id": s["section"], "title": s["title"], "url": f"{e['url']}#{s['section']}",
                      "html": s["html"], "gap": bool(s["gap"])} for s in view["sections"]],
        "sources": [{k: s[k] for k in ("id", "title", "url", "publisher", "accessed", "published", "note")}
                    for s in view["sources"]],
    }
