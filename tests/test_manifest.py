"""A build is verified against its manifest without hashing files whose size and mtime are unchanged."""
from __future__ import annotations

import os

from kb import store


def test_unchanged_build_is_trusted_without_hashing(built, monkeypatch):
    current = (built / "current").resolve()
    assert store.intact(current)

    def no_hashing(path):
        raise AssertionError(f"hashed {path}")

    monkeypatch.setattr(store, "sha256", no_hashing)
    assert store.intact(current)


def test_same_size_damage_with_a_new_mtime_is_caught(built):
    current = (built / "current").resolve()
    db = current / store.DB_NAME
    data = bytearray(db.read_bytes())
    data[:100] = b"\0" * 100
    st = db.stat()
    db.write_bytes(bytes(data))
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert not store.intact(current)


def test_a_touched_but_unchanged_file_still_passes_by_its_hash(built):
    current = (built / "current").resolve()
    db = current / store.DB_NAME
    st = db.stat()
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
    assert store.intact(current)
