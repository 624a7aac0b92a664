"""Sets of matching documents as bitsets (a Python int, bit n = document n) over one open index.

Whoosh finds matches by walking a tree of Python matchers document by document; that is the cost
of a search at 5,000 entries. Which documents match a query (not how well) is plain set algebra
over each term's postings: a term's bitset is read once and kept (an LRU; about 4.5 KB per term
at 36,000 documents), an And is `&`, an Or or MaxOf is `|`, a count is `int.bit_count()`. The
engine uses it to skip Whoosh's scoring pass when every match fits the window anyway, to count
the total and the facets (one `&` and a popcount per facet value), and to filter.
"""
from __future__ import annotations

import threading
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from itertools import repeat

from whoosh import query as wq

from kb.search.postings import read_postings

TERM_CACHE = 1024  # term bitsets kept per open index


def posting_ids(reader, fieldname: str, text: str) -> array:
    """Every document number holding `text` in `fieldname` (none for an unknown term), over every
    segment, deleted documents left out."""
    return read_postings(reader, fieldname, text.encode("utf-8") if isinstance(text, str) else text)[0]


def to_bits(ids: Iterable[int], size: int) -> int:
    """A bitset of `ids` (each below `size`): ones written into a string of binary digits by
    map (no Python loop), read back with int(..., 2)."""
    if not size:
        return 0
    digits = bytearray(b"0") * size
    deque(map(digits.__setitem__, ids, repeat(49)), maxlen=0)  # 49: b"1"
    digits.reverse()  # bit 0 is the last digit
    return int(digits, 2)


def members(bits: int) -> list[int]:
    """The document numbers in `bits`, ascending."""
    digits = bin(bits)[:1:-1]  # bit 0 first
    out = []
    i = digits.find("1")
    while i >= 0:
        out.append(i)
        i = digits.find("1", i + 1)
    return out


class DocSets:
    """Bitsets of one open index (which never changes): terms, queries, filters, facet values.
    Shared by the threads searching it; postings are read through the caller's own reader (a
    Whoosh reader is not safe to share between threads)."""

    def __init__(self, size: int, ids_of: Callable | None = None):
        """`ids_of(reader, fieldname, text)`: a term's document numbers (default: read from Whoosh)."""
        self.size = size
        self.ids_of = ids_of or posting_ids
        self.everything = (1 << self.size) - 1
        self._terms: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._facets: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()

    def term(self, fieldname: str, text: str, reader) -> int:
        key = (fieldname, text)
        with self._lock:
            bits = self._terms.get(key)
            if bits is not None:
                self._terms.move_to_end(key)
                return bits
        bits = to_bits(self.ids_of(reader, fieldname, text), self.size)
        with self._lock:
            self._terms[key] = bits
            while len(self._terms) > TERM_CACHE:
                self._terms.popitem(last=False)
        return bits

    def of(self, q, reader) -> int:
        """The documents matching query `q` (the query types kb.search builds; others via Whoosh)."""
        if isinstance(q, wq.Term):
            text = q.text.decode() if isinstance(q.text, bytes) else q.text
            return self.term(q.fieldname, text, reader)
        if isinstance(q, wq.And):
            bits = self.everything
            for sub in q.subqueries:
                bits &= self.of(sub, reader)
                if not bits:
                    break
            return bits
        if isinstance(q, (wq.Or, wq.DisjunctionMax)):
            bits = 0
            for sub in q.subqueries:
                bits |= self.of(sub, reader)
            return bits
        if isinstance(q, type(wq.NullQuery)):
            return 0
        raise TypeError(f"DocSets cannot evaluate a {type(q).__name__} query")

    def filter(self, filters: dict[str, str], reader) -> int:
        bits = self.everything
        for name, value in filters.items():
            bits &= self.term(name, value, reader)
        return bits

    def facet_values(self, name: str, reader) -> dict[str, int]:
        """Value -> documents holding it, for one facet field (read once)."""
        if name not in self._facets:
            values = {}
            if name in reader.schema:
                for btext in reader.lexicon(name):
                    text = btext.decode() if isinstance(btext, bytes) else btext
                    values[text] = to_bits(posting_ids(reader, name, text), self.size)
            self._facets[name] = values
        return self._facets[name]

    def counts(self, name: str, bits: int, reader) -> dict[str, int]:
        """Documents of `bits` per value of facet `name`, most first (then by value); empty values left out."""
        counts = {v: (bits & b).bit_count() for v, b in self.facet_values(name, reader).items() if v}
        return dict(sorted(((v, n) for v, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0])))

    def matched(self, q, docnum: int, reader) -> set[str] | None:
        """The words of `q` that document `docnum` matches, counting a word only where its part of
        the query matches (both words of a phrase); None when the document does not match `q`."""
        if isinstance(q, wq.Term):
            text = q.text.decode() if isinstance(q.text, bytes) else q.text
            return {text} if self.term(q.fieldname, text, reader) >> docnum & 1 else None
        if isinstance(q, wq.And):
            words: set[str] = set()
            for sub in q.subqueries:
                found = self.matched(sub, docnum, reader)
                if found is None:
                    return None
                words |= found
            return words
        if isinstance(q, (wq.Or, wq.DisjunctionMax)):
            union: set[str] | None = None
            for sub in q.subqueries:
                found = self.matched(sub, docnum, reader)
                if found is not None:
                    union = found if union is None else union | found
            return union
        return None

