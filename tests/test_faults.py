"""Faults and hostile content: a damaged build, odd files, YAML bombs, huge sections, raw HTML,
a read-only or full disk. Each ends in a sentence (a problem with file:line, a 503 page, a
rebuild), never a traceback, a hang or a 500."""
from __future__ import annotations

import errno
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

import kb
from kb import search
from kb.build import build, code_digest, current_dir
from kb.cli import cli
from kb.problems import BuildError, ContentError
from kb.render import render
from kb.schema import check
from kb.web import create_app

from helpers import TODAY


def problems_of(content_dir) -> list[str]:
    return [str(p) for p in check(content_dir, today=TODAY).problems]


def damage(path: Path, at: int = 0, size: int = 100) -> None:
    rnd = random.Random(13)
    with open(path, "r+b") as fh:
        fh.seek(at)
        fh.write(bytes(rnd.randrange(256) for _ in range(size)))


def largest_index_file(build_dir: Path) -> Path:
    return max((p for p in (build_dir / "index").iterdir() if p.is_file()), key=lambda p: p.stat().st_size)


def client_for(out: Path):
    return create_app({"BUILD_DIR": str(out), "TODAY": TODAY}).test_client()


# -- 1. a damaged kb.db ----------------------------------------------------------------------
def test_damaged_database_answers_every_page_with_a_sentence_not_a_500(built):
    damage(current_dir(built) / "kb.db")
    client = client_for(built)
    for url in ("/", "/countries", "/countries/de", "/sources", "/coverage", "/search?q=germany"):
        resp = client.get(url)
        assert resp.status_code == 503, (url, resp.status_code)
        assert b"cannot be read" in resp.data and b"python -m kb build" in resp.data
    api = client.get("/api/countries")
    assert api.status_code == 503 and "cannot be read" in api.get_json()["error"]["message"]


def test_build_rebuilds_when_the_current_database_is_damaged(content_dir, built):
    damaged = current_dir(built)
    damage(damaged / "kb.db")
    result = build(content_dir, built, today=TODAY)
    assert result.status == "built" and result.path != damaged
    assert client_for(built).get("/countries/de").status_code == 200


def test_force_rebuilds_without_reading_the_damaged_previous_build(content_dir, built):
    damage(current_dir(built) / "kb.db")
    result = build(content_dir, built, today=TODAY, force=True)
    assert result.status == "built"
    assert client_for(built).get("/countries/de").status_code == 200


# -- 2. a damaged search index ---------------------------------------------------------------
def test_pages_that_do_not_search_never_open_the_index(built):
    shutil.rmtree(current_dir(built) / "index")
    client = client_for(built)
    for url in ("/", "/countries", "/countries/de", "/providers/example-mail", "/topics/mla", "/sources",
                "/coverage", "/compare?countries=de,nl", "/api/countries/de"):
        assert client.get(url).status_code == 200, url
    resp = client.get("/search?q=germany")
    assert resp.status_code == 503 and b"search index" in resp.data and b"python -m kb build" in resp.data
    api = client.get("/api/search?q=germany")
    assert api.status_code == 503 and "search index" in api.get_json()["error"]["message"]


def test_damaged_index_segment_breaks_only_search_and_the_build_replaces_it(content_dir, built):
    first = current_dir(built)
    segment = largest_index_file(first)
    damage(segment, at=0, size=min(4096, segment.stat().st_size))
    client = client_for(built)
    assert client.get("/countries/de").status_code == 200
    resp = client.get("/search?q=germany")  # the index no longer matches the build's manifest
    assert resp.status_code == 503 and b"search index" in resp.data
    api = client.get("/api/search?q=germany")
    assert api.status_code == 503 and "search index" in api.get_json()["error"]["message"]
    assert client.get("/countries/nl").status_code == 200
    result = build(content_dir, built, today=TODAY)
    assert result.status == "built" and result.path != first  # the build verified the index and rebuilt
    assert b"Germany" in client.get("/search?q=germany").data


def test_unchanged_healthy_build_is_still_skipped(content_dir, built):
    assert build(content_dir, built, today=TODAY).status == "unchanged"


# -- 3. snippets and size limits -------------------------------------------------------------
def test_snippet_tokenises_a_bounded_prefix_of_a_huge_body(monkeypatch):
    seen = []
    real = search.snippets.tokenise

    def recording(text, **kwargs):
        seen.append(len(text))
        return real(text, **kwargs)

    monkeypatch.setattr(search.snippets, "tokenise", recording)  # what snippets tokenise with
    body = "preservation order " * 200_000  # 3.8 MB, 200,000 hits
    out = search.snippet(body, {"preserv"})
    assert max(seen) <= search.SNIPPET_SCAN
    assert out.count("<mark>preservation</mark>") >= 5 and len(out) < 1000


def test_snippet_picks_the_window_with_most_distinct_terms():
    text = ("filler " * 60) + "retention " * 30 + ("filler " * 60) + "data retention germany period " + \
        ("filler " * 60)
    out = search.snippet(text, {"retent", "germani", "period"})
    assert "<mark>germany</mark>" in out and "<mark>period</mark>" in out


def test_check_rejects_a_file_over_the_size_limit_without_reading_it_all(content_dir):
    from kb.content import MAX_FILE_BYTES

    big = content_dir / "countries" / "nl.md"
    big.write_text(big.read_text() + "\n" + ("word " * (MAX_FILE_BYTES // 4)))
    found = problems_of(content_dir)
    assert any(p.startswith("countries/nl.md:1: file: the file is") and "at most" in p for p in found), found


def test_check_rejects_a_section_over_the_size_limit_at_its_heading(content_dir):
    from kb.schema import MAX_SECTION_CHARS

    nl = content_dir / "countries" / "nl.md"
    text = nl.read_text()
    line = text.split("\n").index("## Notes") + 1
    nl.write_text(text.replace("## Notes\n\nNot yet curated.", "## Notes\n\n" + "word " * (MAX_SECTION_CHARS // 4)))
    found = problems_of(content_dir)
    assert any(p.startswith(f"countries/nl.md:{line}: section notes: the section is") for p in found), found


# -- 4. YAML bombs, aliases, deep nesting ----------------------------------------------------
BOMB = """lol1: &a1 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
lol2: &a2 [*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1]
lol3: &a3 [*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2]
lol4: &a4 [*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3]
lol5: &a5 [*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4]
lol6: &a6 [*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5]
lol7: &a7 [*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6]
lol8: &a8 [*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7]
lol9: &a9 [*a8,*a8,*a8,*a8,*a8,*a8,*a8,*a8,*a8]
"""


def test_alias_bomb_in_front_matter_is_a_problem_at_its_line(content_dir):
    nl = content_dir / "countries" / "nl.md"
    nl.write_text(nl.read_text().replace("---\n", "---\n" + BOMB, 1))
    found = problems_of(content_dir)
    assert any(p.startswith("countries/nl.md:2: front matter:") and "anchors and aliases" in p for p in found), found


def test_alias_bomb_in_a_sources_file_is_a_problem_at_its_line(content_dir):
    src = content_dir / "sources" / "fixture.yaml"
    src.write_text(src.read_text() + "\n" + BOMB)
    line = src.read_text().split("\n").index(BOMB.split("\n")[0]) + 1
    found = problems_of(content_dir)
    assert any(p.startswith(f"sources/fixture.yaml:{line}:") and "anchors and aliases" in p for p in found), found


def test_a_small_alias_is_rejected_too(content_dir):
    nl = content_dir / "countries" / "nl.md"
    text = nl.read_text().replace("region: Europe", "region: &r Europe\nofficial_name: *r")
    nl.write_text(text)
    line = text.split("\n").index("region: &r Europe") + 1
    assert any(p.startswith(f"countries/nl.md:{line}:") and "anchors and aliases" in p
               for p in problems_of(content_dir))


def test_self_referencing_alias_is_a_problem_not_a_recursion_error(content_dir):
    src = content_dir / "sources" / "fixture.yaml"
    src.write_text(src.read_text() + "\nloop: &loop [*loop]\n")
    assert any("sources/fixture.yaml:" in p and "anchors and aliases" in p for p in problems_of(content_dir))


def test_deep_nesting_is_a_problem_at_the_line_it_gets_too_deep(content_dir):
    from kb.content import MAX_YAML_DEPTH

    src = content_dir / "sources" / "fixture.yaml"
    base = src.read_text()
    nested = "".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "leaf: 1\n"
    src.write_text(base + nested)
    first = len(base.split("\n"))
    found = problems_of(content_dir)
    assert any(p.startswith(f"sources/fixture.yaml:{first + MAX_YAML_DEPTH}:") and "nested" in p
               for p in found), found
    flow = content_dir / "sources" / "flow.yaml"
    flow.write_text("x: " + "[" * 5000 + "]" * 5000 + "\ny: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n")
    assert any(p.startswith("sources/flow.yaml:1:") and "nested" in p for p in problems_of(content_dir))


# -- 5. odd files ----------------------------------------------------------------------------
def test_named_pipe_in_the_content_folder_is_a_problem_not_a_hang(content_dir):
    os.mkfifo(content_dir / "countries" / "fr.md")
    os.mkfifo(content_dir / "sources" / "pipe.yaml")
    found = problems_of(content_dir)
    assert any(p.startswith("countries/fr.md:1: file:") and "not a regular file" in p for p in found), found
    assert any(p.startswith("sources/pipe.yaml:1: file:") and "not a regular file" in p for p in found), found


def test_link_to_dev_zero_is_a_problem_not_an_endless_read(content_dir):
    (content_dir / "countries" / "fr.md").symlink_to("/dev/zero")
    (content_dir / "sources" / "zero.yaml").symlink_to("/dev/zero")
    found = problems_of(content_dir)
    assert any(p.startswith("countries/fr.md:1: file:") and "outside the content folder" in p for p in found)
    assert any(p.startswith("sources/zero.yaml:1: file:") and "outside the content folder" in p for p in found)


def test_symlink_loop_is_a_problem(content_dir):
    (content_dir / "countries" / "fr.md").symlink_to("fr.md")
    (content_dir / "sources" / "a.yaml").symlink_to("b.yaml")
    (content_dir / "sources" / "b.yaml").symlink_to("a.yaml")
    found = problems_of(content_dir)
    assert any(p.startswith("countries/fr.md:1: file:") and "loop" in p for p in found), found
    assert any(p.startswith("sources/a.yaml:1: file:") and "loop" in p for p in found), found


def test_unreadable_file_is_a_problem(content_dir, monkeypatch):
    real_open = os.open

    def refusing(path, *args, **kwargs):  # the tests run as root, whom chmod does not stop
        if str(path).endswith("/countries/nl.md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    found = problems_of(content_dir)
    assert any(p.startswith("countries/nl.md:1: file: the file cannot be read (permission denied)")
               for p in found), found


def test_directory_named_like_a_sources_file_is_a_problem(content_dir):
    (content_dir / "sources" / "dir.yaml").mkdir()
    assert any(p.startswith("sources/dir.yaml:1: file:") and "not a regular file" in p
               for p in problems_of(content_dir))


def test_entry_linked_from_outside_the_content_folder_is_not_built(content_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.move(content_dir / "countries" / "nl.md", outside / "nl.md")
    (content_dir / "countries" / "nl.md").symlink_to(outside / "nl.md")
    found = problems_of(content_dir)
    assert any(p.startswith("countries/nl.md:1: file:") and "outside the content folder" in p for p in found)
    with pytest.raises(ContentError):
        build(content_dir, tmp_path / "out", today=TODAY)


def test_folder_linked_from_outside_the_content_folder_is_a_problem(content_dir, tmp_path):
    outside = tmp_path / "outside-providers"
    shutil.move(content_dir / "providers", outside)
    (content_dir / "providers").symlink_to(outside)
    found = problems_of(content_dir)
    assert any(p.startswith("providers:1: folder:") and "outside the content folder" in p for p in found), found


def test_outside_yaml_file_is_not_echoed_in_messages(content_dir, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2-secret\n")
    (content_dir / "sources" / "leak.yaml").symlink_to(secret)
    found = problems_of(content_dir)
    assert any(p.startswith("sources/leak.yaml:1: file:") for p in found)
    assert not any("hunter2" in p or "password" in p for p in found), found


def test_symlink_inside_the_content_folder_is_read(content_dir):
    (content_dir / "sources" / "shared").mkdir()
    shutil.move(content_dir / "sources" / "fixture.yaml", content_dir / "sources" / "shared" / "fixture.yaml")
    (content_dir / "sources" / "fixture.yaml").symlink_to("shared/fixture.yaml")
    assert problems_of(content_dir) == []


# -- 7. raw HTML -----------------------------------------------------------------------------
FORGED = '<sup class="cite"><a class="cite" href="#src-fx-law">1</a></sup>'


def test_forged_citation_markup_does_not_make_a_gap_count_as_sourced(content_dir, tmp_path):
    out = tmp_path / "out"
    build(content_dir, out, today=TODAY)
    before = sqlite3.connect(current_dir(out) / "kb.db").execute(
        "select status from coverage where key='de' and area='legal_process'").fetchone()
    assert before == ("missing",)
    de = content_dir / "countries" / "de.md"
    text = de.read_text().replace("## Legal process for ISPs\n\nNot yet curated.",
                                  f"## Legal process for ISPs\n\nCourts decide.{FORGED}")
    de.write_text(text)
    line = text.split("\n").index(f"Courts decide.{FORGED}") + 1
    found = problems_of(content_dir)
    assert any(p.startswith(f"countries/de.md:{line}: section legal-process: raw HTML") and "class" in p
               for p in found), found
    html = render(f"Courts decide.{FORGED}", {}, {})
    assert 'class="cite"' not in html


@pytest.mark.parametrize("markdown, what", [
    ("<script>alert(1)</script>", "<script>"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe>"),
    ('<p style="color:red">x</p>', "style"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript:"),
    ('<div onclick="alert(1)">x</div>', "<div>"),
    ('<h3 id="main">Sub-heading</h3>', "id"),
])
def test_check_says_when_raw_html_is_dropped(content_dir, markdown, what):
    nl = content_dir / "countries" / "nl.md"
    text = nl.read_text().replace("## Notes\n\nNot yet curated.", "## Notes\n\nSome words.\n\n" + markdown)
    nl.write_text(text)
    line = text.split("\n").index(markdown) + 1
    found = [p for p in problems_of(content_dir) if "raw HTML" in p]
    assert any(p.startswith(f"countries/nl.md:{line}: section notes: raw HTML") and what in p for p in found), found


def test_html_in_code_is_text_not_dropped_html(content_dir):
    nl = content_dir / "countries" / "nl.md"
    nl.write_text(nl.read_text().replace("## Notes\n\nNot yet curated.",
                                         "## Notes\n\nWrite `<script>` as text.\n\n```\n<iframe>\n```"))
    assert problems_of(content_dir) == []


def test_content_cannot_set_the_page_own_ids():
    html = render('<h3 id="main">x</h3>\n\n<h4 id="q">y</h4>', {}, {})
    assert 'id="main"' not in html and 'id="q"' not in html


# -- 9. disk faults, leftovers, UTF-8 lines --------------------------------------------------
@pytest.mark.parametrize("fault, sentence", [
    (OSError(errno.EROFS, "Read-only file system"), "read-only"),
    (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
    (sqlite3.OperationalError("database or disk is full"), "disk is full"),
    (PermissionError(errno.EACCES, "Permission denied"), "not allowed to write"),
])
def test_write_fault_is_a_sentence_and_the_previous_build_keeps_serving(content_dir, built, runner, monkeypatch,
                                                                        fault, sentence):
    first = current_dir(built)

    def failing(*args, **kwargs):
        raise fault

    monkeypatch.setattr("kb.dbwrite.DbWriter.close", failing)
    with pytest.raises(BuildError) as info:
        build(content_dir, built, today=TODAY, force=True)
    assert sentence in str(info.value) and "previous build" in str(info.value)
    result = runner.invoke(cli, ["build", "--content", str(content_dir), "--out", str(built), "--force"])
    assert result.exit_code == 1 and sentence in result.output and "Traceback" not in result.output
    assert current_dir(built) == first and not list(built.glob(".tmp-*"))


def test_unwritable_output_folder_is_a_sentence(content_dir, tmp_path, runner):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(cli, ["build", "--content", str(content_dir), "--out", str(blocker / "out")])
    assert result.exit_code == 1 and "cannot write the build" in result.output and "Traceback" not in result.output


def test_leftovers_of_a_killed_build_are_removed_by_the_next_build(content_dir, built):
    leftover = built / ".tmp-20260101T000000000000Z"
    leftover.mkdir()
    (leftover / "kb.db").write_bytes(b"half")
    (built / ".current-99999").symlink_to("nowhere")
    build(content_dir, built, today=TODAY, force=True)
    assert not leftover.exists() and not (built / ".current-99999").is_symlink()


def test_bad_utf8_in_a_sources_file_is_reported_at_its_line(content_dir):
    src = content_dir / "sources" / "fixture.yaml"
    raw = src.read_bytes().replace(b"Example Treaty Office", b"Example \xff Office")
    src.write_bytes(raw)
    line = raw[: raw.index(b"\xff")].count(b"\n") + 1
    assert line > 1
    assert any(p.startswith(f"sources/fixture.yaml:{line}: file: the file is not valid UTF-8")
               for p in problems_of(content_dir))


# -- 10. the build digest covers every file of the package -----------------------------------
def test_code_digest_changes_when_a_new_module_is_added(tmp_path):
    package = Path(kb.__file__).parent
    copy = tmp_path / "kb"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_digest(copy)
    assert before == code_digest(package)
    (copy / "newmodule.py").write_text("X = 1\n")
    assert code_digest(copy) != before
    (copy / "newmodule.py").write_text("X = 2\n")
    assert code_digest(copy) != before
