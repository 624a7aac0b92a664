"""Route planner pages (/route, /route/draft...) and API (/api/route); the urgent block of entry pages.

The rules and the planning live in kb.route (pure); this module only parses the query string,
reads the current build through kb.route.kbview and renders. Nothing typed is stored or sent.
"""
from __future__ import annotations

from typing import Any, TypedDict

from flask import Blueprint, Response, g, jsonify, redirect, render_template, request, url_for

from kb.kinds import CARD_KINDS
from kb.route import drafts, planner, urgent
from kb.route import rules as R
from kb.route.kbview import KBView, SourceRow
from kb.web import respond_error

bp = Blueprint("route", __name__)

PARAMS = ("from", "provider", "country", "data", "urgent")


def kb() -> KBView:
    if "route_kb" not in g:
        g.route_kb = KBView(g.store)
    return g.route_kb


def form_context(error: str = "") -> dict[str, object]:
    k = kb()
    return {"countries": k.names("countries"), "providers": k.names("providers"), "data_types": R.DATA_TYPES,
            "args": {p: request.args.get(p, "") for p in PARAMS}, "error": error}


def link(endpoint: str, args: dict[str, str]) -> str:
    """url_for with query parameters only. (mypy reads **dict[str, str] as possibly filling url_for's own
    _external/_scheme keywords, so the values are passed on as Any.)"""
    values: dict[str, Any] = dict(args)
    return url_for(endpoint, **values)


def draft_links(req: planner.Request, steps: list[planner.StepView]) -> dict[int, str]:
    links = {}
    for s in steps:
        kind = {"emergency": "emergency", "preserve": "preservation"}.get(s["stage"])
        if kind and s["channel"] in ("provider-emergency", "provider-preservation", "24-7-network",
                                     "eu-preservation-order"):
            links[s["n"]] = link("route.draft", {"kind": kind, "channel": s["channel"], **req.args()})
    return links


@bp.get("/route")
def route_page():
    if not any(request.args.get(p) for p in PARAMS if p != "urgent"):
        return render_template("route.html", title="Plan a request", plan=None, **form_context())
    try:
        req = planner.parse(request.args, kb())
    except planner.PlanError as exc:
        return render_template("route.html", title="Plan a request", plan=None, **form_context(str(exc))), 400
    result = planner.plan(req, kb(), g.today)
    return render_template("route.html", title=route_title(result), plan=result,
                           drafts=draft_links(req, result["steps"]),
                           api_url=link("route.api_route", req.args()), channels=R.CHANNELS, **form_context())


def route_title(result: planner.PlanView) -> str:
    r = result["request"]
    where = " / ".join(x["name"] for x in (r["provider"], r["country"]) if x)
    return f"{'Urgent: ' if r['urgent'] else ''}Route to {where}"


@bp.get("/api/route")
def api_route():
    try:
        req = planner.parse(request.args, kb())
    except planner.PlanError as exc:
        return respond_error(400, str(exc))
    return jsonify(planner.plan(req, kb(), g.today))


@bp.get("/urgent")
def urgent_page():
    """Short address for the emergency route: /urgent?provider=meta is /route?provider=meta&urgent=1."""
    args = {p: request.args[p] for p in PARAMS if request.args.get(p)}
    args["urgent"] = "1"
    return redirect(link("route.route_page", args), code=303)


class DraftContext(TypedDict):
    """What draft.html and the downloads read."""
    kind: str
    draft: drafts.Draft
    fields: list[drafts.FilledField]
    step: planner.StepView | None
    req: planner.Request
    request_view: planner.RequestView
    languages: list[str]
    rule_sources: list[SourceRow]
    hidden: dict[str, str]
    route_url: str


def draft_context() -> DraftContext | str:
    """The draft asked for, pre-filled from its route step, or a sentence saying what is wrong."""
    kind = request.args.get("kind", "")
    if kind not in drafts.DRAFTS:
        return f"The parameter 'kind' must be one of {', '.join(drafts.DRAFTS)}; received '{kind[:40]}'."
    args = request.args.copy()
    if kind == "emergency":
        args["urgent"] = "1"
    try:
        req = planner.parse(args, kb())
    except planner.PlanError as exc:
        return str(exc)
    result = planner.plan(req, kb(), g.today)
    stage = "emergency" if kind == "emergency" else "preserve"
    channel = request.args.get("channel", "")
    steps = [s for s in result["steps"] if s["stage"] == stage]
    step = next((s for s in steps if s["channel"] == channel), steps[0] if steps else None)
    if kind == "emergency" and not step:
        return "This route has no emergency step: add urgent=1 and a provider or a country."
    prov = kb().provider(req.provider)
    pre = drafts.prefill(kind, step, result["request"], g.today, prov.items("entities") if prov else [])
    fields = drafts.fill(kind, request.args, pre)
    languages = list(step["languages"]) if step else []
    sources = kb().sources(drafts.rule_sources(kind))
    return {"kind": kind, "draft": drafts.DRAFTS[kind], "fields": fields, "step": step, "req": req,
            "request_view": result["request"], "languages": languages,
            "rule_sources": [sources.get(i, {"id": i, "title": i, "url": ""}) for i in drafts.rule_sources(kind)],
            "hidden": dict(req.args(kind=kind, channel=step["channel"] if step else "")),
            "route_url": link("route.route_page", req.args())}


NO_STORE = {"Cache-Control": "no-store"}  # drafts carry what the investigator typed: no cache keeps them


@bp.get("/route/draft")
def draft():
    ctx = draft_context()
    if isinstance(ctx, str):
        return render_template("route.html", title="Plan a request", plan=None, **form_context(ctx)), 400, NO_STORE
    return render_template("draft.html", title=ctx["draft"].title, **ctx), 200, NO_STORE


@bp.get("/route/draft.txt")
def draft_txt():
    ctx = draft_context()
    if isinstance(ctx, str):
        return Response(ctx + "\n", status=400, mimetype="text/plain", headers=NO_STORE)
    text = drafts.as_text(ctx["kind"], ctx["fields"], ctx["languages"])
    return Response(text, mimetype="text/plain", headers={
        "Content-Disposition": f'attachment; filename="{ctx["kind"]}-request.txt"', **NO_STORE})


@bp.get("/route/draft.docx")
def draft_docx():
    ctx = draft_context()
    if isinstance(ctx, str):
        return Response(ctx + "\n", status=400, mimetype="text/plain", headers=NO_STORE)
    data = drafts.as_docx(ctx["kind"], ctx["fields"], ctx["languages"])
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="{ctx["kind"]}-request.docx"', **NO_STORE})


@bp.app_context_processor
def urgent_helpers() -> dict[str, object]:
    def urgent_for(kind: str, key: str) -> urgent.Block | None:
        if kind not in CARD_KINDS or "store" not in g:
            return None
        return urgent.block(kb(), kind, key)

    def urgent_options() -> dict[str, list[tuple[str, str]]]:
        return {"countries": kb().names("countries"), "providers": kb().names("providers")} if "store" in g else {}

    return {"urgent_for": urgent_for, "urgent_options": urgent_options}
