"""Narrow reads for the pages that list every entry or every source (home, lists, coverage, sources).

`Store.entries` parses each entry's whole front matter and keeps every column: at 5,000 entries
that is about 50 MB of objects for one kind, for a page that shows a name and a few columns, and
a worker keeps that peak for good (freed objects go back to Python's allocator, not to the
system). These read only the columns a list shows and, of the front matter, only the groups its
filters look at (sqlite's `->`), so listing every entry costs a few MB. Rows have the same keys
and values as `Store.entries` for what they hold; `data` holds the filters' groups only.
(They query through `Store.rows`; they could move into kb.store as `Store.summaries`.)
"""
from __future__ import annotations

import json
from typing import NamedTuple

from flask import g

from kb.facets import filters

COLUMNS = ("kind", "key", "name", "url", "region", "reviewed", "summary", "completeness", "aliases", "memberships")
JSON_COLUMNS = ("aliases", "memberships")


def entries(kind: str, with_filters: bool = True) -> list[dict]:
    """Every entry of `kind` by name: the list columns, and in `data` the front-matter groups that
    the kind's filters (kb.facets) read, so `facets.value`/`matches`/`display` work on them."""
    groups = list(dict.fromkeys(f.path.split(".")[0] for f in filters(kind))) if with_filters else []
    picks = "".join(f", data -> ? as g{i}" for i in range(len(groups)))
    rows = g.store.rows(f"select {', '.join(COLUMNS)}{picks} from entries where kind = ? order by name",
                        [f"$.{name}" for name in groups] + [kind])
    for row in rows:
        for col in JSON_COLUMNS:
            row[col] = json.loads(row[col]) if row[col] else []
        data = {}
        for i, name in enumerate(groups):
            raw = row.pop(f"g{i}")
            if raw is not None:
                data[name] = json.loads(raw)
        row["data"] = data
    return rows


class Cell(NamedTuple):
    """One coverage cell as the coverage page shows it."""

    status: str
    facts: int
    section: str


def coverage(kind: str) -> dict[str, dict[str, Cell]]:
    """entry key -> area -> Cell, for every entry of `kind` (three columns of the coverage table)."""
    out: dict[str, dict[str, Cell]] = {}
    statuses: dict[str, str] = {}  # one string object per status, not one per cell
    for r in g.store.rows("select key, area, status, facts, section from coverage where kind = ? "
                          "order by key, position", (kind,)):
        status = statuses.setdefault(r["status"], r["status"])
        out.setdefault(r["key"], {})[r["area"]] = Cell(status, r["facts"] or 0, r["section"] or "")
    return out


def citers(source_id: str) -> list[dict]:
    """The entries citing a source, each once (kind, key, name, where: the sections and fields that
    cite it), in `Store.citing`'s order."""
    seen: dict[tuple[str, str], dict] = {}
    for c in g.store.citing(source_id):
        row = seen.setdefault((c["kind"], c["key"]), {"kind": c["kind"], "key": c["key"], "name": c["name"],
                                                      "where": []})
        if c["location"] not in row["where"]:
            row["where"].append(c["location"])
    return list(seen.values())
