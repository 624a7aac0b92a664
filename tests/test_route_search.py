"""Search answers the investigator's mixed queries and plain questions (issue 11), on the real content."""
from __future__ import annotations

import pytest

from kb.search import Searcher


@pytest.fixture(scope="module")
def searcher(real_build):
    s = Searcher(real_build / "current" / "index")
    yield s
    s.close()


def urls(searcher, q, n):
    return [r.url for r in searcher.search(q, limit=n, facets=False).results]


def test_mixed_query_returns_the_provider_and_the_country_emergency_sections(searcher):
    top = urls(searcher, "instagram emergency germany", 5)
    assert "/providers/meta#emergency" in top and "/countries/de#emergency" in top, top


def test_question_in_plain_words_puts_the_country_section_first(searcher):
    assert urls(searcher, "how long do german ISPs keep data", 1) == ["/countries/de#retention"]


def test_a_query_naming_one_entry_is_ranked_as_before(searcher):
    assert urls(searcher, "preserve data germany", 1) == ["/countries/de#preservation"]
