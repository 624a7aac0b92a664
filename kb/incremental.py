"""Skip the whole check when nothing under content/ changed since the current build.

A build stores, next to kb.db, the size and modification time (ns) of every file it read
(`files.stat.json`) and the digest of the code that built it. A rebuild whose snapshot matches
returns at once: listing 5,000 files costs milliseconds, reading and checking them seconds. Any
difference (a file touched, added, removed, renamed, or a new version of the code) falls back to
the full path, which compares content hashes and skips publishing if they match.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

STAT_FILE = "files.stat.json"


def snapshot(content_dir: Path) -> dict[str, list[int]]:
    """Relative path -> [size, mtime_ns] of every file under `content_dir` (take it before reading)."""
    out: dict[str, list[int]] = {}
    root = str(content_dir)
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(folder, root)
        for name in files:
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            out[name if rel == "." else f"{rel}/{name}"] = [st.st_size, st.st_mtime_ns]
    return out


def unchanged(build_dir: Path | None, files: dict[str, list[int]], code: str) -> bool:
    """True if `build_dir` was built from exactly these files by this code."""
    if build_dir is None or not (Path(build_dir) / "kb.db").is_file() or not (Path(build_dir) / "index").is_dir():
        return False
    try:
        saved = json.loads((Path(build_dir) / STAT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(saved, dict) and saved.get("code") == code and saved.get("files") == files


def record(build_dir: Path, files: dict[str, list[int]], code: str) -> None:
    (Path(build_dir) / STAT_FILE).write_text(json.dumps({"code": code, "files": files}), encoding="utf-8")
