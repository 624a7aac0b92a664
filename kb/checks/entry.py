"""One entry's checks: its fields and groups, flattened into sourced facts (per-type value checks
are in `kb.checks.values`, the Markdown body's in `kb.checks.body`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.checks.body import BodyChecks
from kb.checks.text import describe, fmt_choices, suggest
from kb.checks.values import VALUE_CHECKS, Say, check_date
from kb.content import Entry
from kb.fields import NOT_APPLICABLE, Field
from kb.kinds import FIELDS
from kb.problems import Problem


@dataclass
class Fact:
    kind: str
    key: str
    field: str  # dotted path, e.g. central_authority.phone or emergency.0.phone
    value: str
    sources: list[str]
    as_of: str
    note: str
    line: int



class EntryValidator(BodyChecks):
    """Checks one entry; collects facts, citations and problems."""

    def __init__(self, entry: Entry, today: dt.date, problems: list[Problem]):
        self.e = entry
        self.today = today
        self.problems = problems
        self.facts: list[Fact] = []
        self.citations: list[tuple] = []

    def problem(self, path, message, hint="", line=None):
        name = ".".join(str(p) for p in path) or "front matter"
        self.problems.append(Problem(self.e.path, line or self.e.line_of(*path), name, message, hint))

    def say(self, path) -> Say:
        return lambda message, hint: self.problem(path, message, hint)

    # -- leaf values -------------------------------------------------------------------------
    def leaf(self, f: Field, value, path) -> str | None:
        """Validate one value; return its text form or None when invalid."""
        t = f.type
        if value == [] and t == "list":
            return None  # an empty list is the same as no list (skeletons write `aliases: []`)
        if value is None or value == "" or value == []:
            self.problem(path, "is empty", f"give a value or remove the line ({f.help})")
            return None
        if t == "list":
            return self.items(f, value, path)
        if isinstance(value, (dict, list)):
            self.problem(path, f"expected a single {t} value, received {describe(value)}",
                         "write the value on the same line after the colon")
            return None
        return VALUE_CHECKS[t](f, value, self.say(path), self.today)

    def items(self, f: Field, value, path) -> str | None:
        if not isinstance(value, list):
            self.problem(path, f"expected a list, received {describe(value)}",
                         f"write it as [a, b] or as '- item' lines ({f.help})")
            return None
        out = []
        for i, item in enumerate(value):
            item_value = item
            if isinstance(item, dict) and "value" in item:
                item_value = item["value"]
                self.sources_of(item, path + (i,))
            text = self.leaf(Field(f.name, f.item, f.help, vocab=f.vocab), item_value, path + (i,))
            if text is not None:
                out.append(text)
        dupes = {x for x in out if out.count(x) > 1}
        if dupes:
            self.problem(path, f"lists {', '.join(sorted(dupes))} more than once", "keep each item once")
        return "; ".join(out)

    def date(self, value, path) -> str | None:
        return check_date(None, value, self.say(path), self.today)

    # -- sources -----------------------------------------------------------------------------
    def sources_of(self, mapping: dict, path) -> list[str]:
        raw = mapping.get("source")
        if raw is None:
            return []
        ids = raw if isinstance(raw, list) else [raw]
        out = []
        for i, sid in enumerate(ids):
            if not isinstance(sid, str) or not sid.strip():
                self.problem(path + ("source",), f"expected a source id, received {describe(sid)}",
                             "name an id from content/sources (e.g. source: coe-185-declarations)")
                continue
            out.append(sid.strip())
            line = self.e.line_of(*path, "source", i) if isinstance(raw, list) else self.e.line_of(*path, "source")
            self.citations.append((sid.strip(), self.e.kind, self.e.key, ".".join(map(str, path)), line))
        return out

    # -- groups ------------------------------------------------------------------------------
    def mapping(self, fields, data: dict, path, inherited: list[str], as_of: str, in_source_group=False):
        known = {f.name: f for f in fields}
        for key in data:
            if key not in known:
                hint = suggest(key, known) or f"known fields here: {fmt_choices(known)}"
                self.problem(path + (key,), "unknown field", hint)
        for f in fields:
            if f.name in ("source", "as_of", "note") and f.sourced is False and in_source_group:
                continue
            if f.name not in data:
                if f.required:
                    self.problem(path, f"the required field '{f.name}' is missing", f"add '{f.name}:' ({f.help})",
                                 line=self.e.line_of(*path) if path else 2)
                continue
            self.field(f, data[f.name], path + (f.name,), inherited, as_of, in_source_group)

    def field(self, f: Field, value, path, inherited, as_of, sourced_context):
        if f.type in ("group", "groups"):
            items = value if f.type == "groups" else [value]
            if f.type == "groups" and not isinstance(value, list):
                self.problem(path, f"expected a list of entries, received {describe(value)}",
                             "start each entry with '- name: ...'")
                return
            for i, item in enumerate(items):
                ipath = path + (i,) if f.type == "groups" else path
                if not isinstance(item, dict):
                    self.problem(ipath, f"expected a group of fields, received {describe(item)}",
                                 f"indent its fields under it ({', '.join(x.name for x in f.fields[:4])} ...)")
                    continue
                srcs = self.sources_of(item, ipath)
                group_as_of = self.date(item["as_of"], ipath + ("as_of",)) if "as_of" in item else as_of
                if "note" in item and not isinstance(item["note"], str):
                    self.problem(ipath + ("note",), f"expected text, received {describe(item['note'])}",
                                 "write the note as one line of text (quote it if it has a colon)")
                self.mapping([x for x in f.fields if x.name not in ("source", "as_of", "note")],
                             {k: v for k, v in item.items() if k not in ("source", "as_of", "note")},
                             ipath, srcs, group_as_of or "", in_source_group=True)
                if isinstance(item.get("note"), str) and item["note"].strip():
                    self.facts.append(Fact(self.e.kind, self.e.key, ".".join(map(str, ipath + ("note",))),
                                           item["note"].strip(), srcs, group_as_of or "", "",
                                           self.e.line_of(*ipath, "note")))
                if not any(k not in ("source", "as_of", "note") for k in item):
                    self.problem(ipath, "has no facts, only a source or note",
                                 "add the facts the source gives, or remove the group")
            return
        sources, note, fact_as_of = inherited, "", as_of
        if isinstance(value, dict) and "not_applicable" in value and "value" not in value:
            extra = set(value) - {"not_applicable", "source", "as_of", "note"}
            if extra:
                self.problem(path + (sorted(extra)[0],), "unknown field",
                             "a value marked not applicable takes only not_applicable, source, as_of and note")
            reason = value.get("not_applicable")
            if not isinstance(reason, str) or not reason.strip():
                self.problem(path + ("not_applicable",), "expected a sentence saying why this does not apply",
                             "e.g. not_applicable: \"The retention duty was annulled in 2014.\"")
                return
            own = self.sources_of(value, path)
            if "as_of" in value:
                fact_as_of = self.date(value["as_of"], path + ("as_of",)) or ""
            if not (own or inherited):
                self.problem(path, "this fact names no source",
                             "add 'source: <id>' to it or to its group (ids are in content/sources)")
            self.facts.append(Fact(self.e.kind, self.e.key, ".".join(map(str, path)), NOT_APPLICABLE,
                                   own or inherited, fact_as_of or "", reason.strip(), self.e.line_of(*path)))
            return
        if isinstance(value, dict) and "value" in value and f.type != "group":
            extra = set(value) - {"value", "source", "as_of", "note"}
            if extra:
                self.problem(path + (sorted(extra)[0],), "unknown field",
                             "a sourced value takes only value, source, as_of and note")
            own = self.sources_of(value, path)
            sources = own or inherited
            note = str(value.get("note") or "")
            if "as_of" in value:
                fact_as_of = self.date(value["as_of"], path + ("as_of",)) or ""
            value = value["value"]
        text = self.leaf(f, value, path)
        if text is None:
            return
        if f.type == "list" and isinstance(value, list) and \
                any(isinstance(x, dict) and "value" in x for x in value):
            # Items with their own source (`[{value: EU, source: a}, {value: CoE, source: b}]`):
            # one fact per item, each backed by its own source (or the group's).
            for i, item in enumerate(value):
                item_value, own = item, []
                if isinstance(item, dict) and "value" in item:
                    item_value = item["value"]
                    raw = item.get("source")
                    own = [s.strip() for s in (raw if isinstance(raw, list) else [raw])
                           if isinstance(s, str) and s.strip()]
                if (f.sourced or sourced_context) and not (own or sources):
                    self.problem(path + (i,), "this item names no source",
                                 "add 'source: <id>' to it, e.g. {value: EU, source: eu-member-states}")
                    continue
                self.facts.append(Fact(self.e.kind, self.e.key, ".".join(map(str, path + (i,))),
                                       str(item_value).strip(), own or sources, fact_as_of or "", note,
                                       self.e.line_of(*path)))
            return
        if f.sourced or sourced_context:
            if not sources:
                self.problem(path, "this fact names no source",
                             "add 'source: <id>' to it or to its group (ids are in content/sources)")
            self.facts.append(Fact(self.e.kind, self.e.key, ".".join(map(str, path)), text, sources,
                                   fact_as_of or "", note, self.e.line_of(*path)))

    def run(self):
        fields = FIELDS[self.e.kind]
        self.mapping(fields, self.e.front, (), [], "")
        self.body()
