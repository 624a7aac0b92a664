"""A term's whole posting list, read block by block over every segment, and the lists kept per open index.

`read_postings` is the one reader of posting lists outside Whoosh's matchers: the scorer
(kb.search.scores) and the bitsets (kb.search.docsets) both take their document numbers from it.
"""
from __future__ import annotations

import threading
from array import array
from collections import OrderedDict

from whoosh import matching

POSTINGS_KEPT = 1_500_000  # postings kept per open index (8 bytes each)


class Postings:
    """Whole posting lists (document numbers and weights, as arrays) of the terms searched lately,
    for one open index: decoding Whoosh's blocks (a pickle and a Python delta decode each) is most
    of what scoring a common term costs. Least recently used first out beyond POSTINGS_KEPT."""

    def __init__(self, limit: int = POSTINGS_KEPT):
        self.limit = limit
        self._lists: OrderedDict[tuple, tuple[array, array]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, m, reader) -> tuple[array, array]:
        term = term_of(m)
        assert term is not None
        return self.term(reader, *term)

    def term(self, reader, fieldname: str, btext: bytes) -> tuple[array, array]:
        """(document numbers, weights) of one term; empty for a term the index lacks."""
        key = (fieldname, btext)
        with self._lock:
            found = self._lists.get(key)
            if found is not None:
                self._lists.move_to_end(key)
                return found
        found = read_postings(reader, *key)
        if len(found[0]) <= self.limit:
            with self._lock:
                if key not in self._lists:
                    self._lists[key] = found
                    self._size += len(found[0])
                while self._size > self.limit:
                    _, (ids, _w) = self._lists.popitem(last=False)
                    self._size -= len(ids)
        return found


def term_of(m) -> tuple[str, bytes] | None:
    """The (field, term) a leaf matcher reads: a segment's leaf, or the first leaf of a MultiMatcher
    (every segment's leaf of one term), through the filter that hides a segment's deleted documents."""
    if type(m) is matching.MultiMatcher:
        m = m.matchers[0] if m.matchers else None
    if type(m) is matching.FilterMatcher:
        m = m.child
    return getattr(m, "_term", None)


BLOCK_ATTRS = ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights", "_i")


def read_postings(reader, fieldname: str, btext: bytes) -> tuple[array, array]:
    """(global document numbers, weights) of one term, block by block, over every segment; the
    documents a segment has deleted are left out."""
    ids, weights = array("I"), array("f")
    try:
        m = reader.postings(fieldname, btext)
    except Exception:  # noqa: BLE001 - whoosh raises TermNotFound (a KeyError) or plain KeyError
        return ids, weights
    parts = list(zip(m.matchers, m.offsets, strict=True)) if type(m) is matching.MultiMatcher else [(m, 0)]
    for sub, offset in parts:
        deleted: frozenset | set = frozenset()
        if type(sub) is matching.FilterMatcher and sub._exclude:
            sub, deleted = sub.child, sub._ids
        if not all(hasattr(sub, a) for a in BLOCK_ATTRS):
            while sub.is_active():  # another kind of matcher: one posting at a time
                if sub.id() not in deleted:
                    ids.append(sub.id() + offset)
                    weights.append(sub.weight())
                sub.next()
            continue
        while sub.is_active():
            if sub._ids is None:
                sub._read_ids()
            if sub._weights is None:
                sub._read_weights()
            block_ids, block_weights = sub._ids[sub._i:], sub._weights[sub._i:]
            if not offset and (not deleted or deleted.isdisjoint(block_ids)):  # the block as it is
                ids.extend(block_ids)
                weights.extend(block_weights)
            else:
                for d, w in zip(block_ids, block_weights, strict=True):
                    if d not in deleted:
                        ids.append(d + offset)
                        weights.append(w)
            sub._next_block()
    return ids, weights
