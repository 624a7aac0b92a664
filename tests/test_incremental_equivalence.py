"""A rebuild that redoes only what changed gives the same build as a full build of the same content:
the same rows in every table of kb.db, the same search results, the same bulk files and maps."""
from __future__ import annotations

import json
import sqlite3

import pytest

from kb import rows as rows_module
from kb.build import build
from kb.search import Searcher
from kb.store import TABLES

from helpers import TODAY

QUERIES = ["germany preservation", "example mail emergency", "mutual legal assistance", "24/7 contact",
           "retention", "bundesamt", "netherlands", "extra topic time frames", "provider guidelines"]


def table_rows(build_dir) -> dict[str, list]:
    conn = sqlite3.connect(build_dir / "kb.db")
    try:
        out = {}
        for name, cols in TABLES.items():
            rows = conn.execute(f'select {", ".join(cols)} from "{name}"').fetchall()
            if name == "meta":
                rows = [r for r in rows if r[0] not in ("built_at", "stamp")]
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def search_results(build_dir, scores: bool = True) -> dict[str, list]:
    """Per query its hits with their scores and snippets (among equal scores the order is the
    index's own, which differs when a document was added later, so hits are sorted by score, url)."""
    s = Searcher(build_dir / "index")
    try:
        out = {}
        for q in QUERIES:
            hits = [(-round(r.score, 6) if scores else 0, r.url, r.snippet) for r in s.search(q, facets=False).results]
            out[q] = sorted(hits)
        return out
    finally:
        s.close()


def export_files(build_dir) -> dict[str, bytes]:
    doc = json.loads((build_dir / "export" / "kb.json").read_text(encoding="utf-8"))
    doc.pop("build")
    files = {p.relative_to(build_dir).as_posix(): p.read_bytes()
             for p in sorted((build_dir / "map").iterdir()) + sorted((build_dir / "export").glob("*.csv"))}
    files["kb.json without its stamp"] = json.dumps(doc).encode()
    return files


def edit_entry(content):
    de = content / "countries" / "de.md"
    de.write_text(de.read_text(encoding="utf-8").replace("Germany", "Germanie", 1) + "\nOne more sentence.\n",
                  encoding="utf-8")


def edit_source(content):
    src = content / "sources" / "fixture.yaml"
    src.write_text(src.read_text(encoding="utf-8").replace("Example code of criminal procedure",
                                                             "Example code of criminal procedure (revised)")
                   .replace("accessed: 2020-01-15", "accessed: 2026-10-15"), encoding="utf-8")


def add_entry(content):
    (content / "topics" / "extra.md").write_text(
        (content / "topics" / "mla.md").read_text(encoding="utf-8").replace("slug: mla", "slug: extra", 1),
        encoding="utf-8")


def remove_entry(content):
    add_entry(content)
    assert build(content, content.parent / "build", today=TODAY).status == "built"
    (content / "topics" / "extra.md").unlink()


@pytest.mark.parametrize("change", [edit_entry, edit_source, add_entry, remove_entry],
                         ids=["edit an entry", "edit a source file", "add an entry", "remove an entry"])
def test_rebuild_of_what_changed_equals_a_full_build(content_dir, built, tmp_path, change, monkeypatch):
    change(content_dir)
    rendered = []
    real_entry_rows = rows_module.entry_rows

    def counting(e, *args, **kwargs):
        rendered.append(e.path)
        return real_entry_rows(e, *args, **kwargs)

    monkeypatch.setattr("kb.build.entry_rows", counting)
    patched = build(content_dir, built, today=TODAY)
    assert patched.status == "built"
    assert len(rendered) <= 2, f"re-rendered {rendered}: only what changed (or cites what changed) should be"
    full = build(content_dir, tmp_path / "full", today=TODAY, force=True)
    assert table_rows(patched.path) == table_rows(full.path)
    assert search_results(patched.path) == search_results(full.path)
    assert export_files(patched.path) == export_files(full.path)


def test_a_changed_source_re_renders_every_entry_citing_it(content_dir, built, monkeypatch):
    rendered = []
    real_entry_rows = rows_module.entry_rows

    def counting(e, *args, **kwargs):
        rendered.append(e.path)
        return real_entry_rows(e, *args, **kwargs)

    monkeypatch.setattr("kb.build.entry_rows", counting)
    edit_source(content_dir)
    build(content_dir, built, today=TODAY)
    conn = sqlite3.connect(built / "current" / "kb.db")
    citing = {p for (p,) in conn.execute("select distinct e.path from citations c join entries e on "
                                         "e.kind = c.kind and e.key = c.key where c.source_id in ('fx-law', 'fx-old')")}
    conn.close()
    assert citing and set(rendered) == citing


def test_a_link_to_a_removed_entry_fails_the_rebuild_and_keeps_the_build(content_dir, built):
    from kb.build import current_dir
    from kb.problems import ContentError

    de = content_dir / "countries" / "de.md"
    de.write_text(de.read_text(encoding="utf-8") + "\nSee [the Dutch page](/countries/nl#preservation).\n",
                  encoding="utf-8")
    linked = build(content_dir, built, today=TODAY).path
    (content_dir / "countries" / "nl.md").unlink()
    with pytest.raises(ContentError) as info:
        build(content_dir, built, today=TODAY)
    assert any("countries/de.md" in str(p) and "does not exist" in str(p) for p in info.value.problems)
    assert current_dir(built) == linked and not list(built.glob(".tmp-*"))


def test_an_update_below_the_merge_threshold_finds_the_same_documents(content_dir, built, tmp_path, monkeypatch):
    """Below MAX_DELETED the replaced documents still count in BM25's statistics (scores move a
    little), but every query finds the same documents with the same snippets."""
    monkeypatch.setattr("kb.search.index.MAX_DELETED", 1.0)
    edit_entry(content_dir)
    patched = build(content_dir, built, today=TODAY)
    full = build(content_dir, tmp_path / "full", today=TODAY, force=True)
    assert search_results(patched.path, scores=False) == search_results(full.path, scores=False)
    assert table_rows(patched.path) == table_rows(full.path)


def test_a_full_build_indexed_by_a_second_process_equals_one_indexed_in_process(content_dir, tmp_path,
                                                                                 monkeypatch):
    alone = build(content_dir, tmp_path / "alone", today=TODAY, force=True)
    monkeypatch.setattr("kb.build.PARALLEL_FROM", 0)
    paired = build(content_dir, tmp_path / "paired", today=TODAY, force=True)
    assert search_results(paired.path) == search_results(alone.path)
    assert table_rows(paired.path) == table_rows(alone.path)


def test_a_failure_in_the_indexing_process_is_a_sentence_and_publishes_nothing(content_dir, built, monkeypatch):
    from kb.build import current_dir
    from kb.problems import BuildError

    first = current_dir(built)
    monkeypatch.setattr("kb.build.PARALLEL_FROM", 0)
    monkeypatch.setattr("kb.indexproc.CHILD", "import sys; sys.exit(3)")
    with pytest.raises(BuildError) as info:
        build(content_dir, built, today=TODAY, force=True)
    assert "indexing process ended unexpectedly" in str(info.value)
    assert current_dir(built) == first and not list(built.glob(".tmp-*"))
