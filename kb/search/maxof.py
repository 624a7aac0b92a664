"""MaxOf: a per-document maximum of subqueries (Whoosh's own DisjunctionMax compares scores
across documents)."""
from __future__ import annotations

from whoosh import matching
from whoosh import query as wq


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

    def estimate_size(self, ixreader):
        """Whoosh's estimate (the sum of the subqueries'), worked out once per query object: a
        search asks it of each concept many times (ordering, matcher trees), and the index never
        changes under an open reader."""
        size = self.__dict__.get("_size")
        if size is None:
            size = self.__dict__["_size"] = super().estimate_size(ixreader)
        return size

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(subs, _MaxMatcher, searcher, context, lambda q: q.estimate_size(reader),
                                  tiebreak=self.tiebreak)
