"""Lists and pages of countries, providers and topics."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from kb import facets
from kb.kinds import url_rule
from kb.web import catalogue, summaries
from kb.web.params import choice, query
from kb.web.present import entry_view

ANY_KIND = url_rule()  # <any(countries, providers, topics):kind>, from kb.kinds
bp = Blueprint("entries", __name__)

SORTS = {"name": lambda e: e["name"].lower(), "completeness": lambda e: -e["completeness"],
         "reviewed": lambda e: e["reviewed"] or "", "region": lambda e: (e["region"], e["name"])}


def filtered(kind: str) -> tuple[list[dict], list[dict], dict[str, str]]:
    """(all entries, those matching the query's filters, the filters); filters come from kb.fields."""
    rows = summaries.entries(kind)  # the list columns and the filters' values, not every entry's front matter
    chosen = catalogue.chosen(kind)
    return rows, [e for e in rows if facets.matches(e, chosen, kind)], chosen


def listing(kind: str, template: str, title: str, sorts: dict):
    rows, shown, chosen = filtered(kind)
    sort = choice("sort", list(sorts), "name")
    shown.sort(key=sorts[sort])
    flts = facets.filters(kind)
    for e in shown:
        e["shown"] = {f.name: facets.display(e, f) for f in flts}
    sort_links = {col: url_for(f"entries.{kind}", **query(chosen, sort=col)) for col in sorts}
    return render_template(template, rows=shown, total=len(rows), filters=chosen, filter_list=flts, sort=sort,
                           sort_links=sort_links, title=title)


@bp.get("/countries")
def countries():
    return listing("countries", "countries.html", "Countries", SORTS)


PROVIDER_SORTS = {"name": SORTS["name"], "completeness": SORTS["completeness"], "reviewed": SORTS["reviewed"]}


@bp.get("/providers")
def providers():
    return listing("providers", "providers.html", "Providers", PROVIDER_SORTS)


@bp.get("/topics")
def topics():
    return render_template("topics.html", rows=summaries.entries("topics", with_filters=False), title="Topics")


@bp.get(f"/{ANY_KIND}/<key>")
def entry(kind, key):
    view = entry_view(kind, key)
    return render_template("entry.html", title=view["entry"]["name"], **view)


@bp.get(f"/{ANY_KIND}/<key>/")
def entry_slash(kind, key):
    return redirect(url_for("entries.entry", kind=kind, key=key.lower()), code=301)
