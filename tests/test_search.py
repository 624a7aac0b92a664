"""Search behaviour on the fixture build: synonyms, accents, typos, odd input, facets, snippets."""
from __future__ import annotations

import pytest

from kb.search import MAX_QUERY, Searcher


@pytest.fixture
def searcher(built):
    s = Searcher(built / "current" / "index")
    yield s
    s.close()


def urls(answer):
    return [r.url for r in answer.results]


def test_section_level_results_deep_link(searcher):
    assert urls(searcher.search("preservation germany"))[0] == "/countries/de#preservation"


def test_accents_and_case_are_folded(searcher):
    assert urls(searcher.search("BUNDESAMT FUR JUSTIZ"))[0] == "/countries/de#central-authority"


def test_aliases_and_demonyms_find_the_entry(searcher):
    assert urls(searcher.search("Deutschland"))[0].startswith("/countries/de")
    assert urls(searcher.search("dutch preservation"))[0] == "/countries/nl#preservation"
    assert urls(searcher.search("EM Chat emergency"))[0] == "/providers/example-mail#emergency"


@pytest.mark.parametrize("query", ["MLAT", "mutual legal assistance", "legal assistance"])
def test_synonyms_reach_the_same_concept(searcher, query):
    assert "/topics/mla" in [u.split("#")[0] for u in urls(searcher.search(query))[:3]]


@pytest.mark.parametrize("query", ["24/7 germany", "24x7 germany", "24-7 germany", "point of contact germany"])
def test_24_7_spellings(searcher, query):
    assert urls(searcher.search(query))[0] == "/countries/de#contact-24-7"


def test_stemming(searcher):
    assert urls(searcher.search("preserved germany"))[0] == "/countries/de#preservation"


def test_typos_fall_back_to_fuzzy_matching_with_a_suggestion(searcher):
    answer = searcher.search("Germny preservaton")
    assert urls(answer)[0] == "/countries/de#preservation"
    assert answer.suggestion == "germany preservation"


def test_no_suggestion_when_words_are_known(searcher):
    assert searcher.search("germany preservation").suggestion == ""


@pytest.mark.parametrize("query", ["AND (", "*", "field:", '"unbalanced', "title:germany OR", "((", "~2 ^3",
                                   "germany AND (preservation", "\\", "\x00", "' OR 1=1 --"])
def test_query_syntax_typed_by_accident_never_errors(searcher, query):
    answer = searcher.search(query)
    assert answer.total >= 0


def test_query_syntax_falls_back_to_plain_terms(searcher):
    assert urls(searcher.search("germany AND (preservation"))[0] == "/countries/de#preservation"


def test_very_long_queries_are_cut_with_a_notice(searcher):
    answer = searcher.search("germany " * 100)
    assert len(answer.query) == MAX_QUERY and "cut" in answer.notice


def test_empty_query(searcher):
    assert searcher.search("").total == 0


def test_facets_count_and_filter(searcher):
    answer = searcher.search("preservation")
    assert answer.facets["kind"] == {"countries": 2, "providers": 1}
    filtered = searcher.search("preservation", filters={"kind": "providers"})
    assert urls(filtered) == ["/providers/example-mail#preservation"]
    assert searcher.search("preservation", filters={"retention": "annulled"}).total >= 1
    assert all(u.startswith("/countries/de") for u in urls(searcher.search("preservation",
                                                                           filters={"memberships": "G7"})))


def test_snippets_highlight_terms_and_escape_html(searcher):
    snippet = searcher.search("frozen").results[0].snippet
    assert "<mark>frozen</mark>" in snippet


def test_snippet_escapes_markup_from_content(content_dir, tmp_path):
    from kb.build import build

    nl = content_dir / "countries" / "nl.md"
    nl.write_text(nl.read_text().replace("No general obligation [@fx-law].",
                                         "No general obligation for `<b>x</b>` zebra [@fx-law]."))
    out = tmp_path / "b"
    build(content_dir, out)
    s = Searcher(out / "current" / "index")
    snippet = s.search("zebra").results[0].snippet
    s.close()
    assert "<b>" not in snippet and "<mark>zebra</mark>" in snippet


def test_search_page_shows_suggestion_notice_and_facets(client):
    html = client.get("/search?q=Germny").data.decode()
    assert "Did you mean" in html and "germany" in html
    assert client.get("/search?q=" + "x" * 300).data.decode().count("cut to its first") == 1
    html = client.get("/search?q=preservation").data.decode()
    assert "Kind" in html and "Provider</a> (1)" in html


def test_concurrent_searches_share_the_index_safely(searcher):
    from concurrent.futures import ThreadPoolExecutor

    queries = ["preservation germany", "24/7 germany", "MLAT", "Germny", "portal", "retention netherlands"] * 5
    expected = {q: urls(searcher.search(q)) for q in set(queries)}
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(lambda q: (q, urls(searcher.search(q))), queries))
    assert all(result == expected[q] for q, result in got)
    assert len(searcher._opened) <= 7  # searchers are reused, not opened per search


def _docs(n):
    words = ["preservation", "order", "retention", "period", "authority", "central", "emergency", "request"]
    out = []
    for i in range(n):
        body = " ".join(words[(i * k) % len(words)] for k in range(1, 9 + i % 5))
        out.append({"doc_id": f"countries/c{i}#s", "kind": "countries", "key": f"c{i}", "section": "s",
                    "url": f"/countries/c{i}#s", "name": f"Land{i}", "names": f"Land{i}", "heading": "Section",
                    "heading_text": "Section", "body": body, "words": body})
    return out


def test_an_index_of_several_segments_answers_as_one_segment(tmp_path):
    from whoosh import index as windex

    from kb.search import write_index

    docs = _docs(60)
    write_index(tmp_path / "one", docs)
    write_index(tmp_path / "two", docs[:30])
    writer = windex.open_dir(str(tmp_path / "two")).writer()
    for doc in docs[30:]:  # a second segment, as an updated build has
        doc = dict(doc)
        doc["label"] = f"{doc.pop('names')} {doc.pop('heading')}"
        writer.add_document(**doc)
    writer.commit(merge=False)
    one, two = Searcher(tmp_path / "one"), Searcher(tmp_path / "two")
    assert len(windex.open_dir(str(tmp_path / "two")).reader().leaf_readers()) == 2
    for q in ["preservation order", "central authority land7", "retention period", "emergency"]:
        a, b = one.search(q, limit=10), two.search(q, limit=10)
        assert [(r.url, r.score) for r in a.results] == [(r.url, r.score) for r in b.results], q
        assert a.total == b.total and a.facets == b.facets and a.results
    one.close()
    two.close()


def test_scores_on_an_updated_index_with_deleted_documents_are_whooshs_own(tmp_path):
    """An updated build: a first segment with deleted documents, a second with their new versions.
    The fast scorer (whole posting lists over every segment) gives the numbers Whoosh's matchers give."""
    from whoosh import index as windex
    from whoosh import query as wq

    from kb.search import scores as fast
    from kb.search import write_index

    docs = _docs(60)
    write_index(tmp_path / "ix", docs)
    ix = windex.open_dir(str(tmp_path / "ix"))
    writer = ix.writer()
    for doc in docs[:12]:  # edited entries: deleted from the first segment, added to a second
        writer.delete_by_term("doc_id", doc["doc_id"])
        doc = dict(doc)
        doc["label"] = f"{doc.pop('names')} {doc.pop('heading')} edited"
        writer.add_document(**doc)
    writer.commit(merge=False)
    ix = windex.open_dir(str(tmp_path / "ix"))
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 2 and searcher.reader().has_deletions()
        terms = [t for t in searcher.reader().field_terms("body")][:6]
        edited = [t for t in searcher.reader().field_terms("label") if t.startswith("edit")]
        assert terms and edited
        docnums = list(range(searcher.reader().doc_count_all()))
        lengths = {f: n for f in ("body", "label") if (n := fast.field_lengths(searcher.reader(), f)) is not None}
        assert set(lengths) == {"body", "label"}
        for q in [wq.Term("body", terms[0]), wq.Or([wq.Term("body", t) for t in terms[:3]]),
                  wq.And([wq.Term("body", terms[1]), wq.Term("label", edited[0])]),
                  wq.Term("label", edited[0])]:
            mine, walked = fast.score_with(searcher, q.matcher(searcher), docnums, lengths, fast.Postings())
            assert not walked, f"{q} was walked document by document, not scored from its posting lists"
            theirs = fast._walk(q.matcher(searcher), docnums)
            assert mine.keys() == theirs.keys() and mine, q
            assert all(abs(mine[d] - theirs[d]) < 1e-9 for d in mine), q
