"""Every route of the read-only site and the JSON API contract."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("url, needle", [
    ("/", b"Legal channels across borders"),
    ("/countries", b"Germany"),
    ("/countries/de", b"Bundesamt f\xc3\xbcr Justiz"),
    ("/countries/DE", b"Bundesamt"),
    ("/providers", b"Example Mail"),
    ("/providers/example-mail", b"Example LE portal"),
    ("/topics", b"Mutual legal assistance"),
    ("/topics/mla", b"How it works"),
    ("/search?q=germany", b"Germany"),
    ("/compare?countries=de,nl&fields=retention,preservation", b"Netherlands"),
    ("/compare", b"Pick countries"),
    ("/sources", b"Example treaty office page"),
    ("/about", b"not legal advice"),
    ("/coverage", b"Coverage"),
])
def test_pages_render(client, url, needle):
    resp = client.get(url)
    assert resp.status_code == 200, resp.data[:300]
    assert needle in resp.data
    assert resp.headers["Content-Type"].startswith("text/html")


def test_home_has_search_box_first_with_autofocus(client):
    html = client.get("/").data.decode()
    main = html[html.index("<main"):]
    assert main.index('name="q"') < main.index("Countries")
    assert "autofocus" in main[: main.index("</form>")]


def test_country_page_shows_sections_facts_sources_and_gaps(client):
    html = client.get("/countries/de").data.decode()
    for anchor in ("central-authority", "contact-24-7", "legal-process", "preservation", "retention", "emergency",
                   "notes"):
        assert f'id="{anchor}"' in html
    assert 'href="tel:+492289941040"' in html  # clickable, normalised phone
    assert 'id="src-fx-law"' in html and "Accessed 2026-11-01" in html
    assert "read 27 days ago" in html  # source accessed 2026-11-01, today 2026-11-28
    assert "source undated" in html  # the fixture's fx-law states no date of its own
    assert "Not yet curated" in html  # the legal process gap
    assert "Example Mail" in html  # provider established in DE
    assert "/topics/mla" in html  # related topic


def test_stale_sources_are_flagged(client):
    html = client.get("/countries/de").data.decode()
    assert "stale" in html  # retention cites a source accessed in 2020


def test_provider_page_links_its_jurisdictions(client):
    html = client.get("/providers/example-mail").data.decode()
    assert 'href="/countries/de"' in html and "Example Mail Ireland Ltd" in html
    assert "<li>State the time zone of every timestamp</li>" in html
    assert "United States (US)" in html  # headquarters: a country without an entry is named, not linked


def test_topic_page_lists_entries_relying_on_it(client):
    html = client.get("/topics/mla").data.decode()
    assert 'href="/countries/de"' in html


def test_api_countries_contract(client):
    data = client.get("/api/countries").get_json()
    assert [c["code"] for c in data["countries"]] == ["DE", "NL"]
    de = data["countries"][0]
    assert set(de) >= {"code", "name", "url", "completeness"}
    assert de["url"] == "/countries/de" and 0 < de["completeness"] <= 1


def test_api_country_detail_has_facts_sources_and_sections(client):
    data = client.get("/api/countries/DE").get_json()
    assert data["code"] == "DE" and data["name"] == "Germany"
    fact = next(f for f in data["facts"] if f["field"] == "preservation.max_days")
    expected = {"field": "preservation.max_days", "value": "90", "sources": ["fx-law"], "as_of": None,
                "note": None, "source_date": None, "old_source": False, "old_mark": None, "not_applicable": False}
    assert {k: fact.get(k) for k in expected} == expected
    assert {s["id"] for s in data["sources"]} >= {"fx-law", "fx-treaty"}
    section = next(s for s in data["sections"] if s["id"] == "legal-process")
    assert section["gap"] is True and section["url"] == "/countries/de#legal-process"


@pytest.mark.parametrize("url, key", [("/api/providers", "providers"), ("/api/topics", "topics")])
def test_api_lists(client, url, key):
    rows = client.get(url).get_json()[key]
    assert rows and {"slug", "name", "url", "completeness"} <= set(rows[0])


def test_api_provider_and_topic_detail(client):
    assert client.get("/api/providers/example-mail").get_json()["slug"] == "example-mail"
    assert client.get("/api/topics/mla").get_json()["name"] == "Mutual legal assistance"


def test_api_search_contract(client):
    data = client.get("/api/search?q=preservation+germany&limit=3").get_json()
    assert data["query"] == "preservation germany" and data["total"] >= 1
    first = data["results"][0]
    assert set(first) >= {"kind", "code", "section", "title", "url", "snippet", "score"}
    assert first["url"] == "/countries/de#preservation"
    assert len(data["results"]) <= 3 and "suggestion" in data


def test_api_search_filters_by_kind(client):
    data = client.get("/api/search?q=portal&kind=providers").get_json()
    assert data["results"] and all(r["kind"] == "providers" for r in data["results"])


@pytest.mark.parametrize("url", ["/api/countries/zz", "/api/providers/nope", "/api/topics/nope"])
def test_api_unknown_entry_is_json_404(client, url):
    resp = client.get(url)
    assert resp.status_code == 404 and resp.is_json
    assert "No " in resp.get_json()["error"]["message"]


def test_unknown_page_is_friendly_404(client):
    resp = client.get("/countries/zz")
    assert resp.status_code == 404 and b"No country with the code &#39;zz&#39;" in resp.data
    assert b"Traceback" not in resp.data


@pytest.mark.parametrize("url, message", [
    ("/search?q=x&limit=abc", b"must be a whole number"),
    ("/search?q=x&limit=100000", b"must be between 1 and 100"),
    ("/api/search?q=x&kind=planets", b"must be one of countries, providers, topics"),
    ("/countries?region=Atlantis", b"must be one of Africa"),
    ("/compare?countries=de,zz", b"Unknown country code(s): zz"),
    ("/compare?countries=de&fields=weather", b"Unknown field(s): weather"),
    ("/compare.csv", b"Name the countries to compare"),
])
def test_bad_parameters_are_400_with_a_sentence(client, url, message):
    resp = client.get(url)
    assert resp.status_code == 400 and message in resp.data


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_only_get_and_head(client, method):
    resp = getattr(client, method)("/countries")
    assert resp.status_code == 405
    assert client.head("/countries").status_code == 200


def test_security_headers(client):
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"


def test_no_inline_script_or_external_assets(client):
    for url in ("/", "/countries/de", "/search?q=germany"):
        html = client.get(url).data.decode()
        assert "<script>" not in html and "http://" not in html.split("<main")[0]
        assert "https://" not in html.split("<main")[0]


def test_countries_table_filters_without_javascript(client):
    html = client.get("/countries?retention=annulled").data.decode()
    assert "/countries/de" in html and "/countries/nl" not in html


def test_countries_table_sorts(client):
    html = client.get("/countries?sort=completeness").data.decode()
    assert html.index("/countries/de\"") < html.index("/countries/nl\"")


def test_site_without_a_build_explains_how_to_build(tmp_path):
    from kb.web import create_app

    resp = create_app({"BUILD_DIR": str(tmp_path)}).test_client().get("/")
    assert resp.status_code == 503 and b"python -m kb build" in resp.data


def test_site_reads_only_the_build_not_the_content(app, content_dir):
    import shutil

    shutil.rmtree(content_dir)
    assert app.test_client().get("/countries/de").status_code == 200


def test_server_error_page_has_no_stack_trace(app, monkeypatch):
    import kb.web.pages as pages

    monkeypatch.setattr(pages, "render_template", lambda *a, **k: 1 / 0)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    resp = app.test_client().get("/about")
    assert resp.status_code == 500 and b"Traceback" not in resp.data and b"ZeroDivision" not in resp.data


def test_every_stored_entry_address_is_the_one_the_app_routes(app):
    """Templates link entries by their stored `url` and by url_for; both must name the same page."""
    from flask import g, url_for

    with app.test_request_context("/"):
        app.preprocess_request()
        for kind in ("countries", "providers", "topics"):
            for e in g.store.entries(kind):
                assert e["url"] == url_for("entries.entry", kind=kind, key=e["key"])


def test_list_rows_hold_what_the_store_holds_for_every_listed_column_and_filter(app):
    """The narrow reads of kb.web.summaries (lists, home, coverage) agree with Store.entries."""
    from flask import g

    from kb import facets
    from kb.web import summaries

    with app.test_request_context("/"):
        app.preprocess_request()
        for kind in ("countries", "providers", "topics"):
            full = g.store.entries(kind)
            narrow = summaries.entries(kind)
            assert [e["key"] for e in narrow] == [e["key"] for e in full]
            for lean, whole in zip(narrow, full, strict=True):
                assert {c: lean[c] for c in summaries.COLUMNS} == {c: whole[c] for c in summaries.COLUMNS}
                for flt in facets.filters(kind):
                    assert facets.value(lean["data"], flt) == facets.value(whole["data"], flt)
                    assert facets.display(lean, flt) == facets.display(whole, flt)
