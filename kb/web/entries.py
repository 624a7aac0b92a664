"""Lists and pages of countries, providers and topics."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for

from kb.fields import VOCABULARIES
from kb.web.params import choice
from kb.web.present import entry_view

bp = Blueprint("entries", __name__)

SORTS = {"name": lambda e: e["name"].lower(), "completeness": lambda e: -e["completeness"],
         "reviewed": lambda e: e["reviewed"] or "", "region": lambda e: (e["region"], e["name"])}


@bp.get("/countries")
def countries():
    rows = g.store.entries("countries")
    region = choice("region", list(VOCABULARIES["region"]))
    membership = choice("membership", list(VOCABULARIES["membership"]))
    budapest = choice("budapest", list(VOCABULARIES["budapest_status"]))
    retention = choice("retention", list(VOCABULARIES["retention_status"]))
    sort = choice("sort", list(SORTS), "name")
    shown = [e for e in rows
             if (not region or e["region"] == region)
             and (not membership or membership in e["memberships"])
             and (not budapest or e["budapest_status"] == budapest)
             and (not retention or e["retention_status"] == retention)]
    shown.sort(key=SORTS[sort])
    filters = {"region": region, "membership": membership, "budapest": budapest, "retention": retention}
    active = {k: v for k, v in filters.items() if v}
    sort_links = {col: url_for("entries.countries", **active, sort=col) for col in SORTS}
    return render_template("countries.html", rows=shown, total=len(rows), filters=filters, sort=sort,
                           sort_links=sort_links, title="Countries")


@bp.get("/providers")
def providers():
    return render_template("providers.html", rows=g.store.entries("providers"), title="Providers")


@bp.get("/topics")
def topics():
    return render_template("topics.html", rows=g.store.entries("topics"), title="Topics")


@bp.get("/<any(countries, providers, topics):kind>/<key>")
def entry(kind, key):
    view = entry_view(kind, key)
    return render_template("entry.html", title=view["entry"]["name"], **view)


@bp.get("/<any(countries, providers, topics):kind>/<key>/")
def entry_slash(kind, key):
    return redirect(url_for("entries.entry", kind=kind, key=key.lower()), code=301)
