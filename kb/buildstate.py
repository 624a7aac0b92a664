"""What a build keeps for the next one (`<build>/state.pickle`): per content file its size, mtime
and hash, per entry what the checks across files need (`EntryRefs`), the parsed bibliography
files, the checked bibliography, where each entry's runs lie in the bulk files, and the inputs of
the maps and the history.

A rebuild trusts it only when the build it belongs to verifies against its manifest, was built by
the same code from the same content folder on the same day (dates decide staleness), and it
loads; otherwise the rebuild is a full build. The file is written by the build itself into its
own folder, and read only after that folder verified against its manifest.
"""
from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from kb.checks.crossrefs import EntryRefs
from kb.content import SourceFile

STATE_FILE = "state.pickle"
VERSION = 1


@dataclass
class FileState:
    size: int
    mtime_ns: int
    digest: str


@dataclass
class BuildState:
    code: str
    today: str
    content_dir: str
    files: dict[str, FileState] = field(default_factory=dict)  # content file -> size, mtime, hash
    refs: dict[str, EntryRefs] = field(default_factory=dict)  # entry file -> its cross-references
    source_files: dict[str, SourceFile] = field(default_factory=dict)  # bibliography file -> parsed
    sources: dict = field(default_factory=dict)  # the checked bibliography
    bulk: dict = field(default_factory=dict)  # kb.bulk layout
    maps: str = ""  # digest of the country rows the maps were drawn from
    history: str = ""  # what the history was computed from (git HEAD and entry files)
    version: int = VERSION


def save(build_dir: Path, state: BuildState) -> None:
    with open(Path(build_dir) / STATE_FILE, "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load(build_dir: Path | None, code: str, today: dt.date, content_dir: Path) -> BuildState | None:
    """The state of `build_dir` if a rebuild may start from it, else None (then build in full)."""
    if build_dir is None:
        return None
    try:
        with open(Path(build_dir) / STATE_FILE, "rb") as fh:
            state = pickle.load(fh)  # noqa: S301 - written by the build into its own verified folder
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: build in full
        return None
    if not isinstance(state, BuildState) or state.version != VERSION or state.code != code \
            or state.today != today.isoformat() or state.content_dir != str(Path(content_dir).resolve()):
        return None
    return state


def changed_sources(old: dict, new: dict) -> set[str]:
    """Source ids added, removed, or whose details changed (their place in the file aside)."""
    def details(s: dict) -> dict:
        return {k: v for k, v in s.items() if k not in ("file", "line")}

    return {sid for sid in old.keys() | new.keys()
            if sid not in old or sid not in new or details(old[sid]) != details(new[sid])}
