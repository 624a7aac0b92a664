"""Answering a query on one build's index: Searcher (reused open searchers), Result, Answer, and
the guard that turns a damaged index into IndexUnreadable."""
from __future__ import annotations

import contextlib
import gc
import queue
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh import scoring

from kb.search import query as kq
from kb.search.docsets import DocSets, members
from kb.search.documents import FACETS
from kb.search.ranking import AND_ENOUGH, BM25, CHEAP_RELAXATION, FIELD_BOOSTS, OR_WINDOW, RERANK_WINDOW, rescore
from kb.search.scores import Memo, Postings, field_lengths, scores
from kb.search.snippets import snippet
from kb.search.storage import open_index
from kb.speller import Speller

MAX_QUERY = 200  # characters; longer queries are cut with a notice
NAMED_CACHE = 4096  # words whose named entries are kept (emptied when full)


@dataclass
class Result:
    kind: str
    key: str
    section: str
    title: str
    heading: str
    url: str
    snippet: str
    score: float


@dataclass
class Answer:
    query: str
    total: int
    results: list[Result]
    suggestion: str = ""
    notice: str = ""
    facets: dict = field(default_factory=dict)


class Searcher:
    """Opens the index of one build for reading."""

    def __init__(self, path: Path):
        self.ix = open_index(path)  # mapped, read in place (kb.search.storage)
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._opened: list = []
        with self.ix.reader() as reader:
            self.speller = Speller({t.decode() if isinstance(t, bytes) else t: info.weight()
                                    for t, info in reader.iter_field("words")})
            self.postings = Postings()
            self.docsets = DocSets(reader.doc_count_all(),  # term bitsets from the kept posting lists
                                   lambda r, f, t: self.postings.term(r, f, t.encode("utf-8"))[0])
            for name in FACETS:  # read once here rather than by the first search with facets
                self.docsets.facet_values(name, reader)
            self.lengths = {f: n for f in FIELD_BOOSTS if (n := field_lengths(reader, f)) is not None}
        self.queries = kq.QueryBuilder(self.speller)
        self._named_cache: dict[str, frozenset] = {}

    def close(self):
        for searcher in self._opened:
            searcher.close()
        self.ix.close()

    @contextlib.contextmanager
    def _searcher(self):
        """Lend an open searcher: the index never changes, and opening one reads every column's
        offsets (work that grows with the number of documents). Searchers are not shared between
        threads at the same time; there are as many as concurrent searches."""
        try:
            searcher = self._idle.get_nowait()
        except queue.Empty:
            searcher = self.ix.searcher(weighting=scoring.BM25F(**BM25))
            self._opened.append(searcher)
        try:
            yield searcher
        finally:
            self._idle.put(searcher)

    def build_query(self, q: str, reader) -> wq.Query | None:
        return self.queries.build(q, reader)

    def suggest(self, q: str, reader) -> str:
        return self.queries.suggest(q, reader)

    # -- search ------------------------------------------------------------------------------
    def search(self, q: str, filters: dict | None = None, limit: int = 20, page: int = 1,
               facets: bool = True) -> Answer:
        notice = ""
        q = (q or "").strip()
        if len(q) > MAX_QUERY:
            q = q[:MAX_QUERY]
            notice = f"Your query was cut to its first {MAX_QUERY} characters."
        filters = {k: v for k, v in (filters or {}).items() if v}
        with self._searcher() as searcher:
            return self._search(searcher, q, filters, limit, page, facets, notice)

    def _search(self, searcher, q, filters, limit, page, facets, notice) -> Answer:
        reader = searcher.reader()
        suggestion = self.suggest(q, reader)
        query = self.build_query(suggestion or q, reader)
        if query is None:
            return Answer(q, 0, [], notice=notice or ("Type a word to search." if not q else
                                                      "Your query has no searchable words."))
        sets = self.docsets
        allowed = sets.filter(filters, reader) if filters else None
        want = page * limit
        window = max(RERANK_WINDOW, want)
        found: dict[int, Any] = {}  # document -> the query that found it first (its words mark the snippet)
        concepts = query.subqueries if isinstance(query, wq.Or) else [query]
        memo = Memo(searcher, concepts, self.lengths, self.postings)

        def run(q, size) -> int:
            """Add q's best `size` documents to `found`, best first; return every document q matches."""
            bits = sets.of(q, reader)
            if allowed is not None:
                bits &= allowed
            best = by_score(memo, q, members(bits))[:size]
            for docnum in best:
                found.setdefault(docnum, q)
            return bits

        # Intersections are cheap to score and hold what the re-ranking puts on top: first the
        # documents matching every concept, then, while too few, those matching all but the
        # most common concept ("preservation" in "preservation kalo12"), and so on. Only a
        # query whose concepts are all needed to find enough falls back to any-concept matching.
        matches = None  # the documents the last pass matched: the total and the facets count them
        owners = kq.owners(query, lambda word: self._named(word, searcher))
        if owners:  # "instagram emergency germany": each named entry with the other concepts
            rest = [c for c, o in zip(query.subqueries, owners, strict=True) if not o]
            for c, o in zip(query.subqueries, owners, strict=True):
                if o:
                    run(wq.And([c] + rest) if rest else c, window)
        if isinstance(query, wq.Or):
            rarest = sorted(query.subqueries, key=lambda c: c.estimate_size(reader))
            for keep in range(len(rarest), 0, -1):
                matches = run(wq.And(rarest[:keep]) if keep > 1 else rarest[0], window)
                # Enough found: relax further only while it stays cheap (the rarer concepts
                # bound the next intersection), so a heading that lacks one word still competes.
                if len(found) >= min(want, AND_ENOUGH) and (
                        keep == 1 or rarest[0].estimate_size(reader) > CHEAP_RELAXATION):
                    break
            else:
                matches = None
        if matches is None:
            matches = run(query, max(OR_WINDOW, want))
        counts_by_facet = {name: sets.counts(name, matches, reader) for name in FACETS} if facets else {}
        final = rescore(searcher, concepts, sorted(found), owners, score_of=memo.concept)
        ranked = sorted(((final[docnum], docnum) for docnum in found), key=lambda pair: -pair[0])
        results = []
        for score, docnum in ranked[(page - 1) * limit: page * limit]:
            stored = searcher.stored_fields(docnum)
            results.append(Result(stored["kind"], stored["key"], stored["section"], stored["name"],
                                  stored.get("heading_text", ""), stored["url"],
                                  snippet(stored.get("body", ""), sets.matched(found[docnum], docnum, reader) or set()),
                                  round(score, 3)))
        return Answer(q, max(len(found), matches.bit_count()), results, suggestion=suggestion, notice=notice,
                      facets=counts_by_facet)

    def _named(self, word: str, searcher) -> frozenset:
        """The entries (not topics) among the ten best overviews whose label holds `word` (kept per word)."""
        if word not in self._named_cache:
            reader = searcher.reader()
            overview = self.docsets.term("label", word, reader) & self.docsets.term("section", "", reader)
            docnums = by_score(searcher, wq.Term("label", word), members(overview))[:10]
            stored = [searcher.stored_fields(d) for d in docnums]
            if len(self._named_cache) >= NAMED_CACHE:
                self._named_cache.clear()
            self._named_cache[word] = frozenset((s["kind"], s["key"]) for s in stored if s["kind"] != "topics")
        return self._named_cache[word]


def by_score(scorer, q, docnums: list[int]) -> list[int]:
    """`docnums` (ascending, each matching q) best first by q's score, ties by document number,
    as Whoosh ranks them. `scorer` is a Memo of this search, or a Whoosh searcher."""
    score = scorer.of(q, docnums) if isinstance(scorer, Memo) else scores(scorer, q, docnums)
    return sorted(docnums, key=lambda d: (-score.get(d, 0.0), d))


class IndexUnreadable(Exception):
    """A search index that does not open or fails while answering (damaged, missing, truncated)."""


def guarded(call, *args, **kwargs):
    """Run `call` (open a Searcher, or search with one), turning any failure to read the index into
    IndexUnreadable. Whoosh leaves files open when it fails half-way through a damaged segment; they
    are collected here, quietly, instead of warning later in some other request."""
    failure = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return call(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a damaged segment shows up as any kind of read error
            failure = f"{type(exc).__name__}: {exc}"
        gc.collect()
    raise IndexUnreadable(failure)
