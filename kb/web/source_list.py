"""The bibliography page: every source, filterable by who cites it and how old it is; filters survive sorting."""
from __future__ import annotations

import datetime as dt

from flask import abort, g, render_template, url_for

from kb.web import catalogue, summaries
from kb.web.params import choice, integer, query
from kb.web.present import KINDS, age_days

SORTS = {"title": lambda s: s["title"].lower(), "accessed": lambda s: s["accessed"] or "",
         "published": lambda s: s["date"] or "0000", "cited": lambda s: -s["count"]}
PER_PAGE = 200  # sources per page (?all=1: every source on one page, as the static export writes it)
CITED_SHOWN = 12  # names listed per source on the list page; the source's own page lists them all
AGES = {"old": f"source dated more than {catalogue.OLD_SOURCE_YEARS} years ago",
        "recent": f"source dated within {catalogue.OLD_SOURCE_YEARS} years",
        "unknown": "the source states no date"}


def source_list():
    rows = g.store.sources()
    counts = g.store.citation_counts()
    kind = choice("kind", list(KINDS))
    age = choice("age", list(AGES))
    sort = choice("sort", list(SORTS), "title")
    cutoff = (g.today - dt.timedelta(days=365 * catalogue.OLD_SOURCE_YEARS)).isoformat()
    shown = []
    for s in rows:
        s["citing"] = summaries.citers(s["id"])  # each entry once: a source may be cited hundreds of times
        s["accessed_days"] = age_days(s["accessed"], g.today)
        s["count"] = counts.get(s["id"], 0)
        s["date"] = catalogue.source_date(s["published"])
        s["age"] = "unknown" if not s["date"] else ("old" if s["date"] < cutoff else "recent")
        if kind and not any(c["kind"] == kind for c in s["citing"]):
            continue
        if age and s["age"] != age:
            continue
        shown.append(s)
    shown.sort(key=SORTS[sort])
    filters = {k: v for k, v in (("kind", kind), ("age", age)) if v}
    sort_links = {col: url_for("pages.sources", **query(filters, sort=col)) for col in SORTS}
    every = choice("all", ["1"]) == "1"
    pages = 1 if every else max(1, -(-len(shown) // PER_PAGE))
    page = integer("page", 1, 1, pages)
    pager = [] if pages == 1 else [(n, url_for("pages.sources", **query(filters, sort=sort, page=str(n))))
                                   for n in range(1, pages + 1)]
    all_link = url_for("pages.sources", **query(filters, sort=sort, all="1")) if pager else ""
    on_page = shown if every else shown[(page - 1) * PER_PAGE: page * PER_PAGE]
    return render_template("sources.html", sources=on_page, matching=len(shown), first=(page - 1) * PER_PAGE + 1,
                           page=page, pager=pager, all_link=all_link, total=len(rows), filters=filters, sort=sort,
                           sort_links=sort_links, kinds=KINDS, ages=AGES, cited_shown=CITED_SHOWN, title="Sources")


def source_page(source_id: str):
    rows = g.store.sources([source_id])
    if not rows:
        abort(404, description=f"No source '{source_id}' in this knowledge base; the sources page lists them all.")
    s = rows[0]
    s["accessed_days"] = age_days(s["accessed"], g.today)
    s["date"] = catalogue.source_date(s["published"])
    citing = summaries.citers(source_id)
    by_kind = {k: [c for c in citing if c["kind"] == k] for k in KINDS}
    return render_template("source.html", s=s, by_kind={k: v for k, v in by_kind.items() if v}, kinds=KINDS,
                           total=len(citing), title=s["title"])
