"""What the planner reads from a build: entries with their sourced facts, and the bibliography.

It wraps a `kb.store.Store` (the same rows the site reads) and caches per build, so the planner
never touches `content/`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, cast

if TYPE_CHECKING:
    from kb.store import Store


class Fact(TypedDict):
    """One row of a build's `facts` table, as the planner reads it (other columns are not read)."""
    field: str
    value: str
    note: str | None
    sources: list[str]
    as_of: str | None


class SourceRow(TypedDict, total=False):
    """One row of a build's `sources` table, as the planner reads it."""
    id: str
    title: str
    url: str
    published: str | None
    accessed: str | None


class Row(dict[str, str]):
    """One item of a list group (`emergency.0.name` ...): {subfield: value}, with the sources of
    its facts (in order, once each) and the date of the last one that has one."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.as_of = ""


@dataclass
class Subject:
    """A country or provider with its facts by dotted field name."""
    kind: str
    key: str
    name: str
    url: str
    data: dict[str, Any]  # the entry's front matter, as parsed YAML
    facts: dict[str, Fact] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.key.upper() if self.kind == "countries" else self.key

    def value(self, name: str) -> str:
        f = self.facts.get(name)
        return f["value"] if f else ""

    def note(self, name: str) -> str:
        f = self.facts.get(name)
        return (f.get("note") or "") if f else ""

    def values(self, name: str) -> list[str]:
        """A list field, read from the front matter (items may contain '; ')."""
        node: object = self.data
        for part in name.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and "value" in node:
            node = node["value"]
        if isinstance(node, list):
            return [str(x["value"] if isinstance(x, dict) and "value" in x else x) for x in node]
        v = self.value(name)
        return [x for x in v.split("; ") if x] if v else []

    def sources(self, *prefixes: str) -> list[str]:
        """Sources of every fact under the given field prefixes, in order, once each."""
        out: list[str] = []
        for name, f in self.facts.items():
            if any(name == p or name.startswith(p + ".") for p in prefixes):
                out += [s for s in f["sources"] if s not in out]
        return out

    def has(self, prefix: str) -> bool:
        """Whether any fact is curated under `prefix` (a group marked not applicable has none)."""
        return any((n == prefix or n.startswith(prefix + ".")) and not n.endswith(".not_applicable")
                   for n in self.facts)

    def not_applicable(self, prefix: str) -> str:
        """Why a group does not apply to this entry (`not_applicable`), or ""."""
        return self.value(f"{prefix}.not_applicable")

    def items(self, prefix: str) -> list[Row]:
        """A list group (emergency.0.name ...) as a list of rows, in the order of the front matter."""
        rows: dict[int, Row] = {}
        for name, f in self.facts.items():
            parts = name.split(".")
            if parts[0] == prefix and len(parts) == 3 and parts[1].isdigit():
                row = rows.setdefault(int(parts[1]), Row())
                row[parts[2]] = f["value"]
                row.sources += [s for s in f["sources"] if s not in row.sources]
                if f.get("as_of"):
                    row.as_of = f["as_of"] or ""
        return [rows[i] for i in sorted(rows)]

    def as_of(self, prefix: str) -> str:
        dates = [f["as_of"] or "" for n, f in self.facts.items() if (n == prefix or n.startswith(prefix + "."))
                 and f.get("as_of")]
        return max(dates) if dates else ""


class KBView:
    def __init__(self, store: Store):
        self.store = store
        self._cache: dict[tuple[str, str], Subject | None] = {}
        self._names: dict[str, list[tuple[str, str]]] = {}

    def _subject(self, kind: str, key: str) -> Subject | None:
        k = (kind, key.lower())
        if k not in self._cache:
            e = self.store.entry(kind, key.lower())
            if not e:
                self._cache[k] = None
            else:
                rows = cast(list[Fact], self.store.facts(kind, e["key"]))  # the Store's rows are untyped dicts
                facts = {f["field"]: f for f in rows}
                self._cache[k] = Subject(kind, e["key"], e["name"], e["url"], e["data"], facts)
        return self._cache[k]

    def country(self, code: str | None) -> Subject | None:
        return self._subject("countries", code) if code else None

    def provider(self, slug: str | None) -> Subject | None:
        return self._subject("providers", slug) if slug else None

    def names(self, kind: str) -> list[tuple[str, str]]:
        """(code or slug, name) of every entry of a kind, by name."""
        if kind not in self._names:
            self._names[kind] = [(e["key"].upper() if kind == "countries" else e["key"], e["name"])
                                 for e in self.store.entries(kind)]
        return self._names[kind]

    def sources(self, ids: list[str]) -> dict[str, SourceRow]:
        rows = cast(list[SourceRow], self.store.sources(list(ids)))  # the Store's rows are untyped dicts
        return {s["id"]: s for s in rows}

    def providers_in(self, code: str) -> list[dict[str, str]]:
        """The providers with an entity in a country: provider (slug), name, entity, role."""
        return self.store.links(code)

    def countries_of(self, slug: str) -> list[dict[str, str]]:
        """The countries a provider names entities in: provider, country, entity, role."""
        return self.store.provider_countries(slug)
