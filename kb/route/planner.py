"""Plan a request route: which channels, in which order, for one case. Pure functions, no Flask.

`parse(args, kb)` turns query parameters into a `Request` (or raises `PlanError` with a sentence);
`plan(request, kb, today)` returns `{"request", "steps", "gaps"}` as documented in README.md. Every
step copies the texts and sources of the rules it relies on (`kb.route.rules`) and the facts of
the entries (read through `kb.route.kbview`). A fact that is missing becomes a sentence saying
what is unknown and what to do instead; nothing is guessed.

The stages live beside this module, one job each: `request` (parameters), `case` (the facts of
the case), `step` (a step and its wording helpers), `network` (the 24/7 network), `emergency`,
`preserve`, `eu_orders` (EU Preservation and Production Orders), `direct` (straight to the
provider: direct request, CLOUD Act, Second Protocol) and `assistance` (EIO, MLA); `views` gives
the result its shape. This module puts the stages in order.
"""
from __future__ import annotations

import datetime as dt

from kb.route.assistance import eio, mla
from kb.route.case import domestic, emergency_case, make_case
from kb.route.direct import cloud_act, protocol, provider_direct
from kb.route.emergency import interpol, network_emergency, provider_emergency
from kb.route.eu_orders import eu_preservation, eu_production
from kb.route.kbview import KBView
from kb.route.preserve import network_preservation, provider_preservation
from kb.route.request import MAX_PARAM, PlanError, Request, parse
from kb.route.step import Step, contact_lines
from kb.route.views import PlanView, RequestView, StepView, request_view, step_view

__all__ = ["MAX_PARAM", "PlanError", "PlanView", "Request", "RequestView", "Step", "StepView", "contact_lines",
           "parse", "plan", "request_view", "step_view"]


def plan(req: Request, kb: KBView, today: dt.date) -> PlanView:
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

