"""`python -m kb export DIR`: the site as static files that work from file://, with offline search."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kb.cli import cli
from kb.export import export

from helpers import TODAY, needs_browser



@pytest.fixture
def site(built, tmp_path) -> Path:
    out = tmp_path / "site"
    export(built, out, today=TODAY)
    return out


def local_links(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    return [unquote(m) for m in re.findall(r'(?:href|src|action)="([^"#:]+)(?:#[^"]*)?"', html)]


def test_export_writes_every_page_api_file_and_the_offline_search(site):
    for name in ("index.html", "countries.html", "countries/de.html", "countries/nl.html", "providers.html",
                 "providers/example-mail.html", "topics/mla.html", "sources.html", "coverage.html", "about.html",
                 "compare.html", "search.html", "offline.html", "search-index.js", "static/style.css",
                 "static/offline-search.js", "api/countries.json", "api/countries/de.json",
                 "api/providers/example-mail.json", "api/topics/mla.json", "countries/de/card.html",
                 "sources/fx-treaty.html"):
        assert (site / name).is_file(), name
    assert b"Netherlands" in (site / "compare.html").read_bytes()  # every country compared


def test_every_local_link_of_every_page_points_at_an_exported_file(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 12
    for page in pages:
        for link in local_links(page):
            target = (page.parent / urlsplit(link).path).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to {link}"
            assert not link.startswith("/"), f"{page.relative_to(site)} has a site-absolute link {link}"


def test_api_files_hold_what_the_api_answers(site, client):
    assert json.loads((site / "api/countries/de.json").read_text()) == client.get("/api/countries/de").get_json()
    assert json.loads((site / "api/providers.json").read_text()) == client.get("/api/providers").get_json()


def test_links_to_server_only_features_lead_to_a_page_saying_so(site):
    html = (site / "countries.html").read_text(encoding="utf-8")
    assert 'href="/' not in html and 'action="/' not in html
    assert "needs the server" in (site / "offline.html").read_text(encoding="utf-8")


def test_export_without_a_build_is_a_sentence(runner, tmp_path):
    result = runner.invoke(cli, ["export", str(tmp_path / "out"), "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no published build" in result.output and "python -m kb build" in result.output
    assert "Traceback" not in result.output


def test_export_refuses_to_overwrite_a_folder_that_is_not_an_export(runner, built, tmp_path):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "letter.txt").write_text("keep me")
    result = runner.invoke(cli, ["export", str(mine), "--out", str(built)])
    assert result.exit_code == 1 and "not an earlier export" in result.output
    assert (mine / "letter.txt").read_text() == "keep me"


def test_export_command_replaces_an_earlier_export(runner, built, tmp_path):
    out = tmp_path / "usb"
    for _ in range(2):
        result = runner.invoke(cli, ["export", str(out), "--out", str(built)])
        assert result.exit_code == 0, result.output
    assert "Exported" in result.output and (out / "index.html").is_file()


@pytest.mark.browser
@needs_browser
def test_export_from_file_url_searches_follows_a_result_and_prints_a_card(site, browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto((site / "index.html").as_uri())
    page.fill("#q", "preserve data germany")
    page.press("#q", "Enter")
    page.wait_for_selector(".results-list .result-title")
    assert page.url.split("?")[0].endswith("/search.html")
    first = page.locator(".results-list .result-title").first
    assert "Germany" in first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/countries/de.html#preservation")
    assert page.locator("h1").inner_text() == "Germany"
    page.click("text=Providers")  # a relative link in the navigation, from one folder down
    assert page.url.endswith("/providers.html")
    page.goto((site / "search.html").as_uri() + "?q=Nederland")  # a typo-free name in another language
    page.wait_for_selector(".results-list .result-title")
    assert "Netherlands" in page.locator(".results-list .result-title").first.inner_text()
    page.fill("#q", "Germnay")  # corrected like the server's search
    page.press("#q", "Enter")
    page.wait_for_selector("#search-suggestion:not([hidden])")
    assert "germany" in page.locator("#search-suggestion").inner_text()
    page.goto((site / "countries/de.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator("header.site nav").is_hidden()
    pdf = page.pdf(format="A4")
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2
    page.close()
    assert not errors, errors
