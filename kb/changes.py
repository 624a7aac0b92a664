"""What a rebuild must redo: which entry files changed since the previous build (size and mtime
first, then the content hash), the bibliography (parsed again only for files that changed), and
the entries that cite a source whose details changed."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from kb.buildstate import BuildState, FileState, changed_sources
from kb.content import SourceFile, entry_files, parse_sources, read_bytes, source_files
from kb.problems import Problem


@dataclass
class Plan:
    entries: list[tuple[str, Path, bool]] = field(default_factory=list)  # (path, file, unchanged) in build order
    files: dict[str, FileState] = field(default_factory=dict)  # what is known of each file so far
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, key) whose rows and documents go
    stats: dict[str, list[int]] = field(default_factory=dict)  # size and mtime of every content file

    def digests(self) -> dict[str, str]:
        return {rel: f.digest for rel, f in self.files.items()}


def _rel(root: Path, file: Path) -> str:
    return file.relative_to(root).as_posix()


def _state(stat: list[int] | None, raw: bytes, digest: str) -> FileState:
    size, mtime = stat if stat else (len(raw), 0)
    return FileState(size, mtime, digest)


def _same_stat(stat: list[int] | None, known: FileState | None) -> bool:
    return stat is not None and known is not None and [known.size, known.mtime_ns] == list(stat)


def read_sources(root: Path, stats: dict, previous: BuildState | None, problems: list[Problem],
                 plan: Plan) -> list[SourceFile]:
    """Every bibliography file; one whose size and mtime (or hash) are as last time is not parsed again."""
    out = []
    for file in source_files(root, problems):
        rel = _rel(root, file)
        known = previous.files.get(rel) if previous else None
        cached = previous.source_files.get(rel) if previous else None
        stat = stats.get(rel)
        if cached is not None and known is not None and _same_stat(stat, known):
            plan.files[rel] = known
            out.append(cached)
            continue
        raw = read_bytes(root, file, problems)
        if raw is None:
            continue
        digest = hashlib.sha256(raw).hexdigest()
        parsed = cached if cached is not None and cached.digest == digest else parse_sources(rel, raw, problems)
        if parsed is not None:
            plan.files[rel] = _state(stat, raw, digest)
            out.append(parsed)
    return out


def plan_entries(root: Path, stats: dict, previous: BuildState | None, sources: dict, problems: list[Problem],
                 plan: Plan, hash_changed: bool) -> None:
    """Fill `plan` with every entry file in build order, each marked unchanged or not. A file is
    unchanged if its size and mtime, or else its hash, are as in the previous build and it cites no
    source that changed. `hash_changed` hashes the other files too (to tell an unchanged tree)."""
    stale = changed_sources(previous.sources, sources) if previous else set()
    for file in entry_files(root, problems):
        rel = _rel(root, file)
        known = previous.files.get(rel) if previous else None
        refs = previous.refs.get(rel) if previous else None
        stat = stats.get(rel)
        unchanged = refs is not None and _same_stat(stat, known)
        if not unchanged and (hash_changed or refs is not None):
            raw = read_bytes(root, file, [])  # problems are reported when the file is read for real
            if raw is not None:
                digest = hashlib.sha256(raw).hexdigest()
                plan.files[rel] = _state(stat, raw, digest)
                unchanged = refs is not None and known is not None and known.digest == digest
        elif unchanged and known is not None:
            plan.files[rel] = known
        if unchanged and refs is not None and stale.intersection(refs.cited):
            unchanged = False
        plan.entries.append((rel, file, unchanged))
    if previous:
        kept = {rel for rel, _f, unchanged in plan.entries if unchanged}
        plan.removed = [(r.kind, r.key.lower()) for rel, r in previous.refs.items() if rel not in kept]
