"""The review queue lists contacts first, then the oldest evidence, on the CLI and the site."""
from __future__ import annotations

import datetime as dt

from kb.cli import cli
from kb.review import queue

TODAY = dt.date(2026, 11, 28)


def fact(field, as_of="", sources=("s-new",), key="de"):
    return {"kind": "countries", "key": key, "field": field, "value": "x", "sources": list(sources),
            "as_of": as_of, "line": 3}


SOURCES = {"s-new": {"id": "s-new", "title": "New", "url": "https://new.example.org", "published": "2025"},
           "s-old": {"id": "s-old", "title": "Old", "url": "https://old.example.org", "published": "2006-11-16"},
           "s-none": {"id": "s-none", "title": "Undated", "url": "https://x.example.org"}}


def test_queue_puts_contacts_first_then_undated_then_oldest():
    facts = [fact("retention.months", sources=["s-old"]), fact("central_authority.phone", sources=["s-new"]),
             fact("contact_24_7.email", sources=["s-old"]), fact("emergency.0.phone", sources=["s-none"]),
             fact("preservation.max_days", as_of="2010-01-01")]
    order = [(i.field, i.date) for i in queue(facts, SOURCES, TODAY)]
    assert order == [("emergency.0.phone", ""), ("contact_24_7.email", "2006-11-16"),
                     ("central_authority.phone", "2025"), ("retention.months", "2006-11-16"),
                     ("preservation.max_days", "2010-01-01")]


def test_queue_contacts_only_and_limit():
    facts = [fact("retention.months"), fact("central_authority.phone"), fact("contact_24_7.email")]
    items = queue(facts, SOURCES, TODAY, contacts_only=True, limit=1)
    assert len(items) == 1 and items[0].contact


def test_cli_review_prints_path_line_and_source(runner, content_dir):
    result = runner.invoke(cli, ["review", "--content", str(content_dir), "--contacts-only", "--limit", "3"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(("countries/", "providers/")) and ".md:" in first and "https://" in first
    assert "3 fact(s) listed" in result.output


def test_review_page_lists_facts_with_source_links(client):
    resp = client.get("/review?contacts=1&limit=5")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Review queue" in html
    assert html.count("<tr><td>") == 5 and 'href="https://treaties.example.org/185"' in html


def test_review_page_rejects_a_bad_limit_with_a_sentence(client):
    resp = client.get("/review?limit=abc")
    assert resp.status_code == 400 and "limit must be a whole number" in resp.get_data(as_text=True)


def test_entry_links_to_its_source_file_when_an_edit_url_is_configured(built):
    from kb.web import create_app

    app = create_app({"BUILD_DIR": str(built), "TESTING": True,
                      "EDIT_URL": "https://git.example.org/kb/edit/main/content/{path}"})
    html = app.test_client().get("/countries/de").get_data(as_text=True)
    assert 'href="https://git.example.org/kb/edit/main/content/countries/de.md"' in html
    plain = create_app({"BUILD_DIR": str(built), "TESTING": True, "EDIT_URL": ""})
    assert "Edit this page" not in plain.test_client().get("/countries/de").get_data(as_text=True)

