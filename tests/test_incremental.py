"""Rebuilds with nothing changed skip the check; any change to a file is rebuilt."""
from __future__ import annotations

import os

import pytest

from kb import build as build_module
from kb.build import build

from helpers import TODAY


def refuse_to_check(*_args, **_kwargs):
    raise AssertionError("the content was read although nothing changed")


def test_rebuild_with_nothing_changed_does_not_read_the_content(content_dir, built, monkeypatch):
    first = (built / "current").resolve()
    for reader in ("read_entry", "read_sources", "plan_entries"):
        monkeypatch.setattr(build_module, reader, refuse_to_check)
    result = build(content_dir, built, today=TODAY)
    assert result.status == "unchanged" and result.path == first


@pytest.mark.parametrize("change", ["same size edit", "new file", "removed file"])
def test_any_change_to_the_files_is_checked_and_built(content_dir, built, change):
    de = content_dir / "countries" / "de.md"
    if change == "same size edit":
        text = de.read_text(encoding="utf-8")
        de.write_text(text.replace("Germany", "Germanx", 1), encoding="utf-8")
        st = de.stat()
        os.utime(de, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    elif change == "new file":
        (content_dir / "topics" / "extra.md").write_text(
            (content_dir / "topics" / "mla.md").read_text(encoding="utf-8").replace("slug: mla", "slug: extra", 1),
            encoding="utf-8")
    else:
        extra = content_dir / "topics" / "extra.md"
        extra.write_text((content_dir / "topics" / "mla.md").read_text(encoding="utf-8")
                         .replace("slug: mla", "slug: extra", 1), encoding="utf-8")
        assert build(content_dir, built, today=TODAY).status == "built"
        extra.unlink()
    result = build(content_dir, built, today=TODAY)
    assert result.status == "built", result


def test_touching_a_file_without_changing_it_publishes_nothing_new(content_dir, built):
    first = (built / "current").resolve()
    de = content_dir / "countries" / "de.md"
    st = de.stat()
    os.utime(de, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
    assert build(content_dir, built, today=TODAY).status == "unchanged"
    assert (built / "current").resolve() == first
