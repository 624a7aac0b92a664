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

from whoosh import index as windex
from whoosh import query as wq
from whoosh import scoring, sorting

from kb.search import query as kq
from kb.search.documents import FACETS, MULTI
from kb.search.ranking import AND_ENOUGH, BM25, CHEAP_RELAXATION, OR_WINDOW, RERANK_WINDOW, rescore
from kb.search.snippets import snippet
from kb.speller import Speller

MAX_QUERY = 200  # characters; longer queries are cut with a notice


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
        self.ix = windex.open_dir(str(path))
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._opened: list = []
        with self.ix.reader() as reader:
            self.speller = Speller({t.decode() if isinstance(t, bytes) else t: info.weight()
                                    for t, info in reader.iter_field("words")})
        self.queries = kq.QueryBuilder(self.speller)

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
        filt = None
        if filters:
            filt = wq.And([wq.Term(k, v) for k, v in filters.items()])
        facet_objs = ({k: sorting.FieldFacet(k, allow_overlap=k in MULTI) for k in FACETS}
                      if facets else None)
        want = page * limit
        window = max(RERANK_WINDOW, want)

        def run(q, size):
            return searcher.search(q, limit=size, filter=filt, groupedby=facet_objs, terms=True)

        # Intersections are cheap to score and hold what the re-ranking puts on top: first the
        # documents matching every concept, then, while too few, those matching all but the
        # most common concept ("preservation" in "preservation kalo12"), and so on. Only a
        # query whose concepts are all needed to find enough falls back to any-concept matching.
        found: dict[int, Any] = {}
        hits = None
        owners = kq.owners(searcher, query)
        if owners:  # "instagram emergency germany": each named entry with the other concepts
            rest = [c for c, o in zip(query.subqueries, owners, strict=True) if not o]
            for c, o in zip(query.subqueries, owners, strict=True):
                if o:
                    for hit in run(wq.And([c] + rest) if rest else c, window):
                        found.setdefault(hit.docnum, hit)
        if isinstance(query, wq.Or):
            concepts = sorted(query.subqueries, key=lambda c: c.estimate_size(reader))
            for keep in range(len(concepts), 0, -1):
                hits = run(wq.And(concepts[:keep]) if keep > 1 else concepts[0], window)
                for hit in hits:
                    found.setdefault(hit.docnum, hit)
                # Enough found: relax further only while it stays cheap (the rarer concepts
                # bound the next intersection), so a heading that lacks one word still competes.
                if len(found) >= min(want, AND_ENOUGH) and (
                        keep == 1 or concepts[0].estimate_size(reader) > CHEAP_RELAXATION):
                    break
            else:
                hits = None
        if hits is None:
            hits = run(query, max(OR_WINDOW, want))
            for hit in hits:
                found.setdefault(hit.docnum, hit)
        counts_by_facet = {}
        for name in FACETS if facets else ():
            try:
                facet_groups = hits.groups(name)
            except KeyError:
                facet_groups = {}
            counts = {str(k): (len(v) if hasattr(v, "__len__") else int(v)) for k, v in facet_groups.items()
                      if k}
            counts_by_facet[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        concepts = query.subqueries if isinstance(query, wq.Or) else [query]
        scores = rescore(searcher, concepts, sorted(found), owners)
        ranked = sorted(((scores[docnum], hit) for docnum, hit in found.items()), key=lambda pair: -pair[0])
        results = []
        for score, hit in ranked[(page - 1) * limit: page * limit]:
            results.append(Result(hit["kind"], hit["key"], hit["section"], hit["name"],
                                  hit.get("heading_text", ""), hit["url"],
                                  snippet(hit.get("body", ""), _matched_words(hit)),
                                  round(score, 3)))
        # Counting every match costs a second pass; without facets the estimate is enough.
        total = max(len(found), len(hits) if facets else hits.estimated_length())
        return Answer(q, total, results, suggestion=suggestion, notice=notice, facets=counts_by_facet)


def _matched_words(hit) -> set[str]:
    return {t.decode() if isinstance(t, bytes) else t for _, t in hit.matched_terms()}


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
