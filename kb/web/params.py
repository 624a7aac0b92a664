"""Query-string parsing: bad input becomes a 400 with a sentence, never a 500."""
from __future__ import annotations

from typing import Any

from flask import abort, request


def bad(message: str):
    abort(400, description=message)


def integer(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        bad(f"The parameter '{name}' must be a whole number between {low} and {high}; received '{raw[:40]}'.")
    if not low <= value <= high:
        bad(f"The parameter '{name}' must be between {low} and {high}; received {value}.")
    return value


def choice(name: str, choices, default: str = "") -> str:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if raw not in choices:
        bad(f"The parameter '{name}' must be one of {', '.join(choices)}; received '{raw[:40]}'.")
    return raw


def query(chosen: dict[str, str], **more: str) -> dict[str, Any]:
    """Query-string values for `url_for(endpoint, **query(...))`: the chosen filters, then `more`."""
    return {**chosen, **more}


def csv_list(name: str) -> list[str]:
    raw = ",".join(request.args.getlist(name))
    return [x.strip() for x in raw.split(",") if x.strip()]
