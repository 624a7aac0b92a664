"""Build steps drawn from the finished kb.db: the world maps (from the country rows) and the change
history (from git). A rebuild whose inputs are those of the previous build hard-links its files."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from kb import history, mapsvg, store


def _rows(build_dir: Path, sql: str) -> list[dict]:
    conn = sqlite3.connect(build_dir / store.DB_NAME)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def _link_all(base: Path, target: Path, names: list[str]) -> bool:
    """Hard-link (or copy) `names` from `base` into `target`; False if one is missing."""
    if not all((base / n).is_file() for n in names):
        return False
    for n in names:
        (target / n).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(base / n, target / n)
        except OSError:
            shutil.copy2(base / n, target / n)
    return True


def link_or_write_maps(build_dir: Path, base: Path | None, previous: str | None) -> str:
    """The maps of the build; returns the digest of the country rows they were drawn from."""
    countries = _rows(build_dir, "select kind, key, name, data, completeness from entries "
                                 "where kind = 'countries' order by key")
    digest = hashlib.sha256(json.dumps(countries, sort_keys=True).encode()).hexdigest()
    names = [f"{mapsvg.MAP_DIR}/{mf.id}.{ext}" for mf in mapsvg.map_fields() for ext in ("svg", "json")]
    if base is None or digest != previous or not _link_all(base, build_dir, names):
        mapsvg.write(build_dir, {"entries": countries})
    return digest


def _git_head(content_dir: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(content_dir), "rev-parse", "HEAD"], capture_output=True,
                              check=True, timeout=30).stdout.decode().strip()
    except (OSError, subprocess.SubprocessError):
        return "no git"


def link_or_write_history(build_dir: Path, base: Path | None, previous: str | None, content_dir: Path) -> str:
    """The history of the build; returns what it was computed from (git HEAD and the entry files)."""
    entries = _rows(build_dir, "select kind, key, path from entries order by path")
    key = hashlib.sha256(json.dumps([_git_head(content_dir), str(Path(content_dir).resolve()),
                                     [e["path"] for e in entries]]).encode()).hexdigest()
    if base is None or key != previous or not _link_all(base, build_dir, [history.HISTORY_FILE]):
        history.write(build_dir, content_dir, entries)
    return key
