"""/route, /api/route, the drafts and the urgent blocks, through the real Flask app on the real content."""
from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest

from kb.schema import check
from kb.web import create_app

from helpers import REAL_CONTENT

TODAY = dt.date(2026, 12, 1)
STEP_KEYS = {"n", "stage", "channel", "title", "who", "how", "include", "languages", "limits", "pitfalls", "sources"}


@pytest.fixture(scope="module")
def web(real_build):
    return create_app({"BUILD_DIR": str(real_build), "TESTING": True, "TODAY": TODAY}).test_client()


def test_api_route_follows_the_contract(web):
    r = web.get("/api/route?from=fr&provider=meta&data=content&urgent=1")
    assert r.status_code == 200 and r.is_json
    body = r.get_json()
    assert set(body) == {"request", "steps", "gaps"}
    assert body["request"]["from"]["code"] == "FR" and body["request"]["provider"]["code"] == "meta"
    assert body["request"]["urgent"] is True and body["request"]["data"] == "content"
    for s in body["steps"]:
        assert STEP_KEYS <= set(s)
        assert s["stage"] in ("emergency", "preserve", "obtain")
        for src in s["sources"]:
            assert {"id", "title", "url", "date"} <= set(src)
    assert [s["stage"] for s in body["steps"]][0] == "emergency"


def test_api_route_codes_are_case_insensitive(web):
    a = web.get("/api/route?from=FR&provider=Meta&data=subscriber").get_json()
    b = web.get("/api/route?from=fr&provider=meta&data=subscriber").get_json()
    assert a == b


@pytest.mark.parametrize("query,words", [
    ("from=zz&provider=meta", "no country with the code 'zz'"),
    ("provider=meta&data=everything", "must be one of subscriber, traffic, content"),
    ("from=fr", "Say where the data is"),
])
def test_api_route_bad_parameters_give_a_json_400_with_a_sentence(web, query, words):
    r = web.get("/api/route?" + query)
    assert r.status_code == 400 and r.is_json
    assert words in r.get_json()["error"]["message"]


def test_route_page_shows_the_form_again_with_the_message(web):
    r = web.get("/route?from=zz&provider=meta")
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "no country with the code" in html and 'id="r-from"' in html and 'role="alert"' in html


def test_route_page_without_parameters_is_the_empty_form(web):
    r = web.get("/route")
    assert r.status_code == 200 and 'action="/route"' in r.get_data(as_text=True)


def test_route_page_numbers_the_steps_and_links_drafts(web):
    html = web.get("/route?from=de&country=nl&data=subscriber").get_data(as_text=True)
    assert 'id="step-1"' in html and "European Production Order" in html
    assert "/route/draft?kind=preservation" in html and "stores" in html.lower() or "store" in html.lower()


def test_every_country_and_provider_page_opens_with_the_urgent_block(web):
    for path in ("/countries/de", "/countries/nl", "/countries/kh", "/providers/meta", "/providers/telegram"):
        html = web.get(path).get_data(as_text=True)
        assert html.index('id="urgent"') < html.index('id="key-facts"'), path
        assert "Urgent: a child at risk?" in html


def test_country_urgent_block_explains_a_restricted_24_7_point_and_links_providers(web):
    de = web.get("/countries/de").get_data(as_text=True)
    block = de[de.index('id="urgent"'):de.index('id="key-facts"')]
    assert "Bundeskriminalamt" in block and "restricted" in block and "INTERPOL" in block
    assert "source dated" in block or "read 20" in block
    ie = web.get("/countries/ie").get_data(as_text=True)
    block = ie[ie.index('id="urgent"'):ie.index('id="key-facts"')]
    assert "/providers/meta#emergency" in block  # Meta Platforms Ireland is established there


def test_provider_urgent_block_links_the_countries_it_names(web):
    html = web.get("/providers/meta").get_data(as_text=True)
    block = html[html.index('id="urgent"'):html.index('id="key-facts"')]
    assert "facebook.com/records" in block and "/countries/ie#emergency" in block
    assert "/route?provider=meta&amp;urgent=1" in block


def test_home_page_has_the_child_at_risk_form(web):
    html = web.get("/").get_data(as_text=True)
    assert "Child at risk now?" in html and 'name="urgent" value="1"' in html
    assert '<option value="meta" label="Meta' in html


def test_preservation_draft_is_prefilled_and_downloads_as_text_and_docx(web):
    base = "kind=preservation&from=fr&provider=meta&data=content&channel=provider-preservation"
    html = web.get("/route/draft?" + base).get_data(as_text=True)
    assert "Nothing is stored or sent" in html
    assert "facebook.com/records" in html and "Meta Platforms Ireland" in html  # addressee and checklist
    labels = ["Requesting authority", "Offence and brief summary", "Stored data to preserve", "Custodian",
              "Necessity", "Intention to submit"]
    positions = [html.index(x) for x in labels]
    assert positions == sorted(positions)  # the order of Art. 29(2)
    txt = web.get("/route/draft.txt?" + base + "&d_offence=Grooming+of+a+child")
    assert txt.status_code == 200 and txt.mimetype == "text/plain"
    assert "attachment" in txt.headers["Content-Disposition"]
    assert "Grooming of a child" in txt.get_data(as_text=True)
    docx = web.get("/route/draft.docx?" + base + "&d_offence=Grooming+of+a+child")
    assert docx.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "Grooming of a child" in text and "preservation" in text.lower()


def test_emergency_draft_has_the_unodc_elements(web):
    html = web.get("/route/draft?kind=emergency&provider=meta").get_data(as_text=True)
    for label in ("Nature of the emergency", "The imminent risk", "Data sought", "Why the normal legal process"):
        assert label in html
    assert "facebook.com/records" in html


def test_draft_with_an_unknown_kind_is_a_400_sentence(web):
    r = web.get("/route/draft?kind=letter&provider=meta")
    assert r.status_code == 400 and "must be one of preservation, emergency" in r.get_data(as_text=True)


def test_check_reports_a_rule_citing_an_unknown_source_with_file_and_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    rules_yaml = content / "sources" / "route-rules.yaml"
    text = rules_yaml.read_text(encoding="utf-8")
    start = text.index("route-eurojust-2ap-art7:")
    end = text.find("\n\n", start)
    rules_yaml.write_text(text[:start] + (text[end + 2:] if end >= 0 else ""), encoding="utf-8")
    problems = [p for p in check(content).problems if "route-eurojust-2ap-art7" in str(p)]
    assert problems, "removing a source a rule cites must be reported"
    p = problems[0]
    from kb.route import rules

    line = rules.Path(rules.__file__).read_text(encoding="utf-8").splitlines()[p.line - 1]
    assert p.path == "kb/route/rules.py" and '"route-eurojust-2ap-art7"' in line


def test_rule_sources_count_as_citations(real_build):
    checked = check(REAL_CONTENT)
    assert not [p for p in checked.problems if "route-" in str(p) and "never cited" in str(p)]


def test_drafts_are_never_kept_by_the_page_cache(web):
    url = "/route/draft?kind=emergency&provider=meta&d_risk=name+of+the+child"
    for _ in range(2):
        r = web.get(url)
        assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"] and "ETag" not in r.headers
    txt = web.get("/route/draft.txt?kind=emergency&provider=meta&d_risk=x")
    assert "no-store" in txt.headers["Cache-Control"]


def test_route_pages_are_cached_like_other_pages(web):
    r = web.get("/route?from=de&country=nl&data=subscriber")
    assert r.status_code == 200 and "ETag" in r.headers


def test_a_24_7_point_marked_not_applicable_is_explained_not_listed_as_a_contact(web):
    html = web.get("/countries/ie").get_data(as_text=True)
    block = html[html.index('id="urgent"'):html.index('id="key-facts"')]
    assert "no Article 35 point of contact" in block and "Designated" not in block


def test_urgent_short_address_redirects_to_the_emergency_route(web):
    r = web.get("/urgent?provider=meta")
    assert r.status_code == 303 and "/route?" in r.headers["Location"] and "urgent=1" in r.headers["Location"]
