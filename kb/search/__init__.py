"""Full-text search with Whoosh: the only package that imports whoosh.

One document per section (and one per entry for its overview); the index is written once per
build and only read afterwards. By job:

- `analysis`: stop words, normalisation (`prep`) and the analyzers shared by index and query
- `documents`: the schema, which facts go with which section, the documents of one entry
- `index`: writing the index of a build
- `query`: synonym expansion, concepts, spelling suggestions, the entries a query names
- `ranking`: field boosts, candidate windows, re-scoring by concepts matched
- `maxof`: MaxOf, the per-document maximum of subqueries
- `docsets`: which documents match, as bitsets (totals, facets, filters)
- `scores`: scores of chosen documents, per node of Whoosh's matcher tree
- `postings`: a term's whole posting list over every segment (deleted documents left out), kept per index
- `snippets`: the best window of a section's text, terms marked
- `storage`: index files mapped and read in place
- `engine`: `Searcher`, `Result`, `Answer`, `guarded` / `IndexUnreadable`
"""
from __future__ import annotations

from kb.search.analysis import QUERY_ANALYZER, STOP, analyzer, plain_analyzer, prep
from kb.search.documents import FACETS, KIND_LABELS, MULTI, SCHEMA, SECTION_AREAS, documents_for
from kb.search.engine import MAX_QUERY, Answer, IndexUnreadable, Result, Searcher, guarded
from kb.search.index import write_index
from kb.search.ranking import (
                               AND_ENOUGH,
                               BM25,
                               CHEAP_RELAXATION,
                               COORDINATION_POWER,
                               FIELD_BOOSTS,
                               OR_WINDOW,
                               RERANK_WINDOW,
                               MaxOf,
                               rescore,
)
from kb.search.snippets import SNIPPET_SCAN, snippet
from kb.speller import Speller, edit_distance
from kb.synonyms import SYNONYM_WEIGHT, SYNONYMS

__all__ = [
    "AND_ENOUGH", "BM25", "CHEAP_RELAXATION", "COORDINATION_POWER", "FACETS", "FIELD_BOOSTS", "KIND_LABELS",
    "MAX_QUERY", "MULTI", "OR_WINDOW", "QUERY_ANALYZER", "RERANK_WINDOW", "SCHEMA", "SECTION_AREAS",
    "SNIPPET_SCAN", "STOP", "SYNONYMS", "SYNONYM_WEIGHT", "Answer", "IndexUnreadable", "MaxOf", "Result",
    "Searcher", "Speller", "analyzer", "documents_for", "edit_distance", "guarded", "plain_analyzer", "prep",
    "rescore", "snippet", "write_index",
]
