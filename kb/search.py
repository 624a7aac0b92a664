"""Full-text search with Whoosh: the only module that imports whoosh.

One document per section (and one per entry for its overview), carrying the entry-level
fields (names, aliases, region, memberships ...) so that "preserve data germany" lands on
/countries/de#preservation. The index is written once per build and only read afterwards.
"""
from __future__ import annotations

import contextlib
import gc
import html
import queue
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import fields as wf
from whoosh import index as windex
from whoosh import matching, scoring, sorting
from whoosh import query as wq
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.support.charset import accent_map

from kb.speller import Speller, edit_distance  # noqa: F401 - part of this module's public names
from kb.synonyms import SYNONYM_WEIGHT, SYNONYMS

MAX_QUERY = 200  # characters; longer queries are cut with a notice
KIND_LABELS = {"countries": "Country", "providers": "Provider", "topics": "Topic"}

STOP = frozenset("a an and are as at be by for from how i in is it of on or the to what when where which who "
                 "with do does my we our their there this that".split())


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


SCHEMA = wf.Schema(
    doc_id=wf.ID(stored=True, unique=True),
    kind=wf.ID(stored=True),
    key=wf.ID(stored=True),
    section=wf.ID(stored=True),
    url=wf.STORED(),
    name=wf.STORED(),
    label=wf.TEXT(analyzer=analyzer(), phrase=False),  # entry name, aliases and the section heading
    heading_text=wf.STORED(),
    body=wf.TEXT(analyzer=analyzer(), stored=True, phrase=False),
    words=wf.TEXT(analyzer=plain_analyzer(), spelling=True, phrase=False),  # unstemmed vocabulary for suggestions
    region=wf.ID(stored=True),
    memberships=wf.KEYWORD(stored=True, commas=True),
    budapest=wf.ID(stored=True),
    retention=wf.ID(stored=True),
)

# Query-time boosts (linear in the score; index-time field_boost would only act like a higher
# term frequency and saturate under BM25).
FIELD_BOOSTS = {"label": 3.0, "body": 1.0}

SECTION_AREAS = {
    "countries": {"central-authority": ("central_authority", "other_authorities"), "contact-24-7": ("contact_24_7",),
                  "legal-process": ("legal_process",), "preservation": ("preservation",),
                  "retention": ("retention",), "emergency": ("emergency",)},
    "providers": {"contact": ("le_portal",), "legal-process": ("legal_process", "foreign_requests"),
                  "preservation": ("preservation",), "emergency": ("emergency",), "retention": ("retention",)},
}

FACETS = {
    "kind": "Kind",
    "region": "Region",
    "memberships": "Membership",
    "budapest": "Convention on Cybercrime",
    "retention": "Data retention",
}


def documents_for(entry: dict, sections: list[dict], facts) -> list[dict]:
    import json

    aliases = " ".join(json.loads(entry["aliases"]))
    memberships = json.loads(entry["memberships"])
    names = prep(f"{entry['name']} {aliases}")
    base = {"kind": entry["kind"], "key": entry["key"], "name": entry["name"], "names": names,
            "region": entry["region"] or "", "memberships": ",".join(memberships),
            "budapest": entry["budapest_status"] or "", "retention": entry["retention_status"] or ""}
    facts_text: dict[str, list[str]] = {}
    for f in facts:
        facts_text.setdefault(f.field.split(".")[0], []).append(f.value)
    # Which structured facts are indexed with which section (those of no section go to notes).
    area_of = SECTION_AREAS[entry["kind"]] if entry["kind"] in SECTION_AREAS else {}
    docs = []
    overview = entry["summary"] or ""
    docs.append(dict(base, doc_id=f"{entry['kind']}/{entry['key']}", section="", url=entry["url"],
                     heading="Overview", heading_text="Overview", body=prep(overview),
                     words=f"{entry['name']} {aliases} {overview}"))
    placed = {a for areas in area_of.values() for a in areas}
    for s in sections:
        areas: Sequence[str] = area_of.get(s["section"], ())
        if s["section"] == "notes":
            areas = [a for a in facts_text if a not in placed]
        extra = " ".join(v for a in areas for v in facts_text.get(a, []))
        body = s["text"] + (" " + extra if extra else "")
        if entry["kind"] == "topics":  # a topic's aliases are concept words: on its overview only,
            base = dict(base, names=prep(entry["name"]))  # or every section would outrank country pages
        docs.append(dict(base, doc_id=f"{entry['kind']}/{entry['key']}#{s['section']}", section=s["section"],
                         url=f"{entry['url']}#{s['section']}",
                         heading=prep(s["title"]), heading_text=s["title"], body=prep(body),
                         words=f"{s['title']} {body}"))
    return docs


def write_index(path: Path, docs: list[dict], progress=None) -> None:
    path.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(path), SCHEMA)
    writer = ix.writer()
    for i, doc in enumerate(docs, 1):
        doc = dict(doc)
        doc["label"] = f"{doc.pop('names')} {doc.pop('heading')}"  # one short field: fewer matchers a query
        writer.add_document(**doc)
        if progress and (i % 200 == 0 or i == len(docs)):
            progress("indexing", i, len(docs))
    writer.commit()


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
        self._analysed_synonyms: list[list[str]] | None = None
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._opened: list = []
        with self.ix.reader() as reader:
            self.speller = Speller({t.decode() if isinstance(t, bytes) else t: info.weight()
                                    for t, info in reader.iter_field("words")})

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
            searcher = self.ix.searcher(weighting=scoring.BM25F(B=0.5, K1=0.8))
            self._opened.append(searcher)
        try:
            yield searcher
        finally:
            self._idle.put(searcher)

    # -- query building ----------------------------------------------------------------------
    def _terms(self, text: str) -> list[str]:
        return [t.text for t in QUERY_ANALYZER(prep(text))]

    def _expand(self, q: str) -> list[list[tuple[list[str], float]]]:
        """Groups of alternative phrasings (stemmed words, weight) for the query: the words typed
        weigh 1, their synonyms weigh SYNONYM_WEIGHT."""
        norm = " ".join(self._terms(q))
        groups = []
        used = set()
        for variants in self._synonyms():
            typed = [v for v in dict.fromkeys(variants) if v and re.search(rf"(^| ){re.escape(v)}( |$)", norm)]
            if typed:
                for v in typed:  # "24x7 point of contact" is one concept, not three
                    used.update(v.split())
                groups.append([(v.split(), 1.0 if v in typed else SYNONYM_WEIGHT)
                               for v in dict.fromkeys(variants) if v])
        rest = [t for t in norm.split() if t not in used]
        return [[([t], 1.0)] for t in dict.fromkeys(rest)] + groups

    def _synonyms(self) -> list[list[str]]:
        if self._analysed_synonyms is None:
            self._analysed_synonyms = [[" ".join(self._terms(v)) for v in syn] for syn in SYNONYMS]
        return self._analysed_synonyms

    def _concept_query(self, alternatives: list[tuple[list[str], float]], reader) -> wq.Query | None:
        """One concept (a word, or a synonym group): any phrasing, in any field. Words the index
        does not know (and the corrector could not fix) are left out."""
        per_field = []
        for fname, boost in FIELD_BOOSTS.items():
            parts = []
            for words, weight in alternatives:
                if len(words) > 1:
                    # A phrase is matched as all of its words: position checks cost more than
                    # they add on short labels and section-sized bodies.
                    # An And adds up its words' scores: divide so a phrase weighs like one word.
                    parts.append(wq.And([wq.Term(fname, w) for w in words], boost=boost * weight / len(words)))
                elif self._known(words[0], reader):
                    parts.append(wq.Term(fname, words[0], boost=boost * weight))
            if parts:
                per_field.append(parts[0] if len(parts) == 1 else MaxOf(parts, tiebreak=0.1))
        if not per_field:
            return None
        # The best field counts, others add a little: synonyms and repeated fields do not inflate a concept.
        return MaxOf(per_field, tiebreak=0.3)

    @staticmethod
    def _known(word: str, reader) -> bool:
        return any(reader.frequency(f, word) for f in FIELD_BOOSTS)

    def build_query(self, q: str, reader) -> wq.Query | None:
        groups = self._expand(q)
        if not groups:
            return None
        clauses = [c for c in (self._concept_query(alternatives, reader) for alternatives in groups) if c]
        if not clauses:
            return wq.NullQuery
        return clauses[0] if len(clauses) == 1 else wq.Or(clauses)

    def suggest(self, q: str, reader) -> str:
        """The query with unknown words replaced by the closest indexed word, or "" if none changed."""
        changed = False

        def fix(m: re.Match) -> str:
            nonlocal changed
            word = m.group(0)
            folded = unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode() or word.lower()
            if len(folded) < 4 or folded in self.speller.freq or any(
                    self._known(t, reader) for t in self._terms(folded)):
                return word
            best = self.speller.correct(folded)
            if not best:
                return word
            changed = True
            return best

        fixed = re.sub(r"\w+", fix, q)
        return fixed.lower() if changed else ""

    @staticmethod
    def _owners(searcher, query) -> list[frozenset | None] | None:
        """For a query naming two or more entries ("instagram emergency germany"), the entries
        each concept names (by name or alias; None for other concepts); None for other queries."""
        if not isinstance(query, wq.Or):
            return None
        out: list[frozenset | None] = []
        for c in query.subqueries:
            words = {t.decode() if isinstance(t, bytes) else t for f, t in c.iter_all_terms() if f == "label"}
            named: frozenset = frozenset()
            if len(words) == 1:
                hits = searcher.search(wq.Term("label", words.pop()), filter=wq.Term("section", ""), limit=10)
                named = frozenset((h["kind"], h["key"]) for h in hits if h["kind"] != "topics")
            out.append(named if 0 < len(named) <= 3 else None)
        naming = [o for o in out if o]
        return out if len(naming) >= 2 and len(frozenset().union(*naming)) >= 2 else None

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
        facet_objs = ({k: sorting.FieldFacet(k, allow_overlap=(k == "memberships")) for k in FACETS}
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
        owners = self._owners(searcher, query)
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


SNIPPET_SCAN = 20_000  # characters of a body tokenised for its snippet (a section is at most 64,000)


def snippet(text: str, terms: set[str], width: int = 220) -> str:
    """The window of `text` with the most distinct query terms, terms wrapped in <mark>, HTML-escaped.
    Only the first SNIPPET_SCAN characters are tokenised, and the best window is found in one
    pass over the hits (a sliding window), so the cost is bounded whatever the body holds."""
    scan = text[:SNIPPET_SCAN]
    tokens = [(t.startchar, t.endchar, t.text) for t in QUERY_ANALYZER(scan, chars=True, removestops=False)]
    hits = [(start, end) for start, end, stem in tokens if stem in terms]
    if not hits:
        return html.escape(_cut(text, 0, width))
    best, best_score = hits[0][0], -1
    words = [scan[a:b].lower() for a, b in hits]
    inside: dict[str, int] = {}  # distinct words of hits[i:j], the hits ending within width of hit i
    j = 0
    for i, (start, _) in enumerate(hits):  # windows starting a little before each hit
        if j < i:
            j = i
            inside.clear()
        while j < len(hits) and hits[j][1] <= start + width:
            inside[words[j]] = inside.get(words[j], 0) + 1
            j += 1
        if len(inside) > best_score:
            best, best_score = start, len(inside)
        if i < j:
            inside[words[i]] -= 1
            if not inside[words[i]]:
                del inside[words[i]]
    begin = max(0, text.rfind(" ", 0, max(0, best - 40)) + 1) if best > 40 else 0
    end = min(len(text), begin + width)
    out, pos = [], begin
    for a, b in hits:
        if a < begin or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return ("… " if begin else "") + "".join(out) + (" …" if end < len(text) else "")


AND_ENOUGH = 5  # this many documents matching every concept make the any-concept pass unnecessary
CHEAP_RELAXATION = 300  # postings of the rarest concept below which relaxing further is cheap
RERANK_WINDOW = 100  # top hits re-ranked by how many of the query's concepts they match
OR_WINDOW = 30  # a smaller top-k lets Whoosh skip blocks that cannot make it
COORDINATION_POWER = 2.0


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


def _matched_words(hit) -> set[str]:
    return {t.decode() if isinstance(t, bytes) else t for _, t in hit.matched_terms()}


def _cut(text: str, start: int, width: int) -> str:
    return text[start:start + width] + (" …" if len(text) > start + width else "")


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
