"""Validate entries and sources against `kb.fields`, and flatten them into sourced facts.

`check(content_dir)` returns a `Checked` bundle: the entries, the sources, the facts and
every `Problem` found. It never raises on bad content. The checks themselves live in
`kb.checks` (text helpers, per-type value checks, one entry's checks, cross-references);
this module is the face the rest of the code imports.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kb.checks.crossrefs import EntryRefs, check_sources, cross_checks, refs_of
from kb.checks.entry import EntryValidator, Fact
from kb.checks.text import (
    CITE_ID_RE,
    CITE_RE,
    EMAIL_RE,
    INTERNAL_RE,
    LINK_RE,
    MAX_SECTION_CHARS,
    SLUG_RE,
    SOURCE_ID_RE,
    is_country_code,
    sentence_spans,
    suggest,
)
from kb.content import Entry, SourceFile, read_tree
from kb.problems import Problem
from kb.route import rules

__all__ = ["CITE_ID_RE", "CITE_RE", "EMAIL_RE", "INTERNAL_RE", "LINK_RE", "MAX_SECTION_CHARS", "SLUG_RE",
           "SOURCE_ID_RE", "Checked", "EntryValidator", "Fact", "check", "check_sources", "is_country_code",
           "sentence_spans", "suggest"]


@dataclass
class Checked:
    entries: list[Entry]
    source_files: list[SourceFile]
    sources: dict  # id -> mapping (with 'file' and 'line')
    facts: list[Fact]
    citations: list[tuple]  # (source id, kind, key, section id or field)
    problems: list[Problem] = field(default_factory=list)

    def entry(self, kind, key):
        return next((e for e in self.entries if e.kind == kind and e.key == key), None)


def rule_citations(source_files: list[SourceFile]) -> list[tuple]:
    """The route planner's rules cite sources too (when the planner's sources file is there)."""
    if any(Path(sf.path).name == rules.SOURCES_FILE for sf in source_files):
        return rules.citations()
    return []


def check(content_dir: Path | str, today: dt.date | None = None) -> Checked:
    """Read and validate everything under `content_dir`."""
    root = Path(content_dir)
    today = today or dt.date.today()
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), 1, "content", "the content folder does not exist",
                                "pass --content with the folder that holds countries/, providers/, topics/"))
        return Checked([], [], {}, [], [], problems)
    entries, source_files = read_tree(root, problems)
    sources = check_sources(source_files, today, problems)
    if not source_files:
        problems.append(Problem("sources.yaml", 1, "sources", "no bibliography was found",
                                "create content/sources.yaml (or files in content/sources/) mapping ids to sources"))
    facts: list[Fact] = []
    citations: list[tuple] = []
    refs: list[EntryRefs] = []
    for e in entries:
        v = EntryValidator(e, today, problems)
        v.run()
        facts += v.facts
        citations += v.citations
        refs.append(refs_of(e, v.citations))
    citations += rule_citations(source_files)
    cross_checks(refs, sources, citations, problems)
    return Checked(entries, source_files, sources, facts, citations, problems)
