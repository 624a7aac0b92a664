"""Lists and the API share filters derived from kb.fields; filters survive sorting; missing is "unknown"."""
from __future__ import annotations

import re

import pytest


def test_country_filters_come_from_the_field_declarations(client):
    from kb.facets import filters

    html = client.get("/countries").data.decode()
    names = [f.name for f in filters("countries")]
    assert {"region", "membership", "budapest", "retention", "second_protocol"} <= set(names)
    for name in names:
        assert f'name="{name}"' in html


def test_sort_links_keep_the_filters(client):
    html = client.get("/countries?membership=EU&retention=annulled&sort=name").data.decode()
    links = re.findall(r'href="(/countries\?[^"]*sort=[^"]*)" data-sort', html)
    assert links and all("membership=EU" in a and "retention=annulled" in a for a in links)
    sorted_html = client.get(links[-1].replace("&amp;", "&")).data.decode()
    assert "/countries/de\"" in sorted_html and "/countries/nl\"" not in sorted_html


def test_missing_value_shows_and_filters_as_unknown_never_no(client):
    html = client.get("/countries").data.decode()
    nl = html[html.index('href="/countries/nl"'):]
    nl = nl[:nl.index("</tr>")]
    assert "unknown" in nl and ">no<" not in nl  # NL has no memberships in the fixture
    only = client.get("/countries?membership=unknown").data.decode()
    assert "/countries/nl\"" in only and "/countries/de\"" not in only


def test_provider_list_filters_and_sorts(client):
    html = client.get("/providers?foreign_requests_accepts_direct=unknown&sort=reviewed").data.decode()
    assert "Example Mail" in html
    assert re.search(r'href="/providers\?foreign_requests_accepts_direct=unknown&amp;sort=name"', html)


def test_source_list_filters_survive_sorting(client):
    html = client.get("/sources?age=old&sort=title").data.decode()
    assert "Example treaty office page" in html  # dated 2006
    assert "Example code of criminal procedure" not in html  # no date stated
    assert 'href="/sources?age=old&amp;sort=accessed"' in html


def test_api_countries_honours_the_list_filters(client):
    data = client.get("/api/countries?retention=annulled").get_json()
    assert [c["code"] for c in data["countries"]] == ["DE"] and data["filters"] == {"retention": "annulled"}
    assert client.get("/api/countries?region=Asia").get_json()["countries"] == []
    assert len(client.get("/api/countries").get_json()["countries"]) == 2


def test_api_rejects_an_unknown_filter_value_with_a_sentence(client):
    resp = client.get("/api/countries?region=Atlantis")
    assert resp.status_code == 400 and "must be one of Africa" in resp.get_json()["error"]["message"]


def test_api_facts_carry_each_sources_date(client):
    data = client.get("/api/countries/de").get_json()
    fact = next(f for f in data["facts"] if f["field"] == "budapest.status")
    assert fact["source_dates"] == [{"id": "fx-treaty", "published": "2006", "accessed": "2026-11-01"}]


@pytest.mark.parametrize("q", ["frozen", "Bundesamt"])
def test_api_search_snippets_come_as_text_and_html(client, q):
    result = client.get(f"/api/search?q={q}").get_json()["results"][0]
    assert "<mark>" in result["snippet"]
    assert "<" not in result["snippet_text"] and result["snippet_text"].strip()
