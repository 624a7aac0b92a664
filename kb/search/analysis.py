"""Text analysis shared by indexing and querying: stop words, normalisation, Whoosh analyzers."""
from __future__ import annotations

import re

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.support.charset import accent_map

STOP = frozenset("a an and are as at be by for from how i in is it of on or the to what when where which who "
                 "with do does my we our their there this that".split())


def prep(text: str) -> str:
    """Normalise text the same way at index and query time (24/7 variants, accents kept for Whoosh)."""
    text = re.sub(r"24\s*(?:/|x|-|\s)\s*7", " 247 ", text, flags=re.I)
    text = re.sub(r"(\d+)\s*\(\s*([a-z])\s*\)", r"\1\2", text)  # 2703(f) -> 2703f
    return text


def analyzer():
    return (RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(stoplist=STOP, minsize=1) | StemFilter(cachesize=50000))


QUERY_ANALYZER = analyzer()


def plain_analyzer():
    return RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
