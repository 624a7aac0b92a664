"""Home, about, sources and coverage pages."""
from __future__ import annotations

from flask import Blueprint, render_template

from kb.kinds import COVERAGE
from kb.web import summaries

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    countries, providers, topics = (summaries.entries(kind, with_filters=False)
                                    for kind in ("countries", "providers", "topics"))
    curated = sum(e["completeness"] for e in countries) / len(countries) if countries else 0
    return render_template("home.html", countries=countries, providers=providers, topics=topics,
                           curated=curated, title="Legal channels across borders")


@bp.get("/about")
def about():
    return render_template("about.html", title="About")


@bp.get("/sources")
def sources():
    from kb.web.source_list import source_list

    return source_list()


@bp.get("/sources/<source_id>")
def source(source_id):
    """One source and every entry that relies on it, with where (section or field)."""
    from kb.web.source_list import source_page

    return source_page(source_id)


@bp.get("/coverage")
def coverage():
    tables = {}
    for kind in COVERAGE:  # the kinds that declare coverage areas (kb/kinds.py)
        entries = {e["key"]: e for e in summaries.entries(kind, with_filters=False)}
        by_entry = summaries.coverage(kind)
        areas = COVERAGE[kind]
        totals = {a: {"sourced": 0, "stale": 0, "missing": 0, "not-applicable": 0, "facts": 0} for a in areas}
        for cells in by_entry.values():
            for a, c in cells.items():
                totals[a][c.status] = totals[a].get(c.status, 0) + 1
                totals[a]["facts"] += c.facts
        rows = [(entries[k], by_entry.get(k, {})) for k in sorted(entries, key=lambda k: entries[k]["name"])]
        tables[kind] = {"areas": areas, "rows": rows, "totals": totals}
    return render_template("coverage.html", tables=tables, title="Coverage")
