"""The maintainers' review queue: the oldest evidence first, contacts first (`kb review` on the CLI)."""
from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request

from kb.kinds import KINDS
from kb.review import queue
from kb.web import summaries

bp = Blueprint("review", __name__)


@bp.get("/review")
def review():
    contacts_only = request.args.get("contacts", "") in ("1", "on", "yes")
    try:
        limit = int(request.args.get("limit", "100"))
    except ValueError:
        abort(400, description="limit must be a whole number between 1 and 1000, e.g. ?limit=50.")
    if not 1 <= limit <= 1000:
        abort(400, description="limit must be a whole number between 1 and 1000, e.g. ?limit=50.")
    sources = {s["id"]: s for s in g.store.sources()}
    items = queue(g.store.all_facts(), sources, g.today, contacts_only=contacts_only, limit=limit)
    names = {(e["kind"], e["key"]): e for kind in KINDS
             for e in summaries.entries(kind, with_filters=False)}
    return render_template("review.html", items=items, names=names, contacts_only=contacts_only, limit=limit,
                           title="Review queue")
