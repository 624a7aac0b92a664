"""Plan a request route: which channels, in which order, for one case. Pure functions, no Flask.

`parse(args, kb)` turns query parameters into a `Request` (or raises `PlanError` with a sentence);
`plan(request, kb, today)` returns `{"request", "steps", "gaps"}` as documented in README.md. Every
step copies the texts and sources of the rules it relies on (`kb.route.rules`) and the facts of
the entries (read through `kb.route.kbview`). A fact that is missing becomes a sentence saying
what is unknown and what to do instead; nothing is guessed.

The stages live beside this module, one job each: `request` (parameters), `case` (the facts of
the case), `step` (a step and its wording helpers), `network` (the 24/7 network), `emergency`,
`preserve`, `eu_orders` (EU Preservation and Production Orders), `direct` (straight to the
provider: direct request, CLOUD Act, Second Protocol) and `assistance` (EIO, MLA). This module
puts them in order and shapes the result.
"""
from __future__ import annotations

import datetime as dt

from kb.route import rules as R
from kb.route.assistance import eio, mla
from kb.route.case import Case, domestic, emergency_case, make_case
from kb.route.direct import cloud_act, protocol, provider_direct
from kb.route.emergency import interpol, network_emergency, provider_emergency
from kb.route.eu_orders import eu_preservation, eu_production
from kb.route.kbview import KBView, Subject
from kb.route.preserve import network_preservation, provider_preservation
from kb.route.request import MAX_PARAM, PlanError, Request, parse
from kb.route.step import Step, contact_lines

__all__ = ["MAX_PARAM", "PlanError", "Request", "Step", "contact_lines", "parse", "plan", "request_view",
           "step_view"]


def plan(req: Request, kb: KBView, today: dt.date) -> dict:
    case = make_case(req, kb, today)
    steps: list[Step] = []
    if req.urgent:
        here = emergency_case(case)
        steps += [s for s in (provider_emergency(case), network_emergency(here)) if s]
        if here.target_code and not domestic(here):
            steps.append(interpol(here))
    steps += [s for s in (provider_preservation(case), network_preservation(case), eu_preservation(case)) if s]
    obtain = [s for s in (provider_direct(case), eu_production(case), eio(case), cloud_act(case)) if s]
    obtain += protocol(case)
    steps += obtain
    last = mla(case, steps)
    if last:
        steps.append(last)
    if not any(s.stage == "obtain" for s in steps) and not domestic(case):
        case.gaps.append("No channel to obtain this data could be established from the facts curated here; "
                         "ask your central authority.")
    ids = [i for s in steps for i in s.sources]
    bib = kb.sources(list(dict.fromkeys(ids)))
    return {"request": request_view(req, case), "steps": [step_view(n, s, bib) for n, s in enumerate(steps, 1)],
            "gaps": list(dict.fromkeys(case.gaps))}


def request_view(req: Request, case: Case) -> dict:
    def ref(s: Subject | None, code: str) -> dict | None:
        if not code:
            return None
        return {"code": s.code if s else code, "name": s.name if s else code, "url": s.url if s else None}

    return {"from": ref(case.frm, req.from_), "provider": ref(case.prov, req.provider),
            "country": ref(case.kb.country(req.country), req.country),
            "data_held_in": ref(case.target, case.target_code), "data": req.data,
            "data_label": R.DATA_TYPES[req.data], "urgent": req.urgent, "defaults": list(req.defaults),
            "today": case.today.isoformat()}


def step_view(n: int, s: Step, bib: dict[str, dict]) -> dict:
    sources = []
    for sid in s.sources:
        src = bib.get(sid, {})
        sources.append({"id": sid, "title": src.get("title", sid), "url": src.get("url", ""),
                        "date": src.get("published") or None, "accessed": src.get("accessed") or None})
    return {"n": n, "stage": s.stage, "channel": s.channel, "title": s.title, "who": s.who, "how": s.how,
            "include": s.include, "languages": s.languages, "limits": s.limits, "pitfalls": s.pitfalls,
            "sources": sources}
