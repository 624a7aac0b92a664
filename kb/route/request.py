"""The planner's input: query parameters read into a `Request`, or a `PlanError` with a sentence."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kb.route import rules as R
from kb.route.kbview import KBView

MAX_PARAM = 60


class PlanError(ValueError):
    """Bad parameters; the message is a sentence for the person who sent them."""


@dataclass(frozen=True)
class Request:
    from_: str  # requesting country code, or ""
    provider: str  # provider slug, or ""
    country: str  # country code where the data is, or ""
    data: str  # subscriber | traffic | content
    urgent: bool
    defaults: tuple[str, ...] = ()

    def args(self, **extra: str) -> dict[str, str]:
        """The request as query parameters (with `extra` ones), empty ones left out."""
        out = {"from": self.from_.lower(), "provider": self.provider, "country": self.country.lower(),
               "data": self.data, "urgent": "1" if self.urgent else "0"}
        out.update(extra)
        return {k: v for k, v in out.items() if v}


def parse(args: Mapping[str, str], kb: KBView) -> Request:
    def get(name: str) -> str:
        raw = (args.get(name) or "").strip()
        if len(raw) > MAX_PARAM:
            raise PlanError(f"The parameter '{name}' is too long ({len(raw)} characters); give a code or slug.")
        return raw

    frm, provider, country, data, urgent = (get(n) for n in ("from", "provider", "country", "data", "urgent"))
    for name, code in (("from", frm), ("country", country)):
        if code and not kb.country(code):
            what = "your (requesting) country" if name == "from" else "the country where the data is"
            raise PlanError(f"There is no country with the code '{code}' in this knowledge base ({name}, "
                            f"{what}); use a two-letter code listed on /countries, e.g. fr or nl.")
    if provider and not kb.provider(provider.lower()):
        raise PlanError(f"There is no provider '{provider}' in this knowledge base; use a name listed on "
                        "/providers, e.g. meta or google.")
    if not provider and not country:
        raise PlanError("Say where the data is: choose a provider (e.g. provider=meta), a country (e.g. country=nl), "
                        "or both.")
    defaults = []
    if not data:
        data, defaults = "content", ["data"]
    elif data not in R.DATA_TYPES:
        raise PlanError(f"The parameter 'data' must be one of {', '.join(R.DATA_TYPES)}; received '{data}'.")
    if urgent not in ("", "0", "1", "on", "true", "false"):
        raise PlanError(f"The parameter 'urgent' must be 0 or 1; received '{urgent}'.")
    return Request(frm.upper(), provider.lower(), country.upper(), data, urgent in ("1", "on", "true"),
                   tuple(defaults))
