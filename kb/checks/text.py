"""Patterns and small helpers shared by the checks: citations, sentences, suggestions, country codes."""
from __future__ import annotations

import difflib
import re

import pycountry

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

ABBREVIATIONS = {"art", "arts", "no", "nos", "nr", "para", "paras", "s", "ss", "sec", "e.g", "i.e", "cf", "etc",
                 "st", "dr", "mr", "ms", "prof", "vol", "ch", "cap", "p", "pp", "vs", "v", "inc", "ltd", "co",
                 "abs", "bd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                 "approx", "ca", "op", "al", "u.s", "u.k", "fig", "tel", "ext", "dept", "div", "gen", "lit"}
_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)\s+(?=[A-Z\u00c0-\u024f(\[\"'*_])")


def suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def fmt_choices(choices) -> str:
    choices = list(choices)
    return ", ".join(choices[:12]) + (" ..." if len(choices) > 12 else "")


def describe(value) -> str:
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


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
