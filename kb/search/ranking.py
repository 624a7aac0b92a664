"""Ranking: the field boosts, the candidate windows and the re-scoring of candidates by the share
of the query's concepts they match (MaxOf, the per-document maximum, is in kb.search.maxof)."""
from __future__ import annotations

from kb.search.maxof import MaxOf, _MaxMatcher  # noqa: F401 - MaxOf is part of the ranking's names
from kb.search.scores import scores

# Query-time boosts (linear in the score; index-time field_boost would only act like a higher
# term frequency and saturate under BM25).
FIELD_BOOSTS = {"label": 3.0, "body": 1.0}
BM25 = {"B": 0.5, "K1": 0.8}

AND_ENOUGH = 5  # this many documents matching every concept make the any-concept pass unnecessary
CHEAP_RELAXATION = 300  # postings of the rarest concept below which relaxing further is cheap
RERANK_WINDOW = 100  # top hits re-ranked by how many of the query's concepts they match
OR_WINDOW = 30  # a smaller top-k lets Whoosh skip blocks that cannot make it
COORDINATION_POWER = 2.0


def rescore(searcher, concepts, docnums: list[int], owners=None, score_of=None) -> dict[int, float]:
    """Score candidate documents under every concept of the query (candidates found by a relaxed
    intersection lack the dropped concepts' share), times the share of concepts they match raised
    to COORDINATION_POWER: Germany's preservation section beats a general text on preservation.
    When the query names several entries (`owners`), a section of one of them is not asked to
    match the names of the others. `score_of(concept, docnums)` gives concept scores (kb.search.scores.Memo)."""
    score_of = score_of or (lambda concept, asked: scores(searcher, concept, asked))
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
        asked = [d for d in docnums if i not in skip.get(d, ())]
        known = score_of(concept, asked)
        for d in asked:
            if d not in known:
                continue
            score = known[d]
            totals[d] += score
            matched[d] += 1
    n = len(concepts)
    return {d: totals[d] * (max(matched[d], 1) / (n - len(skip.get(d, ())))) ** COORDINATION_POWER
            for d in docnums}
