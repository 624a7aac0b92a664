"""The review queue: facts ordered by the age of their newest source, contacts first.

Maintainers re-check the oldest evidence first. The queue is computed from facts and sources
alone (pure functions), so the CLI can run it on checked content and the site on a build.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.evidence import is_contact, source_date, years_old


@dataclass(frozen=True)
class Item:
    kind: str
    key: str
    field: str
    value: str
    contact: bool
    date: str  # the source's own date ('' when no source states one)
    years: float | None
    source_id: str
    source_title: str
    source_url: str
    line: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def queue(facts: list[dict], sources: dict[str, dict], today: dt.date, contacts_only: bool = False,
          limit: int | None = None) -> list[Item]:
    """facts: dicts with kind, key, field, value, sources (ids), as_of, line.

    Order: contact details first, then every other fact; inside each, undated evidence first
    (nobody knows its age), then the oldest source date.
    """
    items = []
    for f in facts:
        if f["field"].endswith(".note"):
            continue
        refs = [sources.get(s, {"id": s}) for s in f["sources"]]
        date = source_date(f.get("as_of") or "", refs)
        newest = max(refs, key=lambda r: str(r.get("published") or ""), default={})
        contact = is_contact(f["field"])
        if contacts_only and not contact:
            continue
        items.append(Item(f["kind"], f["key"], f["field"], f["value"], contact, date, years_old(date, today),
                          newest.get("id", ""), newest.get("title", ""), newest.get("url", ""),
                          int(f.get("line") or 0)))
    items.sort(key=lambda i: (not i.contact, i.date != "", i.date, i.kind, i.key, i.field))
    return items[:limit] if limit else items
