"""From the words typed to a Whoosh query: synonym expansion (kb.synonyms), one concept per word
or synonym group, spelling suggestions (kb.speller) and the entries a query names."""
from __future__ import annotations

import re
import unicodedata

from whoosh import query as wq

from kb.search.analysis import QUERY_ANALYZER, prep
from kb.search.ranking import FIELD_BOOSTS, MaxOf
from kb.speller import Speller
from kb.synonyms import SYNONYM_WEIGHT, SYNONYMS


def terms(text: str) -> list[str]:
    return [t.text for t in QUERY_ANALYZER(prep(text))]


class QueryBuilder:
    """Builds queries against one index: its speller holds the index's vocabulary."""

    def __init__(self, speller: Speller):
        self.speller = speller
        self._analysed_synonyms: list[list[str]] | None = None

    def expand(self, q: str) -> list[list[tuple[list[str], float]]]:
        """Groups of alternative phrasings (stemmed words, weight) for the query: the words typed
        weigh 1, their synonyms weigh SYNONYM_WEIGHT."""
        norm = " ".join(terms(q))
        groups = []
        used = set()
        for variants in self.synonyms():
            typed = [v for v in dict.fromkeys(variants) if v and re.search(rf"(^| ){re.escape(v)}( |$)", norm)]
            if typed:
                for v in typed:  # "24x7 point of contact" is one concept, not three
                    used.update(v.split())
                groups.append([(v.split(), 1.0 if v in typed else SYNONYM_WEIGHT)
                               for v in dict.fromkeys(variants) if v])
        rest = [t for t in norm.split() if t not in used]
        return [[([t], 1.0)] for t in dict.fromkeys(rest)] + groups

    def synonyms(self) -> list[list[str]]:
        if self._analysed_synonyms is None:
            self._analysed_synonyms = [[" ".join(terms(v)) for v in syn] for syn in SYNONYMS]
        return self._analysed_synonyms

    def concept_query(self, alternatives: list[tuple[list[str], float]], reader) -> wq.Query | None:
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
                elif known(words[0], reader):
                    parts.append(wq.Term(fname, words[0], boost=boost * weight))
            if parts:
                per_field.append(parts[0] if len(parts) == 1 else MaxOf(parts, tiebreak=0.1))
        if not per_field:
            return None
        # The best field counts, others add a little: synonyms and repeated fields do not inflate a concept.
        return MaxOf(per_field, tiebreak=0.3)

    def build(self, q: str, reader) -> wq.Query | None:
        groups = self.expand(q)
        if not groups:
            return None
        clauses = [c for c in (self.concept_query(alternatives, reader) for alternatives in groups) if c]
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
            if len(folded) < 4 or folded in self.speller.freq or any(known(t, reader) for t in terms(folded)):
                return word
            best = self.speller.correct(folded)
            if not best:
                return word
            changed = True
            return best

        fixed = re.sub(r"\w+", fix, q)
        return fixed.lower() if changed else ""


def known(word: str, reader) -> bool:
    return any(reader.frequency(f, word) for f in FIELD_BOOSTS)


def owners(query, named) -> list[frozenset | None] | None:
    """For a query naming two or more entries ("instagram emergency germany"), the entries
    each concept names (by name or alias; None for other concepts); None for other queries.
    `named(word)` gives the entries (kind, key) among the ten best overviews whose label holds `word`."""
    if not isinstance(query, wq.Or):
        return None
    out: list[frozenset | None] = []
    for c in query.subqueries:
        words = {t.decode() if isinstance(t, bytes) else t for f, t in c.iter_all_terms() if f == "label"}
        named_here: frozenset = named(words.pop()) if len(words) == 1 else frozenset()
        out.append(named_here if 0 < len(named_here) <= 3 else None)
    naming = [o for o in out if o]
    return out if len(naming) >= 2 and len(frozenset().union(*naming)) >= 2 else None
