"""Scores of chosen documents under a query, node by node of Whoosh's own matcher tree.

Whoosh scores document at a time: every document moves every matcher of the tree, a few
microseconds of Python each, which at 5,000 entries is most of a search. Here each node of the
same tree (`q.matcher(searcher)`) is evaluated once for all the documents asked about: a leaf
looks them up in its term's whole posting list (decoded once and kept, Postings) and scores with
its own scorer and the field lengths read at open, and the inner nodes combine the children's
scores with the arithmetic of their class (a sum for And and Or, best-plus-tiebreak for MaxOf, a
product for a boost). The numbers are the ones the matchers would give; a node of another kind is
walked the usual way.
"""
from __future__ import annotations

from bisect import bisect_left

from whoosh import matching
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.util import make_weighted_tree
from whoosh.util.numeric import byte_to_length

from kb.search.maxof import _MaxMatcher
from kb.search.postings import Postings, term_of  # noqa: F401 - Postings: part of this module's names


def field_lengths(reader, fieldname: str) -> list | None:
    """Every document's length in `fieldname` as the scorer reads it (`doc_field_length(d, f, 1)`:
    the stored length byte decoded, None for 0), read in one go from the segments' lengths columns
    (an updated build has several segments, numbered one after the other); None for another codec
    (the scorer is then asked per document)."""
    subs = getattr(reader, "readers", None)
    if subs:  # a MultiReader: its segments' documents in order
        out: list = []
        for sub in subs:
            part = field_lengths(sub, fieldname)
            if part is None:
                return None
            out += part
        return out if len(out) == reader.doc_count_all() else None
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, column._count)
        if column._fixedlen != 1 or len(raw) != reader.doc_count_all():
            return None
    except Exception:  # noqa: BLE001 - another codec or a multi-segment reader
        return None
    decoded = [byte_to_length(b) if b else None for b in range(256)]
    return [decoded[b] for b in raw]


def scores(searcher, q, docnums: list[int], lengths: dict | None = None,
           postings: Postings | None = None) -> dict[int, float]:
    """Score of each of `docnums` (ascending) that `q` matches; documents it does not match are left
    out. `lengths`: field -> every document's length (field_lengths), where known; `postings`: the
    open index's kept posting lists."""
    return score_with(searcher, q.matcher(searcher), docnums, lengths, postings)[0]


def score_with(searcher, m, docnums: list[int], lengths: dict | None = None,
               postings: Postings | None = None) -> tuple[dict[int, float], bool]:
    """Like scores() with a matcher tree already built; also tells whether the tree was moved
    (a node of a kind walked the usual way) and so cannot score again."""
    if not docnums:
        return {}, False
    context = _Context(dict(lengths or {}), postings if postings is not None else Postings(0), searcher.reader())
    return _node(m, docnums, set(docnums), context), context.moved


class _Context:
    """What the nodes of one scoring share: field lengths (whole fields, or those read so far),
    the kept posting lists and the reader."""

    def __init__(self, lengths: dict, postings, reader):
        self.lengths, self.postings, self.reader = lengths, postings, reader
        self.moved = False  # a node was walked: its matchers have moved on


def _node(m, docnums: list[int], wanted: set[int], context: _Context) -> dict[int, float]:
    if not m.is_active():
        return {}
    kind = type(m)
    if kind is W3LeafMatcher and hasattr(m.scorer, "_score") and hasattr(m.scorer, "dfl"):
        return _leaf(m, docnums, wanted, context)
    if kind is matching.MultiMatcher and hasattr(m.scorer, "_score") and hasattr(m.scorer, "dfl") \
            and term_of(m) is not None:  # one term over the segments of an updated build: its global scorer
        return _leaf(m, docnums, wanted, context)
    if kind is matching.WrappingMatcher:
        boost = m.boost
        return {d: s * boost for d, s in _node(m.child, docnums, wanted, context).items()}
    if kind is matching.IntersectionMatcher:
        a = _node(m.a, docnums, wanted, context)
        if not a:
            return {}
        both = sorted(a)
        b = _node(m.b, both, set(both), context)
        return {d: a[d] + b[d] for d in both if d in b}
    if kind is _MaxMatcher or kind is matching.UnionMatcher:
        a = _node(m.a, docnums, wanted, context)
        b = _node(m.b, docnums, wanted, context)
        out = dict(a)
        if kind is _MaxMatcher:
            tiebreak = m.tiebreak
            for d, sb in b.items():
                sa = a.get(d)
                out[d] = sb if sa is None else max(sa, sb) + tiebreak * min(sa, sb)
        else:
            for d, sb in b.items():
                sa = a.get(d)
                out[d] = sb if sa is None else sa + sb
        return out
    context.moved = True
    return _walk(m, docnums)


def _leaf(m, docnums: list[int], wanted: set[int], context: _Context) -> dict[int, float]:
    """One term: its whole posting list (kept, see Postings), looked up for `docnums`."""
    out: dict[int, float] = {}
    score, field_length = m.scorer._score, m.scorer.dfl
    term = term_of(m)
    assert term is not None
    known = context.lengths.setdefault(term[0], {})

    def length(d: int) -> float:
        if d not in known:
            known[d] = field_length(d)
        return known[d]

    if isinstance(known, list):  # the whole field's lengths, read at open
        length = known.__getitem__  # type: ignore[assignment]

    ids, weights = context.postings.get(m, context.reader)
    n = len(ids)
    start = bisect_left(ids, m.id())  # where the matcher stands (an intersection may have moved it)
    if len(docnums) * 8 < n - start:  # a few: look each one up
        for d in docnums:
            j = bisect_left(ids, d, start)
            if j < n and ids[j] == d:
                out[d] = score(weights[j], length(d))
            start = j
    else:
        for j in range(start, n):
            d = ids[j]
            if d in wanted:
                out[d] = score(weights[j], length(d))
    return out


def _walk(m, docnums: list[int]) -> dict[int, float]:
    """Any other matcher: moved to each document in turn."""
    out: dict[int, float] = {}
    for d in docnums:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            out[d] = m.score()
    return out


class Memo:
    """One search's scores per concept (one subquery object of the query), each document scored
    once whichever pass asks: the passes and the re-scoring ask about overlapping documents, and an
    And of concepts is the sum of theirs, added up in the order Whoosh's matcher tree would."""

    def __init__(self, searcher, concepts, lengths: dict | None = None, postings: Postings | None = None):
        self.searcher = searcher
        self.lengths = lengths
        self.postings = postings
        self.concepts = list(concepts)
        self._scores: dict[int, dict[int, float]] = {}
        self._asked: dict[int, set[int]] = {}
        self._matchers: dict[int, object] = {}  # scoring reads a tree without moving it: built once

    def _is_concept(self, q) -> bool:
        return any(q is c for c in self.concepts)

    def concept(self, q, docnums: list[int]) -> dict[int, float]:
        """Scores of `docnums` under concept `q` (a dict that may hold other documents too)."""
        known = self._scores.setdefault(id(q), {})
        asked = self._asked.setdefault(id(q), set())
        missing = [d for d in docnums if d not in asked]
        if missing:
            m = self._matchers.pop(id(q), None) or q.matcher(self.searcher)
            found, moved = score_with(self.searcher, m, missing, self.lengths, self.postings)
            if not moved:
                self._matchers[id(q)] = m
            known.update(found)
            asked.update(missing)
        return known

    def of(self, q, docnums: list[int]) -> dict[int, float]:
        """Scores of `docnums` under q: a concept, an And of concepts, or any other query."""
        if self._is_concept(q):
            known = self.concept(q, docnums)
            return {d: known[d] for d in docnums if d in known}
        if (isinstance(q, wq.And) and q.boost == 1.0 and len(q.subqueries) > 1
                and all(self._is_concept(s) for s in q.subqueries)):
            reader = self.searcher.reader()
            parts = [self.concept(s, docnums) for s in q.subqueries]
            # IntersectionMatcher tree of And: Huffman-like by 0 - estimated size, a + b at each node.
            tree = make_weighted_tree(lambda a, b: (a, b), [(0 - s.estimate_size(reader), i)
                                                            for i, s in enumerate(q.subqueries)])

            def total(node, d):
                if isinstance(node, tuple):
                    return total(node[0], d) + total(node[1], d)
                return parts[node][d]

            return {d: total(tree, d) for d in docnums if all(d in p for p in parts)}
        return scores(self.searcher, q, docnums, self.lengths, self.postings)
