"""The table rows of one checked entry (entries, sections, facts, coverage, provider_countries,
citations), and those of the bibliography. Nothing here reads another entry: that is what lets a
rebuild render only the entries that changed."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from kb.checks.entry import Fact
from kb.content import Entry
from kb.fields import NOT_APPLICABLE, NOT_CURATED, STALE_DAYS
from kb.kinds import COVERAGE, SECTIONS
from kb.render import plain_text, render

ENTRY_TABLES = ("entries", "sections", "facts", "coverage", "provider_countries", "citations")


@dataclass
class EntryRows:
    """Everything one entry adds to the build."""

    kind: str
    key: str  # as in the tables: the file stem in lower case
    tables: dict[str, list[dict]] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)

    @property
    def entry(self) -> dict:
        return self.tables["entries"][0]


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def entry_url(kind: str, key: str, section: str = "") -> str:
    return f"/{kind}/{key}" + (f"#{section}" if section else "")


def titles_of(sources: dict) -> dict[str, str]:
    return {sid: s.get("title", sid) for sid, s in sources.items()}


def entry_rows(e: Entry, facts: list[Fact], citations: list[tuple], sources: dict, titles: dict[str, str],
               today: dt.date) -> EntryRows:
    """Render one checked entry into its rows. `sources` is the checked bibliography (access dates
    for coverage), `titles` its titles (for the citation links)."""
    key = e.key.lower()
    front = json.loads(json.dumps(e.front, default=_json_default))
    name = str(front.get("name") or front.get("title") or key)
    numbers: dict[str, int] = {}
    fixed = SECTIONS.get(e.kind, {})
    order = list(fixed) if fixed else [s.id for s in e.sections]
    gaps = []
    section_rows: list[dict] = []
    for s in sorted(e.sections, key=lambda s: order.index(s.id) if s.id in order else 99):
        gap = s.markdown.strip().lower().startswith(NOT_CURATED.lower())
        na = s.markdown.strip().lower().startswith(NOT_APPLICABLE.lower())
        if gap:
            gaps.append(s.id)
        section_rows.append({"kind": e.kind, "key": key, "section": s.id, "title": s.title,
                             "position": len(section_rows), "html": render(s.markdown, numbers, titles),
                             "text": plain_text(s.markdown), "gap": int(gap), "na": int(na), "line": s.line})
    intro_html = render(e.intro, numbers, titles) if e.intro.strip() else ""
    for f in facts:  # sources of structured facts get numbers after those of the body
        for sid in f.sources:
            numbers.setdefault(sid, len(numbers) + 1)
    fact_rows = [{"kind": e.kind, "key": key, "field": f.field, "area": f.field.split(".")[0], "value": f.value,
                  "sources": json.dumps(f.sources), "as_of": f.as_of, "note": f.note, "line": f.line,
                  "position": i} for i, f in enumerate(facts)]
    cited_in = {c[3] for c in citations}
    coverage = _coverage(e, key, facts, section_rows, cited_in, sources, today)
    counted = [c for c in coverage if c["status"] != "not-applicable"]  # not applicable is not a gap
    completeness = (sum(c["status"] != "missing" for c in counted) / len(counted)) if counted else \
        (0.0 if gaps else 1.0)
    aliases = [str(a) for a in front.get("aliases") or []] + [str(a) for a in front.get("services") or []]
    memberships = front.get("memberships") or []
    if isinstance(memberships, dict):
        memberships = memberships.get("value") or []
    memberships = [m["value"] if isinstance(m, dict) else m for m in memberships]
    entry = {"kind": e.kind, "key": key, "name": name, "url": entry_url(e.kind, key), "path": e.path,
             "region": front.get("region", ""), "reviewed": front.get("reviewed", ""),
             "summary": front.get("summary", ""), "completeness": round(completeness, 3),
             "data": json.dumps(front), "aliases": json.dumps(aliases), "memberships": json.dumps(memberships),
             "gaps": json.dumps(gaps), "cited": json.dumps(sorted(numbers, key=numbers.__getitem__)),
             "intro_html": intro_html, "digest": e.digest}
    return EntryRows(e.kind, key, {
        "entries": [entry], "sections": section_rows, "facts": fact_rows, "coverage": coverage,
        "provider_countries": _provider_countries(e, key, front), "citations": citation_rows(citations)}, facts)


def citation_rows(citations: list[tuple]) -> list[dict]:
    return [{"source_id": sid, "kind": kind, "key": key.lower(), "location": where, "line": line}
            for sid, kind, key, where, line in citations]


def source_rows(sources: dict) -> list[dict]:
    return [{"id": sid, "title": s.get("title", ""), "url": s.get("url", ""), "publisher": s.get("publisher", ""),
             "accessed": s.get("accessed", ""), "published": s.get("published", ""), "note": s.get("note", ""),
             "file": s["file"], "line": s["line"]} for sid, s in sources.items()]


def _provider_countries(e: Entry, key: str, front: dict) -> list[dict]:
    rows: list[dict] = []
    if e.kind != "providers":
        return rows
    for ent in front.get("entities") or []:
        if isinstance(ent, dict) and ent.get("country"):
            rows.append({"provider": key, "country": str(ent["country"]).upper(), "entity": ent.get("name", ""),
                         "role": ent.get("role", "")})
    hq = front.get("headquarters")
    hq = hq.get("value") if isinstance(hq, dict) else hq
    if hq:
        rows.append({"provider": key, "country": str(hq).upper(), "entity": "headquarters", "role": "headquarters"})
    return rows


def _coverage(e: Entry, key: str, facts: list[Fact], section_rows: list[dict], cited_in: set, sources: dict,
              today: dt.date) -> list[dict]:
    rows = []
    reviewed = e.front.get("reviewed")
    entry_stale = isinstance(reviewed, dt.date) and (today - reviewed).days > STALE_DAYS
    for i, (area, (label, prefixes, section)) in enumerate(COVERAGE.get(e.kind, {}).items()):
        area_facts = [f for f in facts if f.field.split(".")[0] in prefixes]
        sec = next((s for s in section_rows if s["section"] == section), None)
        # curated prose cites a source: a real [@id] citation the check validated, not markup in the text
        prose = bool(sec and not sec["gap"] and f"section {section}" in cited_in)
        accessed = [sources[sid].get("accessed", "") for f in area_facts for sid in f.sources if sid in sources]
        oldest = min(accessed) if accessed else ""
        applies = [f for f in area_facts if f.value != NOT_APPLICABLE and not f.field.endswith(".not_applicable")]
        marked_na = any(f.field.split(".")[-1] == "not_applicable" and f.field.count(".") <= 2 for f in area_facts)
        if marked_na or (sec and sec.get("na") and not applies):
            status = "not-applicable"
        elif not area_facts and not prose:
            status = "missing"
        elif entry_stale or (oldest and (today - dt.date.fromisoformat(oldest)).days > STALE_DAYS):
            status = "stale"
        else:
            status = "sourced"
        rows.append({"kind": e.kind, "key": key, "area": area, "label": label, "position": i, "status": status,
                     "facts": len(area_facts), "prose": int(prose), "oldest_accessed": oldest,
                     "section": section or ""})
    return rows


def assemble(checked, today: dt.date) -> tuple[dict[str, list[dict]], list[dict]]:
    """Every table row and search document of checked content at once (the build streams
    `entry_rows` instead; this is for scripts that want the whole corpus in memory)."""
    from kb.search import documents_for

    titles = titles_of(checked.sources)
    tables: dict[str, list[dict]] = {name: [] for name in ENTRY_TABLES + ("sources",)}
    docs: list[dict] = []
    facts: dict[tuple, list[Fact]] = {}
    cites: dict[tuple, list[tuple]] = {}
    for f in checked.facts:
        facts.setdefault((f.kind, f.key), []).append(f)
    for c in checked.citations:
        cites.setdefault((c[1], c[2]), []).append(c)
    for e in checked.entries:
        rows = entry_rows(e, facts.get((e.kind, e.key), []), cites.get((e.kind, e.key), []), checked.sources,
                          titles, today)
        for name, table_rows in rows.tables.items():
            if name != "citations":
                tables[name] += table_rows
        docs += documents_for(rows.entry, rows.tables["sections"], rows.facts)
    tables["citations"] = citation_rows(checked.citations)
    tables["sources"] = source_rows(checked.sources)
    return tables, docs
