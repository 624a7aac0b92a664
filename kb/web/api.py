"""JSON API under /api/: a contract other tools rely on (see README)."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from kb.web.params import choice
from kb.web.present import ID_NAME, api_entry, entry_view
from kb.web.search_views import run_search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/")
def index():
    return jsonify({"endpoints": ["/api/countries", "/api/countries/<code>", "/api/providers",
                                  "/api/providers/<slug>", "/api/topics", "/api/topics/<slug>",
                                  "/api/search?q=&kind=&limit="], "build": g.store.meta().get("built_at")})


@bp.get("/<any(countries, providers, topics):kind>")
def listing(kind):
    rows = []
    for e in g.store.entries(kind):
        ident = e["data"].get("code", e["key"].upper()) if kind == "countries" else e["key"]
        row = {ID_NAME[kind]: ident, "name": e["name"], "url": e["url"], "completeness": e["completeness"],
               "reviewed": e["reviewed"]}
        if kind == "countries":
            row.update(region=e["region"], budapest=e["budapest_status"] or None,
                       retention=e["retention_status"] or None)
        if kind == "topics":
            row["summary"] = e["summary"]
        rows.append(row)
    return jsonify({kind: rows})


@bp.get("/<any(countries, providers, topics):kind>/<key>")
def detail(kind, key):
    return jsonify(api_entry(entry_view(kind, key)))


@bp.get("/search")
def search():
    facets = choice("facets", ["1", "0", "true", "false"], "1") in ("1", "true")
    answer, filters, limit, page = run_search(10, 50, facets=facets)
    return jsonify({
        "query": answer.query, "total": answer.total, "notice": answer.notice or None,
        "suggestion": answer.suggestion or None, "facets": answer.facets,
        "results": [{"kind": r.kind, ("code" if r.kind == "countries" else "slug"):
                     (r.key.upper() if r.kind == "countries" else r.key),
                     "section": r.section or None, "title": r.title, "heading": r.heading, "url": r.url,
                     "snippet": r.snippet, "score": r.score} for r in answer.results]})
