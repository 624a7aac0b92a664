"""Spelling correction over a vocabulary with frequencies: pure Python, no index needed.

`Speller(freq).correct(word)` returns the closest known word within one edit (words under six
letters) or two, preferring fewer edits, the same first letter, then the more frequent word;
"" when none is close enough. `kb.search` builds one per opened index from its indexed words.
"""
from __future__ import annotations


class Speller:
    """Spelling correction over the indexed vocabulary by symmetric deletes: a word and a
    candidate within two edits share a form with at most one letter deleted from each. The index
    is built once per opened build, so a correction is a few dictionary look-ups."""

    def __init__(self, freq: dict[str, float]):
        self.freq = freq
        self.index: dict[str, list[str]] = {}
        for word in freq:
            if len(word) >= 3 and not word.isdigit():
                for key in self._keys(word):
                    self.index.setdefault(key, []).append(word)

    @staticmethod
    def _keys(word: str) -> set[str]:
        return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}

    def correct(self, word: str) -> str:
        limit = 1 if len(word) < 6 else 2
        seen = {c for key in self._keys(word) for c in self.index.get(key, ())}
        scored = [(edit_distance(word, c), c[:1] != word[:1], -self.freq[c], c) for c in seen]
        scored = [x for x in scored if x[0] <= limit]
        return min(scored)[3] if scored else ""


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count once)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]
