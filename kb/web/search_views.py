"""The search page."""
from __future__ import annotations

from flask import Blueprint, g, render_template, request

from kb.search import FACETS, KIND_LABELS
from kb.web.params import choice, integer

bp = Blueprint("search", __name__)
FILTERS = tuple(FACETS)  # kind, then every field declared with facet=True (kb.facets)


def run_search(limit_default: int, limit_max: int, facets: bool = True):
    q = request.args.get("q", "")
    limit = integer("limit", limit_default, 1, limit_max)
    page = integer("page", 1, 1, 50)
    filters = {name: request.args.get(name, "")[:60] for name in FILTERS}
    filters["kind"] = choice("kind", list(KIND_LABELS))
    answer = g.searcher.search(q, filters=filters, limit=limit, page=page, facets=facets)
    return answer, filters, limit, page


@bp.get("/search")
def search():
    answer, filters, limit, page = run_search(20, 100)
    return render_template("search.html", answer=answer, filters=filters, facets=FACETS, limit=limit, page=page,
                           kind_labels=KIND_LABELS, title=f"Search: {answer.query}" if answer.query else "Search")
