"""Ranking: a per-document max of subqueries (MaxOf), the field boosts, the candidate windows and
the re-scoring of candidates by the share of the query's concepts they match."""
from __future__ import annotations

from whoosh import matching
from whoosh import query as wq

# Query-time boosts (linear in the score; index-time field_boost would only act like a higher
# term frequency and saturate under BM25).
FIELD_BOOSTS = {"label": 3.0, "body": 1.0}
BM25 = {"B": 0.5, "K1": 0.8}

AND_ENOUGH = 5  # this many documents matching every concept make the any-concept pass unnecessary
CHEAP_RELAXATION = 300  # postings of the rarest concept below which relaxing further is cheap
RERANK_WINDOW = 100  # top hits re-ranked by how many of the query's concepts they match
OR_WINDOW = 30  # a smaller top-k lets Whoosh skip blocks that cannot make it
COORDINATION_POWER = 2.0


class _MaxMatcher(matching.DisjunctionMaxMatcher):
    """Whoosh's DisjunctionMaxMatcher scores max(a, b) even when a and b sit on different
    documents, so every document gets the best score of the tree. This one compares ids."""

    def replace(self, minquality=0):
        replaced = super().replace(minquality)
        if isinstance(replaced, _MaxMatcher):
            replaced.tiebreak = self.tiebreak
        return replaced

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        ida, idb = a.id(), b.id()
        if ida != idb:
            return (a if ida < idb else b).score()
        sa, sb = a.score(), b.score()
        return max(sa, sb) + self.tiebreak * min(sa, sb)

    def max_quality(self):
        return max(self.a.max_quality(), self.b.max_quality()) * (1 + self.tiebreak)

    def block_quality(self):
        return max(self.a.block_quality(), self.b.block_quality()) * (1 + self.tiebreak)


class MaxOf(wq.DisjunctionMax):
    """The best-scoring subquery counts fully, the others add `tiebreak` times their score."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(subs, _MaxMatcher, searcher, context, lambda q: q.estimate_size(reader),
                                  tiebreak=self.tiebreak)


def rescore(searcher, concepts, docnums: list[int], owners=None) -> dict[int, float]:
    """Score candidate documents under every concept of the query (candidates found by a relaxed
    intersection lack the dropped concepts' share), times the share of concepts they match raised
    to COORDINATION_POWER: Germany's preservation section beats a general text on preservation.
    When the query names several entries (`owners`), a section of one of them is not asked to
    match the names of the others."""
    totals = {d: 0.0 for d in docnums}
    matched = {d: 0 for d in docnums}
    skip: dict[int, set[int]] = {}
    if owners:
        named = frozenset().union(*(o for o in owners if o))
        for d in docnums:
            stored = searcher.stored_fields(d)
            entry = (stored.get("kind"), stored.get("key"))
            if entry in named:
                skip[d] = {i for i, o in enumerate(owners) if o and entry not in o}
    for i, concept in enumerate(concepts):
        m = concept.matcher(searcher)
        for d in docnums:
            if i in skip.get(d, ()):
                continue
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
                if not m.is_active():
                    break
            if m.id() == d:
                totals[d] += m.score()
                matched[d] += 1
    n = len(concepts)
    return {d: totals[d] * (max(matched[d], 1) / (n - len(skip.get(d, ())))) ** COORDINATION_POWER
            for d in docnums}
