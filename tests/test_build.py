"""Builds publish atomically, skip unchanged content and never store unsafe HTML."""
from __future__ import annotations

import json
import re
import sqlite3

import pytest

from kb.build import build, current_dir
from kb.problems import BuildError, ContentError
from kb.render import render
from kb.web import create_app

from helpers import TODAY


def db_rows(build_dir, sql):
    conn = sqlite3.connect(build_dir / "kb.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_build_writes_database_and_index_and_switches_current(content_dir, tmp_path):
    out = tmp_path / "out"
    result = build(content_dir, out, today=TODAY)
    assert result.status == "built"
    cur = current_dir(out)
    assert cur == result.path and (cur / "kb.db").exists() and (cur / "index").is_dir()
    assert (out / "current").is_symlink()
    kinds = dict(db_rows(cur, "select kind, count(*) from entries group by kind"))
    assert kinds == {"countries": 2, "providers": 1, "topics": 1}
    sections = db_rows(cur, "select section from sections where kind='countries' and key='de' order by position")
    assert [s for (s,) in sections] == ["central-authority", "contact-24-7", "legal-process", "preservation",
                                         "retention", "emergency", "notes"]
    fact = db_rows(cur, "select value, sources from facts where key='de' and field='preservation.max_days'")
    assert fact == [("90", json.dumps(["fx-law"]))]
    phone = db_rows(cur, "select value from facts where key='de' and field='central_authority.phone'")
    assert phone == [("+49 228 9941040",)]  # normalised by phonenumbers
    assert db_rows(cur, "select provider, country from provider_countries where country='DE'") == [
        ("example-mail", "DE")]


def test_failing_build_publishes_nothing_and_previous_build_keeps_serving(content_dir, tmp_path):
    out = tmp_path / "out"
    first = build(content_dir, out, today=TODAY)
    app = create_app({"BUILD_DIR": str(out), "TODAY": TODAY})
    client = app.test_client()
    assert client.get("/countries/de").status_code == 200
    (content_dir / "countries" / "de.md").write_text("---\ncode: DE\n---\n")  # broken
    with pytest.raises(ContentError) as info:
        build(content_dir, out, today=TODAY)
    assert any("required field 'name'" in str(p) for p in info.value.problems)
    assert current_dir(out) == first.path
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [first.path.name, "current"])
    page = client.get("/countries/de")
    assert page.status_code == 200 and b"Bundesamt" in page.data


def test_interrupted_build_leaves_no_half_written_build(content_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = build(content_dir, out, today=TODAY)
    (content_dir / "countries" / "nl.md").write_text(
        (content_dir / "countries" / "nl.md").read_text().replace("Rotterdam", "Den Haag"))

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("kb.search.index.IndexWriter.commit", boom)
    with pytest.raises(BuildError):
        build(content_dir, out, today=TODAY)
    assert current_dir(out) == first.path
    assert not list(out.glob(".tmp-*"))


def test_rebuild_with_unchanged_content_is_skipped(content_dir, tmp_path):
    out = tmp_path / "out"
    first = build(content_dir, out, today=TODAY)
    again = build(content_dir, out, today=TODAY)
    assert again.status == "unchanged" and again.path == first.path
    assert "Nothing changed" in again.summary()


def test_rebuild_reports_what_changed(content_dir, tmp_path):
    out = tmp_path / "out"
    build(content_dir, out, today=TODAY)
    nl = content_dir / "countries" / "nl.md"
    nl.write_text(nl.read_text().replace("Rotterdam", "Den Haag"))
    (content_dir / "topics" / "mla.md").rename(content_dir / "topics" / "mla2.md")
    (content_dir / "topics" / "mla2.md").write_text(
        (content_dir / "topics" / "mla2.md").read_text().replace("slug: mla", "slug: mla2"))
    for f in ("countries/de.md", "providers/example-mail.md"):
        p = content_dir / f
        text = p.read_text().replace("related: [mla]", "related: [mla2]")
        p.write_text(text.replace("/topics/mla#", "/topics/mla2#"))
    result = build(content_dir, out, today=TODAY)
    assert result.status == "built"
    assert "countries/nl.md" in result.changed and "topics/mla2.md" in result.added
    assert "topics/mla.md" in result.removed
    assert "1 added" in result.summary() or "added" in result.summary()


def test_force_rebuilds_and_old_builds_are_pruned(content_dir, tmp_path):
    out = tmp_path / "out"
    paths = [build(content_dir, out, today=TODAY, force=True).path for _ in range(5)]
    kept = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.is_symlink())
    assert len(kept) == 3 and paths[-1].name in kept


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<body onload=alert(1)>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "<p onclick=\"alert(1)\">x</p>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=\"https://evil.example\"><input name=q></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
]


def test_raw_html_in_content_cannot_inject_script(content_dir, tmp_path):
    nl = content_dir / "countries" / "nl.md"
    payload = "\n\n".join(XSS)
    text = nl.read_text().replace("## Notes\n\nNot yet curated.", "## Notes\n\n" + payload)
    nl.write_text(text)
    with pytest.raises(ContentError) as info:  # the check names every piece the sanitiser drops
        build(content_dir, tmp_path / "out", today=TODAY)
    flagged = {p.line for p in info.value.problems if "raw HTML" in p.message}
    lines = text.split("\n")
    assert {lines.index(x) + 1 for x in XSS} <= flagged
    html = render(payload, {}, {})  # and the sanitiser still removes it all
    lowered = html.lower()
    for bad in ("<script", "onerror=", "onload=", "onclick=", "<iframe", "<svg", "<object", "style=",
                "<form", "<meta", "<img", "<math"):
        assert bad not in lowered, (bad, html)
    assert not re.search(r"(href|src|action|data)\s*=\s*[\"']?\s*(javascript|data|vbscript):", lowered), html


def test_citations_render_as_numbered_links_to_the_source_list(built):
    (html,) = db_rows(current_dir(built), "select html from sections where key='de' and section='preservation'")[0]
    assert 'href="#src-fx-law"' in html and 'class="cite"' in html
