"""Filters and search facets, derived from the field declarations (kb.fields, kb.kinds).

Every vocabulary field not inside a repeated group is a filter: of its kind's list page, of the
API list and of the comparison builder. A field declared with `facet=True` is also a facet of the
search page (indexed with each search document, counted per query). Nothing here names a field
by hand: a new filterable field is its declaration.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kb.fields import VOCABULARIES, Field
from kb.frontmatter import value_at
from kb.kinds import FIELDS, KINDS

UNKNOWN = "unknown"  # what a missing value is called in lists, filters and exports (never "no")


@dataclass(frozen=True)
class Filter:
    name: str  # query parameter (list pages, API, search) and search index field
    path: str  # dotted path in the entry's front matter
    label: str
    help: str
    vocab: str
    multi: bool  # a list of vocabulary values (memberships)
    facet: bool = False  # also a facet of the search page

    def options(self) -> list[tuple[str, str]]:
        return list(VOCABULARIES[self.vocab].items())


def _filter_name(path: str) -> str:
    if "." in path and not path.endswith(".status"):
        return path.replace(".", "_")
    name = path.split(".")[0]
    return {"memberships": "membership"}.get(name, name)


def _is_filter(f: Field) -> bool:
    return bool(f.vocab and f.vocab in VOCABULARIES and (
        f.type in ("vocab", "answer") or (f.type == "list" and f.item == "vocab")))


@lru_cache(maxsize=8)
def filters(kind: str) -> tuple[Filter, ...]:
    """Every vocabulary field of `kind` not inside a repeated group, in declaration order."""
    out: list[Filter] = []

    def add(f: Field, path: str, label: str):
        if _is_filter(f):
            out.append(Filter(_filter_name(path), path, label, f.help, f.vocab, f.type == "list", f.facet))

    for f in FIELDS.get(kind, ()):
        if f.type == "group":
            for s in f.fields:
                add(s, f"{f.name}.{s.name}", f.title if s.name == "status" else f"{f.title}: {s.title.lower()}")
        elif f.type != "groups":
            add(f, f.name, f.title)
    return tuple(out)


@lru_cache(maxsize=1)
def search_facets() -> tuple[Filter, ...]:
    """The search page's facets after `kind`: every filter declared with facet=True, once per name
    (a name shared by two kinds is one facet)."""
    seen: dict[str, Filter] = {}
    for kind in KINDS:
        for flt in filters(kind):
            if flt.facet:
                seen.setdefault(flt.name, flt)
    return tuple(seen.values())


def facet_labels() -> dict[str, str]:
    """Search facet name -> label, `kind` first."""
    return {"kind": "Kind", **{f.name: f.label for f in search_facets()}}


def value(data: dict, flt: Filter):
    """The entry's value for a filter (a list for multi-valued ones), None when absent."""
    return value_at(data, flt.path)


def index_value(data: dict, flt: Filter) -> str:
    """The value as the search index stores it: comma-separated for multi-valued facets, '' if absent."""
    v = value(data, flt)
    if v is None:
        return ""
    return ",".join(map(str, v)) if isinstance(v, list) else str(v)


def matches(entry: dict, chosen: dict[str, str], kind: str) -> bool:
    for flt in filters(kind):
        want = chosen.get(flt.name)
        if not want:
            continue
        v = value(entry["data"], flt)
        if want == UNKNOWN:  # missing, or stated as unknown where the vocabulary has that word
            if v is not None and v != UNKNOWN:
                return False
            continue
        if flt.multi:
            if want not in (v or []):
                return False
        elif str(v) != want:
            return False
    return True


def display(entry: dict, flt: Filter) -> str:
    v = value(entry["data"], flt)
    if v is None:
        return UNKNOWN
    return ", ".join(map(str, v)) if isinstance(v, list) else str(v)
