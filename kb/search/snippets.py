"""Snippets: the window of a section's text with the most distinct query terms, marked."""
from __future__ import annotations

import html
import re

from kb.search.analysis import QUERY_ANALYZER

SNIPPET_SCAN = 20_000  # characters of a body tokenised for its snippet (a section is at most 64,000)
WORD = re.compile(r"\w+")  # the analyzer's tokenizer
STEMS_KEPT = 100_000  # distinct words whose analysis is kept (emptied when full)
_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """What QUERY_ANALYZER makes of one word (stop words unchanged), analysed once and kept."""
    found = _stems.get(word)
    if found is None:
        found = "".join(t.text for t in QUERY_ANALYZER(word, removestops=False))
        if len(_stems) >= STEMS_KEPT:
            _stems.clear()
        _stems[word] = found
    return found


def tokenise(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` whose analysis (QUERY_ANALYZER, as with chars=True,
    removestops=False) is one of `terms`: the distinct words are analysed (once each, kept), then
    one expression finds just those words, whole, in the text."""
    wanted = [w for w in set(WORD.findall(text)) if stem(w) in terms]
    if not wanted:
        return []
    found = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, wanted)) + r")(?!\w)")
    return [m.span() for m in found.finditer(text)]


def snippet(text: str, terms: set[str], width: int = 220) -> str:
    """The window of `text` with the most distinct query terms, terms wrapped in <mark>, HTML-escaped.
    Only the first SNIPPET_SCAN characters are tokenised, and the best window is found in one
    pass over the hits (a sliding window), so the cost is bounded whatever the body holds."""
    scan = text[:SNIPPET_SCAN]
    hits = tokenise(scan, terms=terms)
    if not hits:
        return html.escape(_cut(text, 0, width))
    best, best_score = hits[0][0], -1
    words = [scan[a:b].lower() for a, b in hits]
    inside: dict[str, int] = {}  # distinct words of hits[i:j], the hits ending within width of hit i
    j = 0
    for i, (start, _) in enumerate(hits):  # windows starting a little before each hit
        if j < i:
            j = i
            inside.clear()
        while j < len(hits) and hits[j][1] <= start + width:
            inside[words[j]] = inside.get(words[j], 0) + 1
            j += 1
        if len(inside) > best_score:
            best, best_score = start, len(inside)
        if i < j:
            inside[words[i]] -= 1
            if not inside[words[i]]:
                del inside[words[i]]
    begin = max(0, text.rfind(" ", 0, max(0, best - 40)) + 1) if best > 40 else 0
    end = min(len(text), begin + width)
    out, pos = [], begin
    for a, b in hits:
        if a < begin or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return ("… " if begin else "") + "".join(out) + (" …" if end < len(text) else "")


def _cut(text: str, start: int, width: int) -> str:
    return text[start:start + width] + (" …" if len(text) > start + width else "")
