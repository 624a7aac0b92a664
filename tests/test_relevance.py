"""Search lands on the right section: recall@3 >= 0.9 on the relevance set, on the real content."""
from __future__ import annotations

from kb.search import Searcher

from relevance import QUERIES, rank_of


def test_relevance_set_is_large_enough():
    assert len(QUERIES) >= 60 and len({q for q, _ in QUERIES}) == len(QUERIES)


def test_search_recall_at_3(real_build, capsys):
    searcher = Searcher(real_build / "current" / "index")
    ranks, misses = [], []
    for query, expected in QUERIES:
        urls = [r.url for r in searcher.search(query, limit=10, facets=False).results]
        rank = rank_of(urls, expected)
        ranks.append(rank)
        if not rank or rank > 3:
            misses.append(f"{query!r}: expected {expected}, got {urls[:3]}")
    searcher.close()
    n = len(ranks)
    r1 = sum(r == 1 for r in ranks) / n
    r3 = sum(bool(r and r <= 3) for r in ranks) / n
    mrr = sum(1 / r for r in ranks if r) / n
    with capsys.disabled():
        print(f"\nrelevance ({n} queries): recall@1 {r1:.3f}  recall@3 {r3:.3f}  MRR {mrr:.3f}")
        for m in misses:
            print("  miss:", m)
    assert r3 >= 0.9, misses


def test_first_result_does_not_depend_on_the_page_size(real_build):
    searcher = Searcher(real_build / "current" / "index")
    for query, _ in QUERIES[::4]:
        small = [r.url for r in searcher.search(query, limit=1, facets=False).results]
        large = [r.url for r in searcher.search(query, limit=20, facets=False).results]
        assert small[:1] == large[:1], query
    searcher.close()
