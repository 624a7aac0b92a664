"""Build orchestration: check -> rows -> SQLite + search index -> atomic publish.

A build is a directory `<out>/<stamp>/` holding `kb.db` and `index/`. `<out>/current` is a
symlink switched with an atomic rename, so the site always sees a whole build. A build with
any problem publishes nothing.

Entries are read, checked, rendered and written one by one (nothing holds the whole corpus).
A rebuild starts from the current build (`kb.changes`, `kb.buildstate`): only entries whose file
changed, or that cite a source that changed, are read, checked and rendered again; their rows are
replaced in a copy of the current `kb.db`, their documents in a hard-linked copy of its index,
their runs in its bulk files; the checks across files run over every entry. `--force` reads
nothing of the previous build.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from kb import buildstate, incremental, search, store
from kb.buildsteps import link_or_write_history, link_or_write_maps
from kb.bulk import BulkWriter
from kb.changes import Plan, plan_entries, read_sources
from kb.checks.crossrefs import EntryRefs, check_sources, cross_checks, refs_of
from kb.checks.entry import EntryValidator
from kb.content import read_entry
from kb.dbwrite import DbWriter
from kb.problems import ContentError, Problem
from kb.publish import current_dir, lock, prune, publish, write_error
from kb.route import rules
from kb.rows import assemble, citation_rows, entry_rows, source_rows, titles_of
from kb.schema import rule_citations
from kb.indexproc import IndexProcess
from kb.search.index import IndexWriter, check_opens

PARALLEL_FROM = 300  # entries to render from which the index is written by a second process

__all__ = ["BuildResult", "assemble", "build", "code_digest", "current_dir", "verified_meta"]


@dataclass
class BuildResult:
    status: str  # built | unchanged
    path: Path
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    index_peak_mb: float = 0.0  # peak memory of the indexing process (0 when the build indexed itself)

    def summary(self) -> str:
        if self.status == "unchanged":
            return f"Nothing changed; build {self.path.name} is still current."
        parts = [f"{len(self.added)} added", f"{len(self.changed)} changed", f"{len(self.removed)} removed"]
        detail = "; ".join(f"{label}: {', '.join(files[:8])}{' ...' if len(files) > 8 else ''}"
                           for label, files in (("added", self.added), ("changed", self.changed),
                                                ("removed", self.removed)) if files and len(files) < 60)
        counts = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        return (f"Built {self.path.name} in {self.seconds:.1f}s ({counts}); {', '.join(parts)}"
                + (f" ({detail})" if detail else "") + ". It is now current.")


PACKAGE = Path(__file__).resolve().parent


def code_digest(package: Path | None = None) -> str:
    """Digest of every file of the kb package, found by glob: a new module changes it too."""
    root = Path(package or PACKAGE)
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"
                       and "__pycache__" not in p.relative_to(root).parts):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def verified_meta(build_dir: Path | None) -> dict | None:
    """The meta table of a build whose files match its manifest and whose database and search
    index both open; None for anything else (damaged, half-copied, built by an older version)."""
    if build_dir is None:
        return None
    try:
        if not store.intact(build_dir):
            return None
        s = store.Store(build_dir / store.DB_NAME)
        try:
            meta = s.meta()
        finally:
            s.close()
        search.guarded(check_opens, build_dir / "index")
        return meta
    except Exception:  # noqa: BLE001 - whatever fails to open (OSError, sqlite3, a Whoosh read) means rebuild
        return None


def build(content_dir: Path | str, out_dir: Path | str, force: bool = False, today: dt.date | None = None,
          progress=None) -> BuildResult:
    started = time.monotonic()
    content_dir, out_dir = Path(content_dir), Path(out_dir)
    today = today or dt.date.today()
    code = code_digest()
    stats = incremental.snapshot(content_dir)  # before reading: an edit made during the build counts next time
    current = current_dir(out_dir)
    if current is not None and not force and incremental.unchanged(current, stats, code) \
            and verified_meta(current) is not None:
        return BuildResult("unchanged", current)  # a damaged current build is rebuilt (issue 13)
    if not content_dir.is_dir():
        raise ContentError([Problem(str(content_dir), 1, "content", "the content folder does not exist",
                                    "pass --content with the folder that holds countries/, providers/, topics/")])
    # --force reads nothing of the previous build; a previous build that does not verify is rebuilt.
    meta = None if force else verified_meta(current)
    previous = buildstate.load(current, code, today, content_dir) if meta else None
    problems: list[Problem] = []
    plan = Plan(stats=stats)
    source_files = read_sources(content_dir, stats, previous, problems, plan)
    if previous and [sf.path for sf in source_files] == list(previous.source_files) and all(
            plan.files.get(rel) is previous.files.get(rel) for rel in previous.source_files):
        sources = previous.sources  # the same files, checked on the same day: the same (clean) result
    else:
        sources = check_sources(source_files, today, problems)
    if not source_files:
        problems.append(Problem("sources.yaml", 1, "sources", "no bibliography was found",
                                "create content/sources.yaml (or files in content/sources/) mapping ids to sources"))
    plan_entries(content_dir, stats, previous, sources, problems, plan, hash_changed=meta is not None)
    old_files = json.loads(meta.get("files", "{}")) if meta else {}
    if current is not None and meta and not problems and len(plan.files) == len(plan.entries) + len(source_files) \
            and meta.get("digest") == _digest(plan.digests(), code):
        return BuildResult("unchanged", current)  # touched, not changed
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    tmp, final = out_dir / f".tmp-{stamp}", out_dir / stamp
    try:
        held = lock(out_dir)
    except OSError as exc:
        raise write_error(exc, out_dir) from exc
    base = current if previous is not None else None
    try:
        tmp.mkdir()
        state, index_peak = _write(tmp, base, previous, plan, content_dir, sources, source_files, problems, today,
                                   code, stamp, progress)
        incremental.record(tmp, stats, code)
        buildstate.save(tmp, state)
        store.write_manifest(tmp, previous=base)
        tmp.rename(final)
        publish(out_dir, final)
    except (OSError, sqlite3.Error) as exc:  # read-only folder, full disk: a sentence, not a traceback
        shutil.rmtree(tmp, ignore_errors=True)
        raise write_error(exc, out_dir) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        os.close(held)  # releases the lock
    prune(out_dir, keep=final)
    files = plan.digests()
    counts = {k: sum(1 for r in state.refs.values() if r.kind == k) for k in ("countries", "providers", "topics")}
    counts["sources"] = len(sources)
    return BuildResult("built", final, added=sorted(set(files) - set(old_files)),
                       changed=sorted(p for p in files if p in old_files and old_files[p] != files[p]),
                       removed=sorted(set(old_files) - set(files)), counts=counts,
                       seconds=time.monotonic() - started, index_peak_mb=index_peak)


def _digest(files: dict[str, str], code: str) -> str:
    return hashlib.sha256(json.dumps([sorted(files.items()), code]).encode()).hexdigest()


def _write(tmp: Path, base: Path | None, previous: buildstate.BuildState | None, plan: Plan, content_dir: Path,
           sources: dict, source_files: list, problems: list[Problem], today: dt.date, code: str, stamp: str,
           progress) -> tuple[buildstate.BuildState, float]:
    """Write the build into `tmp`: entries that changed are read, checked and rendered; the rest is
    taken from `base`. Raises ContentError (after checking everything) if any problem was found."""
    db = DbWriter(tmp / store.DB_NAME, base / store.DB_NAME if base else None)
    to_render = sum(1 for _rel, _file, unchanged in plan.entries if not unchanged)
    writer = IndexProcess if to_render >= PARALLEL_FROM else IndexWriter
    index = writer(tmp / "index", base / "index" if base else None)
    built_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    bulk = BulkWriter(tmp, {"stamp": stamp, "built_at": built_at}, base, previous.bulk if previous else None)
    try:
        db.remove(plan.removed)
        index.delete_entries(plan.removed)
        titles = titles_of(sources)
        refs: dict[str, EntryRefs] = {}
        citations: list[tuple] = []
        written: set[tuple[str, str]] = set()
        for i, (rel, file, unchanged) in enumerate(plan.entries, 1):
            if progress and (i % 200 == 0 or i == len(plan.entries)):
                progress("building", i, len(plan.entries))
            if unchanged and previous is not None:
                refs[rel] = previous.refs[rel]
                written.add((refs[rel].kind, refs[rel].key.lower()))
                bulk.keep(rel)
                continue
            e = read_entry(content_dir, file, problems)
            if e is None:
                continue
            size, mtime = plan.stats.get(rel, (0, 0))
            plan.files[rel] = buildstate.FileState(size, mtime, e.digest)
            v = EntryValidator(e, today, problems)
            v.run()
            refs[rel] = refs_of(e, v.citations)
            citations += v.citations
            if problems or (e.kind, e.key.lower()) in written:  # a duplicate is reported by the cross-checks
                continue  # nothing more is written once anything is wrong; the check goes on
            written.add((e.kind, e.key.lower()))
            rows = entry_rows(e, v.facts, v.citations, sources, titles, today)
            db.add(rows)
            index.add(search.documents_for(rows.entry, rows.tables["sections"], rows.facts))
            bulk.add(rel, rows, sources)
        planner = rule_citations(source_files)
        cross_checks(list(refs.values()), sources, citations + planner, problems)
        if problems:
            raise ContentError(problems)
        meta = {"digest": _digest(plan.digests(), code), "files": json.dumps(plan.digests()),
                "built_at": built_at, "stamp": stamp,
                "version": __import__("kb").__version__, "content_dir": str(content_dir.resolve())}
        db.replace("meta", [{"key": k, "value": v} for k, v in meta.items()])
        db.replace("sources", source_rows(sources))
        db.remove_where("citations", "kind", rules.FILE)
        db.insert("citations", citation_rows(planner))
        db.close()
        index.commit()
        layout = bulk.finish(sources)
    except BaseException:
        db.abort()
        index.cancel()
        bulk.close()
        raise
    state = buildstate.BuildState(code, today.isoformat(), str(content_dir.resolve()), plan.files, refs,
                                  {sf.path: sf for sf in source_files}, sources, layout)
    state.maps = link_or_write_maps(tmp, base, previous.maps if previous else None)
    state.history = link_or_write_history(tmp, base, previous.history if previous else None, content_dir)
    return state, getattr(index, "peak_mb", 0.0)
