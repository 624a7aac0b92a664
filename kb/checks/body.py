"""An entry's Markdown body: the fixed sections of its kind (or free ones for a topic), size and
raw-HTML limits, the citations in its paragraphs, and contact details or periods in a sentence
that no citation backs. Mixed into `kb.checks.entry.EntryValidator`."""
from __future__ import annotations

from kb.checks.text import (
    CITE_ID_RE,
    CITE_RE,
    EMAIL_IN_TEXT,
    MAX_SECTION_CHARS,
    PERIOD_IN_TEXT,
    PHONE_IN_TEXT,
    sentence_spans,
    suggest,
)
from kb.content import Entry, slugify
from kb.fields import NOT_CURATED
from kb.htmlpolicy import dropped_html
from kb.kinds import SECTIONS
from kb.problems import Problem


class BodyChecks:
    """The body checks of one entry; the validator provides the entry and the lists they fill."""

    e: Entry
    problems: list[Problem]
    citations: list[tuple]

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
                bare = pattern.search(sentence)
                if bare:
                    where = "this sentence" if cited else "this paragraph"
                    self.problems.append(Problem(
                        self.e.path, line + text[: start + bare.start()].count("\n"), f"section {section_id}",
                        f"{where} gives {what} ('{bare.group(0)}') without citing a source",
                        "add a citation such as [@source-id] at the end of the same sentence"))
                    break
