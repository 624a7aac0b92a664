"""The shape of a plan as the site and the API give it (`/api/route`, documented in README.md):
TypedDicts for its parts and the functions that fill them from a case and its steps.
"""
from __future__ import annotations

from typing import TypedDict

from kb.route import rules as R
from kb.route.case import Case
from kb.route.kbview import SourceRow, Subject
from kb.route.request import Request
from kb.route.step import Step


class Ref(TypedDict):
    """A country or provider named in the request (`url` is None when it has no entry here)."""
    code: str
    name: str
    url: str | None


RequestView = TypedDict("RequestView", {  # "from" is a keyword, hence this form
    "from": Ref | None, "provider": Ref | None, "country": Ref | None, "data_held_in": Ref | None,
    "data": str, "data_label": str, "urgent": bool, "defaults": list[str], "today": str,
})


class SourceView(TypedDict):
    """A source a step (or an urgent route) relies on, with its dates."""
    id: str
    title: str
    url: str
    date: str | None
    accessed: str | None


class StepView(TypedDict):
    n: int
    stage: str
    channel: str
    title: str
    who: str
    how: list[str]
    include: list[str]
    languages: list[str]
    limits: list[str]
    pitfalls: list[str]
    sources: list[SourceView]


class PlanView(TypedDict):
    request: RequestView
    steps: list[StepView]
    gaps: list[str]


def request_view(req: Request, case: Case) -> RequestView:
    def ref(s: Subject | None, code: str) -> Ref | None:
        if not code:
            return None
        return {"code": s.code if s else code, "name": s.name if s else code, "url": s.url if s else None}

    return {"from": ref(case.frm, req.from_), "provider": ref(case.prov, req.provider),
            "country": ref(case.kb.country(req.country), req.country),
            "data_held_in": ref(case.target, case.target_code), "data": req.data,
            "data_label": R.DATA_TYPES[req.data], "urgent": req.urgent, "defaults": list(req.defaults),
            "today": case.today.isoformat()}


def source_view(sid: str, src: SourceRow, as_of: str = "") -> SourceView:
    """A source id with what the bibliography says of it (`as_of`, the fact's own date, wins)."""
    return {"id": sid, "title": src.get("title", sid), "url": src.get("url", ""),
            "date": as_of or src.get("published") or None, "accessed": src.get("accessed") or None}


def step_view(n: int, s: Step, bib: dict[str, SourceRow]) -> StepView:
    return {"n": n, "stage": s.stage, "channel": s.channel, "title": s.title, "who": s.who, "how": s.how,
            "include": s.include, "languages": s.languages, "limits": s.limits, "pitfalls": s.pitfalls,
            "sources": [source_view(sid, bib.get(sid, {})) for sid in s.sources]}
