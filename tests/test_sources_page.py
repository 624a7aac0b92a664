"""The sources list names a few citing entries per source; each source's own page lists them all."""
from __future__ import annotations

import html
import re

from kb.web import source_list


def test_source_page_lists_every_entry_citing_it_with_where(client):
    html = client.get("/sources/fx-treaty").get_data(as_text=True)
    assert "Entries that rely on it (3)" in html
    cited = re.findall(r'<li><a href="(/(?:countries|providers|topics)/[^"]+)">[^<]+</a>: ([^<]+)</li>', html)
    assert len(cited) == 3 and all(where.strip() for _, where in cited)


def test_sources_list_caps_the_names_and_links_the_rest(client, monkeypatch):
    monkeypatch.setattr(source_list, "CITED_SHOWN", 1)
    html = client.get("/sources").get_data(as_text=True)
    item = html.split('id="fx-treaty"')[1].split("</li>")[0]
    assert 'and <a href="/sources/fx-treaty">2 more</a>' in item
    assert len(re.findall(r'href="/(?:countries|providers|topics)/', item)) == 1


def test_unknown_source_is_a_404_sentence(client):
    resp = client.get("/sources/no-such-source")
    assert resp.status_code == 404
    assert "No source 'no-such-source' in this knowledge base" in html.unescape(resp.get_data(as_text=True))


def test_sources_come_in_pages_that_keep_filters_and_sort_with_an_all_on_one_page_link(client, monkeypatch):
    monkeypatch.setattr(source_list, "PER_PAGE", 2)
    first = client.get("/sources?sort=cited").get_data(as_text=True)
    assert "4 of 4 sources match; this page shows 1–2" in first
    assert first.count('<li id="fx-') == 2
    assert 'href="/sources?sort=cited&amp;page=2"' in first and 'href="/sources?sort=cited&amp;all=1"' in first
    second = client.get("/sources?sort=cited&page=2").get_data(as_text=True)
    assert second.count('<li id="fx-') == 2 and '<ol class="bibliography" start="3">' in second
    ids = set(re.findall(r'<li id="(fx-[^"]+)"', first + second))
    every = client.get("/sources?sort=cited&all=1").get_data(as_text=True)
    assert set(re.findall(r'<li id="(fx-[^"]+)"', every)) == ids and len(ids) == 4
    assert 'class="pager"' not in every
    assert client.get("/sources?page=3").status_code == 400


def test_export_writes_every_source_on_its_one_sources_page(built, tmp_path, monkeypatch):
    from kb.export import export

    from helpers import TODAY

    monkeypatch.setattr(source_list, "PER_PAGE", 2)
    export(built, tmp_path / "site", today=TODAY)
    html = (tmp_path / "site" / "sources.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<li id="fx-', html)) == 4 and 'class="pager"' not in html
