"""`kb serve --watch`: a rebuild that fails its check leaves its problems next to the build, and
the preview site (PREVIEW) lists them on every page until a rebuild succeeds."""
from __future__ import annotations

import json

from kb import watch
from kb.build import current_dir
from kb.web import create_app

from helpers import TODAY

BROKEN = ("budapest:\n  status: party", "budapest:\n  status: maybe-later")


def preview_client(out, preview=True):
    return create_app({"BUILD_DIR": str(out), "TESTING": True, "TODAY": TODAY, "PREVIEW": preview}).test_client()


def break_germany(content_dir):
    path = content_dir / "countries" / "de.md"
    text = path.read_text(encoding="utf-8")
    assert BROKEN[0] in text
    path.write_text(text.replace(*BROKEN), encoding="utf-8")
    return path, text


def test_failed_rebuild_writes_its_problems_and_a_fixed_one_removes_them(content_dir, built):
    before = current_dir(built)
    path, original = break_germany(content_dir)

    said = watch.rebuild(content_dir, built, today=TODAY)

    assert "nothing was published" in said
    rows = watch.read_problems(built)
    assert rows and all(r["path"].endswith("countries/de.md") for r in rows)
    assert any(r["field"].startswith("budapest") and f":{r['line']}: " in r["text"] for r in rows)
    assert json.loads((built / "problems.json").read_text(encoding="utf-8"))["problems"] == rows
    assert current_dir(built) == before  # the previous build keeps serving

    path.write_text(original.replace("name: Germany", "name: Germany (edited)"), encoding="utf-8")
    said = watch.rebuild(content_dir, built, today=TODAY)

    assert "nothing was published" not in said
    assert watch.read_problems(built) == []
    assert not (built / "problems.json").exists()
    assert current_dir(built) != before


def test_preview_banner_lists_problems_on_every_page_until_fixed(content_dir, built):
    client = preview_client(built)
    assert b"preview-problems" not in client.get("/").data  # nothing to show after a good build

    path, original = break_germany(content_dir)
    watch.rebuild(content_dir, built, today=TODAY)
    problem = watch.read_problems(built)[0]["text"]

    for page in ("/", "/countries", "/countries/de", "/providers/example-mail", "/no-such-page"):
        resp = client.get(page)
        html = resp.get_data(as_text=True)
        assert "the last rebuild failed its check" in html, page
        assert problem.replace("'", "&#39;").replace('"', "&#34;") in html, page
        assert resp.headers["Cache-Control"] == "no-store"
    assert "problems" not in client.get("/api/countries").get_json()  # JSON answers carry no banner

    path.write_text(original, encoding="utf-8")
    watch.rebuild(content_dir, built, today=TODAY)
    assert "the last rebuild failed its check" not in client.get("/countries/de").get_data(as_text=True)


def test_banner_is_never_shown_without_preview(content_dir, built):
    break_germany(content_dir)
    watch.rebuild(content_dir, built, today=TODAY)
    assert watch.read_problems(built)

    client = preview_client(built, preview=False)
    for page in ("/", "/countries/de"):
        assert "the last rebuild failed its check" not in client.get(page).get_data(as_text=True)


def test_unreadable_problems_file_shows_no_banner(built):
    (built / "problems.json").write_text("{not json", encoding="utf-8")
    assert watch.read_problems(built) == []
    assert preview_client(built).get("/").status_code == 200


def test_serve_help_documents_watch(runner):
    from kb.cli import cli

    out = runner.invoke(cli, ["serve", "--help"]).output
    assert "--watch" in out and "rebuild on every save" in out


def test_watcher_thread_ends_when_told_to_stop(content_dir, built):
    import threading

    stop = threading.Event()
    stop.set()
    thread = watch.start(content_dir, built, echo=lambda line: None, stop=stop)
    thread.join(timeout=10)
    assert not thread.is_alive() and thread.daemon
