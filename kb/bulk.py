"""Bulk downloads, written at build time into `<build>/export/` (the site only serves these files).

- `kb.json`: every entry (front matter), every fact with its sources and their dates, every source
- `facts.csv`: one row per fact, with source titles, addresses and dates (UTF-8 with BOM)
- `sources.csv`: the bibliography
The SQLite file itself is the build's `kb.db`.
"""
from __future__ import annotations

import json
from pathlib import Path

from kb.tabular import csv_text

EXPORT_DIR = "export"
# Project decision, stated once: the lead confirms or changes it here (see README "Bulk data").
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "statement": ("The compilation (selection, structure, summaries and notes) may be reused under the Creative "
                  "Commons Attribution 4.0 licence: name 'Legal channels across borders' and the build stamp. "
                  "Each cited source stays under its own terms; follow its address for the original text. "
                  "Reference material, not legal advice: verify every contact against its source before use."),
}
FILES = {
    "kb.json": ("JSON", "application/json", "Entries, facts with their sources' dates, and sources."),
    "facts.csv": ("CSV", "text/csv", "One row per fact, with its sources' titles, addresses and dates."),
    "sources.csv": ("CSV", "text/csv", "The bibliography: every source with its dates."),
}


def write(build_dir: Path, tables: dict[str, list[dict]], meta: dict[str, str]) -> dict[str, int]:
    """Write the bulk files of one build; returns {file name: size in bytes}."""
    out = Path(build_dir) / EXPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    sources = {s["id"]: s for s in tables.get("sources", [])}
    facts = []
    for f in tables.get("facts", []):
        ids = json.loads(f["sources"]) if isinstance(f["sources"], str) else list(f["sources"])
        facts.append({"kind": f["kind"], "key": f["key"], "field": f["field"], "value": f["value"],
                      "as_of": f["as_of"] or None, "note": f["note"] or None,
                      "sources": [{"id": i, "published": sources.get(i, {}).get("published") or None,
                                   "accessed": sources.get(i, {}).get("accessed") or None} for i in ids]})
    entries = [{"kind": e["kind"], "key": e["key"], "name": e["name"], "url": e["url"], "reviewed": e["reviewed"],
                "completeness": e["completeness"], "data": json.loads(e["data"])} for e in tables.get("entries", [])]
    doc = {"build": {"stamp": meta.get("stamp"), "built_at": meta.get("built_at")}, "licence": LICENCE,
           "entries": entries, "facts": facts,
           "sources": [{k: s.get(k) or None for k in ("id", "title", "url", "publisher", "published", "accessed",
                                                      "note")} for s in sources.values()]}
    (out / "kb.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    names = {(e["kind"], e["key"]): e["name"] for e in entries}
    rows = [[f["kind"], f["key"], names.get((f["kind"], f["key"]), ""), f["field"], f["value"], f["as_of"] or "",
             "; ".join(s["id"] for s in f["sources"]),
             "; ".join(sources.get(s["id"], {}).get("title", "") for s in f["sources"]),
             " ".join(sources.get(s["id"], {}).get("url", "") for s in f["sources"]),
             "; ".join(s["published"] or "" for s in f["sources"]),
             "; ".join(s["accessed"] or "" for s in f["sources"]), f["note"] or ""] for f in facts]
    (out / "facts.csv").write_text(csv_text(
        ["kind", "key", "name", "field", "value", "as_of", "source_ids", "source_titles", "source_urls",
         "source_dates", "sources_accessed", "note"], rows), encoding="utf-8")
    (out / "sources.csv").write_text(csv_text(
        ["id", "title", "url", "publisher", "published", "accessed", "note"],
        [[s.get(k, "") for k in ("id", "title", "url", "publisher", "published", "accessed", "note")]
         for s in sources.values()]), encoding="utf-8")
    return {p.name: p.stat().st_size for p in out.iterdir()}
