"""What the planner reads from a build: entries with their sourced facts, and the bibliography.

It wraps a `kb.store.Store` (the same rows the site reads) and caches per build, so the planner
never touches `content/`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Subject:
    """A country or provider with its facts by dotted field name."""
    kind: str
    key: str
    name: str
    url: str
    data: dict
    facts: dict[str, dict] = field(default_factory=dict)

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
        node = self.data
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

    def items(self, prefix: str) -> list[dict[str, str]]:
        """A list group (emergency.0.name ...) as a list of {subfield: value}, with `_sources`."""
        rows: dict[int, dict] = {}
        for name, f in self.facts.items():
            parts = name.split(".")
            if parts[0] == prefix and len(parts) == 3 and parts[1].isdigit():
                row = rows.setdefault(int(parts[1]), {"_sources": []})
                row[parts[2]] = f["value"]
                row["_sources"] += [s for s in f["sources"] if s not in row["_sources"]]
                if f.get("as_of"):
                    row["_as_of"] = f["as_of"]
        return [rows[i] for i in sorted(rows)]

    def as_of(self, prefix: str) -> str:
        dates = [f["as_of"] for n, f in self.facts.items() if (n == prefix or n.startswith(prefix + "."))
                 and f.get("as_of")]
        return max(dates) if dates else ""


class KBView:
    def __init__(self, store):
        self.store = store
        self._cache: dict[tuple, Subject | None] = {}
        self._names: dict[str, list[tuple[str, str]]] = {}

    def _subject(self, kind: str, key: str) -> Subject | None:
        k = (kind, key.lower())
        if k not in self._cache:
            e = self.store.entry(kind, key.lower())
            if not e:
                self._cache[k] = None
            else:
                facts = {f["field"]: f for f in self.store.facts(kind, e["key"])}
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

    def sources(self, ids: list[str]) -> dict[str, dict]:
        return {s["id"]: s for s in self.store.sources(list(ids))}

    def providers_in(self, code: str) -> list[dict]:
        return self.store.links(code)

    def countries_of(self, slug: str) -> list[dict]:
        return self.store.provider_countries(slug)
