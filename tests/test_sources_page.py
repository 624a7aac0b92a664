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
