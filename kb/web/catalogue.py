"""Columns and filters derived from the field declarations in kb.fields.

The comparison builder offers every declared field (grouped, with its help text); the list pages
filter on every declared vocabulary field (kb.facets). Nothing here names a field by hand.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb import fields as declared
from kb.facets import UNKNOWN, filters
from kb.fields import SOURCE_KEYS
from kb.kinds import FIELDS

SOURCE_KEY_NAMES = {f.name for f in SOURCE_KEYS} | {"not_applicable"}


@dataclass(frozen=True)
class Column:
    id: str  # dotted path without list indexes, e.g. retention.months or emergency.phone
    label: str  # short, shown in the table header
    help: str
    group: str  # label of the group it belongs to
    type: str
    whole: bool = False  # a whole group (every sub-field in one cell)
    short: str = ""  # the label inside its group in the field picker


@lru_cache(maxsize=8)
def columns(kind: str = "countries") -> list[tuple[str, str, list[Column]]]:
    """[(group id, group label, [Column])]: general fields first, then one group per declared group."""
    general: list[Column] = []
    out: list[tuple[str, str, list[Column]]] = []
    for f in FIELDS[kind]:
        if f.type in ("group", "groups"):
            subs = [s for s in f.fields if s.name not in SOURCE_KEY_NAMES]
            cols = [Column(f.name, f"{f.title} (all)", f.help, f.title, f.type, whole=True,
                           short="All of it, in one column")]
            cols += [Column(f"{f.name}.{s.name}", f"{f.title}: {s.title.lower()}", s.help, f.title, s.type,
                            short=s.title) for s in subs]
            out.append((f.name, f.title, cols))
        else:
            general.append(Column(f.name, f.title, f.help, "General", f.type, short=f.title))
    return [("general", "General", general)] + out


@lru_cache(maxsize=8)
def column_index(kind: str = "countries") -> dict[str, Column]:
    return {c.id: c for _, _, cols in columns(kind) for c in cols}


OLD_SOURCE_YEARS = getattr(declared, "OLD_SOURCE_YEARS", 5)
NOT_APPLICABLE = getattr(declared, "NOT_APPLICABLE", "Not applicable")
DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def source_date(text) -> str:
    """An ISO date (or year-01-01) from a source's free-form date such as '2006' or '2014-11-26'."""
    m = DATE_RE.search(str(text or ""))
    if not m:
        return ""
    return f"{m.group(1)}-{m.group(2) or '01'}-{m.group(3) or '01'}"


def chosen(kind: str) -> dict[str, str]:
    """The list filters given in the query string, each checked against its vocabulary (plus "unknown")."""
    from kb.web.params import choice

    out = {}
    for flt in filters(kind):
        value = choice(flt.name, list(dict.fromkeys([v for v, _ in flt.options()] + [UNKNOWN])))
        if value:
            out[flt.name] = value
    return out
