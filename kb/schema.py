"""Validate entries and sources against `kb.fields`, and flatten them into sourced facts.

`check(content_dir)` returns a `Checked` bundle: the entries, the sources, the facts and
every `Problem` found. It never raises on bad content.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
import pycountry

from kb.content import Entry, SourceFile, read_tree, slugify
from kb.fields import FIELDS, NOT_APPLICABLE, NOT_CURATED, SECTIONS, SOURCE_FIELDS, VOCABULARIES, Field
from kb.htmlpolicy import dropped_html
from kb.problems import Problem
from kb.route import rules

CITE_RE = re.compile(r"\[@([^\]\s;]+)((?:\s*;\s*@[^\]\s;]+)*)\]")
CITE_ID_RE = re.compile(r"@([^\]\s;]+)")
SOURCE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE_IN_TEXT = re.compile(r"(?<![\w/])\+\d[\d ().-]{6,}\d")
PERIOD_IN_TEXT = re.compile(r"\b\d+(?:[.,]\d+)?[ -](?:days?|months?|years?|hours?|weeks?)\b", re.I)
MAX_SECTION_CHARS = 64_000  # the longest curated section is ~5,000 characters
LINK_RE = re.compile(r"\]\((/[^)\s]*)\)")
INTERNAL_RE = re.compile(r"^/(countries|providers|topics)/([A-Za-z0-9-]+)/?(?:#([a-z0-9-]+))?$")


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


def suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _fmt_choices(choices) -> str:
    choices = list(choices)
    return ", ".join(choices[:12]) + (" ..." if len(choices) > 12 else "")


class EntryValidator:
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
            if not isinstance(value, list):
                self.problem(path, f"expected a list, received {_describe(value)}",
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
        if isinstance(value, (dict, list)):
            self.problem(path, f"expected a single {t} value, received {_describe(value)}",
                         "write the value on the same line after the colon")
            return None
        if t == "date":
            return self.date(value, path)
        if t == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.problem(path, f"expected a whole number, received '{value}'",
                             "write digits only, e.g. 90 (put words in the note)")
                return None
            return str(value)
        if isinstance(value, bool) and t in ("vocab", "answer") and f.vocab in VOCABULARIES and \
                {"yes", "no"} <= set(VOCABULARIES[f.vocab]):
            value = "yes" if value else "no"  # YAML 1.1 reads an unquoted yes/no as a boolean
        if isinstance(value, bool) and t not in ("vocab", "answer"):
            self.problem(path, f"YAML read this value as {str(value).lower()}, not as text",
                         "quote it, e.g. code: \"NO\" (YAML reads NO, YES, ON and OFF as true/false)")
            return None
        text = str(value).strip()
        if t == "url":
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
                self.problem(path, f"expected an http(s) address, received '{text}'",
                             "write the full address, e.g. https://www.example.org/page")
                return None
            if re.match(r"^/https?/", parts.path) or ":443" in parts.netloc or parts.netloc.endswith("."):
                self.problem(path, f"'{text}' looks like a proxied or mangled address",
                             "cite the original address of the page (note in `note:` how it was read)")
                return None
        elif t == "email":
            if not EMAIL_RE.match(text):
                self.problem(path, f"expected an e-mail address, received '{text}'",
                             "write it as name@domain.tld, one address per field")
                return None
        elif t == "phone":
            if not text.startswith("+"):
                self.problem(path, f"expected an international number starting with '+', received '{text}'",
                             "write the country code, e.g. +31 70 370 7911 (no '(0)')")
                return None
            try:
                number = phonenumbers.parse(text, None)
                valid = phonenumbers.is_valid_number(number)
            except phonenumbers.NumberParseException:
                valid = False
            if not valid:
                self.problem(path, f"'{text}' is not a valid international phone number",
                             "check the digits against the source; drop a trunk '(0)'")
                return None
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        elif t in ("vocab", "answer"):
            choices = VOCABULARIES[f.vocab]
            if text not in choices:
                hint = suggest(text, choices) or f"use one of: {_fmt_choices(choices)}"
                self.problem(path, f"'{text}' is not a known {f.vocab.replace('_', ' ')}", hint)
                return None
        elif t == "country":
            if not is_country_code(text):
                self.problem(path, f"'{text}' is not an ISO 3166-1 alpha-2 code",
                             "use two letters, e.g. US, IE (XK for Kosovo)")
                return None
            text = text.upper()
        elif t == "topic":
            if not SLUG_RE.match(text):
                self.problem(path, f"'{text}' is not a topic slug", "use the file name of a topic, e.g. mla")
                return None
        return text

    def date(self, value, path) -> str | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                self.problem(path, f"expected an ISO date YYYY-MM-DD, received '{value}'",
                             "write e.g. 2009-07-01 (put approximate dates in the note)")
                return None
        if value > self.today:
            self.problem(path, f"{value.isoformat()} is in the future", "check the date (today is "
                         f"{self.today.isoformat()})")
            return None
        return value.isoformat()

    # -- sources -----------------------------------------------------------------------------
    def sources_of(self, mapping: dict, path) -> list[str]:
        raw = mapping.get("source")
        if raw is None:
            return []
        ids = raw if isinstance(raw, list) else [raw]
        out = []
        for i, sid in enumerate(ids):
            if not isinstance(sid, str) or not sid.strip():
                self.problem(path + ("source",), f"expected a source id, received {_describe(sid)}",
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
                hint = suggest(key, known) or f"known fields here: {_fmt_choices(known)}"
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
                self.problem(path, f"expected a list of entries, received {_describe(value)}",
                             "start each entry with '- name: ...'")
                return
            for i, item in enumerate(items):
                ipath = path + (i,) if f.type == "groups" else path
                if not isinstance(item, dict):
                    self.problem(ipath, f"expected a group of fields, received {_describe(item)}",
                                 f"indent its fields under it ({', '.join(x.name for x in f.fields[:4])} ...)")
                    continue
                srcs = self.sources_of(item, ipath)
                group_as_of = self.date(item["as_of"], ipath + ("as_of",)) if "as_of" in item else as_of
                if "note" in item and not isinstance(item["note"], str):
                    self.problem(ipath + ("note",), f"expected text, received {_describe(item['note'])}",
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

    # -- body --------------------------------------------------------------------------------
    def body(self):
        e = self.e
        fixed = SECTIONS.get(e.kind)
        seen: dict[str, int] = {}
        if fixed:
            by_title = {title.lower(): sid for sid, title in fixed.items()}
            by_title.update({sid: sid for sid in fixed})
            for s in e.sections:
                sid = by_title.get(s.title.lower()) or by_title.get(slugify(s.title))
                if not sid:
                    hint = suggest(s.title, fixed.values()) or "use one of: " + ", ".join(fixed.values())
                    self.problems.append(Problem(e.path, s.line, "section", f"unknown section heading '{s.title}'",
                                                 hint + " (use ### for sub-headings)"))
                    continue
                s.id = sid
            for sid, title in fixed.items():
                if not any(s.id == sid for s in e.sections):
                    self.problems.append(Problem(e.path, e.body_line, "section", f"the section '{title}' is missing",
                                                 f"add '## {title}' (write '{NOT_CURATED}.' under it if nothing is "
                                                 "sourced yet)"))
        else:
            for s in e.sections:
                s.id = slugify(s.title) or "section"
            if not e.sections:
                self.problems.append(Problem(e.path, e.body_line, "section", "the topic has no '## ' section",
                                             "organise the explainer under '## ' headings"))
        for s in e.sections:
            if not s.id:
                continue
            if s.id in seen:
                self.problems.append(Problem(e.path, s.line, "section", f"the section '{s.title}' appears twice "
                                             f"(first at line {seen[s.id]})", "merge the two sections"))
            seen.setdefault(s.id, s.line)
            if not s.markdown.strip():
                self.problems.append(Problem(e.path, s.line, "section", f"the section '{s.title}' is empty",
                                             f"write '{NOT_CURATED}.' if nothing is sourced yet"))
            self.paragraphs(s.markdown, s.line + 1, s.id)
            self.limits(s.markdown, s.line, s.line + 1, f"section {s.id}")
        self.paragraphs(e.intro, e.body_line, "intro")
        self.limits(e.intro, e.body_line, e.body_line, "intro")

    def limits(self, markdown: str, heading_line: int, first_line: int, where: str):
        """A section over MAX_SECTION_CHARS, and raw HTML the sanitiser would drop, are problems."""
        if len(markdown) > MAX_SECTION_CHARS:
            self.problems.append(Problem(self.e.path, heading_line, where, f"the section is {len(markdown):,} "
                                         f"characters long; a section may hold at most {MAX_SECTION_CHARS:,}",
                                         "split it under ### sub-headings into shorter text, or link to the "
                                         "source instead of quoting it"))
            return
        for offset, what in dropped_html(markdown):
            self.problems.append(Problem(self.e.path, first_line + markdown[:offset].count("\n"), where,
                                         f"raw HTML {what} is removed when the page is built",
                                         "write Markdown instead: links as [text](https://...), citations as "
                                         "[@id], sub-headings as ###"))

    def paragraphs(self, markdown: str, first_line: int, section_id: str):
        block: list[str] = []
        start = first_line
        for offset, line in enumerate(markdown.split("\n") + [""]):
            if line.strip():
                if not block:
                    start = first_line + offset
                block.append(line)
                continue
            if block:
                self.paragraph("\n".join(block), start, section_id)
                block = []

    def paragraph(self, text: str, line: int, section_id: str):
        cited = []
        for m in CITE_RE.finditer(text):
            for sid in CITE_ID_RE.findall(m.group(0)):
                cited.append(sid)
                self.citations.append((sid, self.e.kind, self.e.key, f"section {section_id}",
                                       line + text[: m.start()].count("\n")))
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            if CITE_RE.search(sentence):
                continue
            for pattern, what in ((EMAIL_IN_TEXT, "an e-mail address"), (PHONE_IN_TEXT, "a phone number"),
                                  (PERIOD_IN_TEXT, "a period")):
                m = pattern.search(sentence)
                if m:
                    where = "this sentence" if cited else "this paragraph"
                    self.problems.append(Problem(
                        self.e.path, line + text[: start + m.start()].count("\n"), f"section {section_id}",
                        f"{where} gives {what} ('{m.group(0)}') without citing a source",
                        "add a citation such as [@source-id] at the end of the same sentence"))
                    break

    def run(self):
        fields = FIELDS[self.e.kind]
        self.mapping(fields, self.e.front, (), [], "")
        self.body()


ABBREVIATIONS = {"art", "arts", "no", "nos", "nr", "para", "paras", "s", "ss", "sec", "e.g", "i.e", "cf", "etc",
                 "st", "dr", "mr", "ms", "prof", "vol", "ch", "cap", "p", "pp", "vs", "v", "inc", "ltd", "co",
                 "abs", "bd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                 "approx", "ca", "op", "al", "u.s", "u.k", "fig", "tel", "ext", "dept", "div", "gen", "lit"}
_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)\s+(?=[A-Z\u00c0-\u024f(\[\"'*_])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split a paragraph into sentences; a citation just after a full stop belongs to that sentence."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start:m.start()].rsplit(None, 1)
        word = before[-1].lower().rstrip(".").lstrip("([\"'") if before else ""
        raw = before[-1].rstrip(".").lstrip("([\"'") if before else ""
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or \
                (len(raw) <= 3 and raw[:1].isupper() and not raw.isupper()):  # Blv., Nr., Abs.
            continue
        if text.startswith("[@", m.end()):  # "... 90 days. [@src]" cites the sentence before it
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def is_country_code(code: str) -> bool:
    code = str(code).upper()
    return code == "XK" or (len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None)


def _describe(value) -> str:
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def check_sources(files: list[SourceFile], today: dt.date, problems: list[Problem]) -> dict:
    """Validate the bibliography; return id -> cleaned fields (plus file and line)."""
    sources: dict = {}
    known = {f.name: f for f in SOURCE_FIELDS}
    for sf in files:
        for sid, data in sf.sources.items():
            sid = str(sid)
            line = sf.lines.get(sid, 1)
            if not SOURCE_ID_RE.match(sid):
                problems.append(Problem(sf.path, line, sid, "a source id must be lower-case letters, digits and "
                                        "hyphens", "rename it, e.g. 'coe-185-declarations'"))
            if sid in sources:
                first = sources[sid]
                problems.append(Problem(sf.path, line, sid, f"the source id is already used in {first['file']}:"
                                        f"{first['line']}", "rename one of them, or cite the existing one"))
                continue
            if not isinstance(data, dict):
                problems.append(Problem(sf.path, line, sid, f"expected title, url and accessed under the id, "
                                        f"received {_describe(data)}", "indent 'title:', 'url:', 'accessed:' under it"))
                continue
            lines = {(sid,): line}
            lines.update({(sid, k[1]): v for k, v in sf.lines.items() if isinstance(k, tuple) and k[0] == sid})
            v = EntryValidator(Entry("sources", sf.path, sid, data, lines, [], "", 1, ""), today, problems)
            for key in data:
                if key not in known:
                    v.problem((sid, key), "unknown field", suggest(key, known) or f"known fields: {_fmt_choices(known)}")
            clean = {"file": sf.path, "line": line, "id": sid}
            for f in SOURCE_FIELDS:
                if f.name not in data:
                    if f.required:
                        v.problem((sid,), f"the required field '{f.name}' is missing", f"add '{f.name}:' ({f.help})")
                    continue
                text = v.leaf(f, data[f.name], (sid, f.name))
                if text is not None:
                    clean[f.name] = text
            sources[sid] = clean
    return sources


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
    for e in entries:
        v = EntryValidator(e, today, problems)
        v.run()
        facts += v.facts
        citations += v.citations
    if any(Path(sf.path).name == rules.SOURCES_FILE for sf in source_files):  # the planner's rules cite too
        citations += rules.citations()
    _cross_checks(entries, sources, citations, problems)
    return Checked(entries, source_files, sources, facts, citations, problems)


def _cross_checks(entries, sources, citations, problems):
    by_kind: dict[str, dict[str, Entry]] = {"countries": {}, "providers": {}, "topics": {}}
    for e in entries:
        id_field = "code" if e.kind == "countries" else "slug"
        declared = e.front.get(id_field)
        if e.kind == "countries":
            if isinstance(declared, str) and not is_country_code(declared):
                problems.append(Problem(e.path, e.line_of("code"), "code", f"'{declared}' is not an ISO 3166-1 "
                                        "alpha-2 code", "use two letters, e.g. DE (XK for Kosovo)"))
            elif isinstance(declared, str) and declared != declared.upper():
                problems.append(Problem(e.path, e.line_of("code"), "code", f"expected upper case, received "
                                        f"'{declared}'", f"write code: {declared.upper()}"))
        if declared is not None and str(declared).lower() != e.key.lower():
            problems.append(Problem(e.path, e.line_of(id_field), id_field, f"'{declared}' does not match the file "
                                    f"name '{e.key}.md'", f"rename the file to {str(declared).lower()}.md or fix "
                                    f"the {id_field}"))
        if e.kind != "countries" and not SLUG_RE.match(e.key):
            problems.append(Problem(e.path, 1, "file", f"'{e.key}' is not a valid slug",
                                    "use lower-case letters, digits and hyphens in the file name"))
        key = e.key.lower()
        if key in by_kind[e.kind]:
            problems.append(Problem(e.path, 1, id_field, f"duplicates {by_kind[e.kind][key].path}",
                                    "keep one entry per code or slug"))
        by_kind[e.kind][key] = e
    # related topics and internal links
    for e in entries:
        related = e.front.get("related")
        if isinstance(related, list):
            for i, slug in enumerate(related):
                if isinstance(slug, str) and slug not in by_kind["topics"]:
                    problems.append(Problem(e.path, e.line_of("related", i), f"related.{i}", f"no topic '{slug}'",
                                            suggest(slug, by_kind["topics"]) or "create content/topics/"
                                            f"{slug}.md or remove it"))
        for s in e.sections + [None]:
            text, first = (s.markdown, s.line + 1) if s else (e.intro, e.body_line)
            for m in LINK_RE.finditer(text):
                target = m.group(1)
                line = first + text[: m.start()].count("\n")
                where = f"section {s.id}" if s else "intro"
                im = INTERNAL_RE.match(target)
                if not im:
                    if not target.startswith(("/search", "/sources", "/about", "/compare", "/coverage")):
                        problems.append(Problem(e.path, line, where, f"the link '{target}' points nowhere on this "
                                                "site", "link to /countries/<code>, /providers/<slug> or "
                                                "/topics/<slug>, optionally with #section"))
                    continue
                kind, key, anchor = im.groups()
                target_entry = by_kind[kind].get(key.lower())
                if not target_entry:
                    problems.append(Problem(e.path, line, where, f"the link '{target}' names an entry that does not "
                                            "exist", suggest(key.lower(), by_kind[kind]) or "check the code or slug"))
                elif anchor and anchor not in {x.id for x in target_entry.sections}:
                    problems.append(Problem(e.path, line, where, f"the link '{target}' names a section that does "
                                            f"not exist in {target_entry.path}",
                                            suggest(anchor, [x.id for x in target_entry.sections if x.id])
                                            or "sections there: " + ", ".join(x.id for x in target_entry.sections)))
    cited = set()
    for sid, kind, key, where, line in citations:
        cited.add(sid)
        if sid not in sources:
            e = by_kind.get(kind, {}).get(key)
            problems.append(Problem(e.path if e else kind, line, where, f"cites the unknown source '{sid}'",
                                    suggest(sid, sources) or "add it to content/sources or fix the id"))
    for sid, src in sources.items():
        if sid not in cited:
            problems.append(Problem(src["file"], src["line"], sid, "this source is never cited",
                                    "cite it from an entry ([@id] or source: id) or remove it"))
