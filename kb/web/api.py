"""JSON API under /api/: a contract other tools rely on (see README)."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, url_for
from markupsafe import Markup

from kb import facets
from kb.kinds import KINDS, key_of, url_rule
from kb.web import catalogue, summaries
from kb.web.params import choice
from kb.web.present import ID_NAME, api_entry, entry_view
from kb.web.search_views import run_search

ANY_KIND = url_rule()  # <any(countries, providers, topics):kind>, from kb.kinds
bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/")
def index():
    lists = {k: url_for("api.listing", kind=k) for k in KINDS}
    listed = [p for k in KINDS.values() for p in (lists[k.name], f"{lists[k.name]}/<{k.id_field}>")]
    return jsonify({"endpoints": listed + [url_for("api.search") + "?q=&kind=&limit="],
                    "build": g.store.meta().get("built_at")})


@bp.get(f"/{ANY_KIND}")
def listing(kind):
    """The same filters as the list pages (e.g. ?region=Asia&membership=G20); unknown values are a 400."""
    rows = []
    chosen = catalogue.chosen(kind)
    for e in summaries.entries(kind):
        if not facets.matches(e, chosen, kind):
            continue
        ident = key_of(kind, e["key"])
        row = {ID_NAME[kind]: ident, "name": e["name"], "url": e["url"], "completeness": e["completeness"],
               "reviewed": e["reviewed"]}
        row.update({f.name: facets.value(e["data"], f) for f in facets.filters(kind) if f.facet})
        if kind == "topics":
            row["summary"] = e["summary"]
        rows.append(row)
    return jsonify({kind: rows, "filters": chosen, "total": len(rows)})


@bp.get(f"/{ANY_KIND}/<key>")
def detail(kind, key):
    """The entry; each fact also lists its sources with their dates (`source_dates`)."""
    view = entry_view(kind, key)
    doc = api_entry(view)
    by_id = {s["id"]: s for s in view["sources"]}
    for fact in doc["facts"]:
        fact["source_dates"] = [{"id": sid, "published": by_id.get(sid, {}).get("published") or None,
                                 "accessed": by_id.get(sid, {}).get("accessed") or None}
                                for sid in fact["sources"]]
    return jsonify(doc)


@bp.get("/search")
def search():
    with_facets = choice("facets", ["1", "0", "true", "false"], "1") in ("1", "true")
    answer, filters, limit, page = run_search(10, 50, facets=with_facets)
    return jsonify({
        "query": answer.query, "total": answer.total, "notice": answer.notice or None,
        "suggestion": answer.suggestion or None, "facets": answer.facets,
        "results": [{"kind": r.kind, KINDS[r.kind].id_field: key_of(r.kind, r.key),
                     "section": r.section or None, "title": r.title, "heading": r.heading, "url": r.url,
                     "snippet": r.snippet, "snippet_text": Markup(r.snippet).striptags(), "score": r.score} for r in answer.results]})
