"""How old the evidence behind a fact is, and whether a fact is a contact detail.

Shared by the site (fact boxes, API) and the maintainers' review queue; no Flask here.
"""
from __future__ import annotations

import datetime as dt
import re

from kb.fields import OLD_SOURCE_YEARS

CONTACT_GROUPS = ("central_authority", "contact_24_7", "other_authorities", "emergency", "le_portal")
CONTACT_FIELDS = ("name", "unit", "address", "phone", "fax", "email", "url", "channel")
_YEAR = re.compile(r"(19|20)\d\d(-\d\d(-\d\d)?)?")


def source_date(as_of: str, refs: list[dict]) -> str:
    """How old the evidence is: the date the fact's source states (as_of), else the newest of its
    sources' own dates. Never the day a curator read it."""
    if as_of:
        return as_of
    dates = [m.group(0) for r in refs for m in [_YEAR.search(str(r.get("published") or ""))] if m]
    return max(dates) if dates else ""


def years_old(date_text: str, today: dt.date) -> float | None:
    if not date_text:
        return None
    year, month, day = (list(map(int, date_text.split("-"))) + [1, 1])[:3]
    try:
        return (today - dt.date(year, month, day)).days / 365.25
    except ValueError:
        return None


def is_contact(field: str) -> bool:
    parts = [p for p in field.split(".") if not p.isdigit()]
    return len(parts) == 2 and parts[0] in CONTACT_GROUPS and parts[1] in CONTACT_FIELDS


def evidence_age(field: str, as_of: str, refs: list[dict], today: dt.date) -> dict:
    """The source date of a fact, and whether it is old enough to say so (contacts: confirm before use)."""
    date = source_date(as_of, refs)
    age = years_old(date, today)
    old = age is not None and age > OLD_SOURCE_YEARS
    mark = ""
    if old:
        mark = "old source: confirm before use" if is_contact(field) else "old source"
    return {"source_date": date, "old_source": old, "old_mark": mark}
