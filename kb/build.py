"""Build orchestration: check -> rows -> SQLite + search index -> atomic publish.

A build is a directory `<out>/<stamp>/` holding `kb.db` and `index/`. `<out>/current` is a
symlink switched with an atomic rename, so the site always sees a whole build. A build with
any problem publishes nothing.
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from kb import bulk, history, mapsvg, search, store
from kb.fields import NOT_APPLICABLE, NOT_CURATED, STALE_DAYS
from kb.kinds import COVERAGE, SECTIONS
from kb import incremental
from kb.problems import BuildError, ContentError
from kb.render import plain_text, render
from kb.schema import Checked, check

KEEP_BUILDS = 3


@dataclass
class BuildResult:
    status: str  # built | unchanged
    path: Path
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0

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
        search.guarded(search.Searcher, build_dir / "index").close()
        return meta
    except Exception:  # noqa: BLE001 - whatever fails to open (OSError, sqlite3, a Whoosh read) means rebuild
        return None


def _lock(out_dir: Path) -> int:
    """Hold <out>/.lock for the length of a build: one build writes at a time, so any .tmp-* or
    .current-* found while holding it is a leftover of a killed build and goes at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    for left in list(out_dir.glob(".tmp-*")) + list(out_dir.glob(".current-*")):
        if left.is_symlink() or left.is_file():
            left.unlink()
        else:
            shutil.rmtree(left, ignore_errors=True)
    return fd


def _write_error(exc: BaseException, out_dir: Path) -> BuildError:
    code, text = getattr(exc, "errno", None), str(exc).lower()
    if code == errno.EROFS or "read-only" in text or "readonly" in text:
        why, fix = "the file system is read-only", "pass --out with a writable folder"
    elif code in (errno.ENOSPC, errno.EDQUOT) or "full" in text:
        why, fix = "the disk is full", "free some space (older builds in that folder may go) and build again"
    elif code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        why, fix = "this user is not allowed to write there", "make the folder writable or pass --out"
    elif code in (errno.ENOTDIR, errno.EEXIST):
        why, fix = "part of that path is a file, not a folder", "pass --out with a folder"
    else:
        why, fix = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__), "check the folder and build again"
    try:
        previous = current_dir(out_dir)
    except OSError:
        previous = None
    then = "the previous build is still current" if previous else "there is no previous build to serve"
    return BuildError(f"cannot write the build in {out_dir}: {why}; {fix}. Nothing was published; {then}.")


def file_digests(checked: Checked) -> dict[str, str]:
    files = {e.path: e.digest for e in checked.entries}
    files.update({sf.path: sf.digest for sf in checked.source_files})
    return files


def current_dir(out: Path) -> Path | None:
    link = Path(out) / "current"
    return link.resolve() if link.exists() else None


def build(content_dir: Path | str, out_dir: Path | str, force: bool = False, today: dt.date | None = None,
          progress=None) -> BuildResult:
    started = time.monotonic()
    content_dir, out_dir = Path(content_dir), Path(out_dir)
    stats = incremental.snapshot(content_dir)  # before reading: an edit made during the build counts next time
    if not force and incremental.unchanged(current_dir(out_dir), stats, code_digest()) and verified_meta(
            current_dir(out_dir)) is not None:  # a damaged current build is rebuilt (issue 13)
        return BuildResult("unchanged", current_dir(out_dir))
    checked = check(content_dir, today=today)
    if checked.problems:
        raise ContentError(checked.problems)
    files = file_digests(checked)
    digest = hashlib.sha256(json.dumps([sorted(files.items()), code_digest()]).encode()).hexdigest()
    # --force reads nothing of the previous build; a previous build that does not verify is rebuilt.
    meta = None if force else verified_meta(current_dir(out_dir))
    old_files = json.loads(meta.get("files", "{}")) if meta else {}
    if meta and meta.get("digest") == digest:
        return BuildResult("unchanged", current_dir(out_dir))
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = out_dir / f".tmp-{stamp}"
    final = out_dir / stamp
    try:
        lock = _lock(out_dir)
    except OSError as exc:
        raise _write_error(exc, out_dir) from exc
    try:
        tmp.mkdir()
        tables, docs = assemble(checked, today or dt.date.today())
        tables["meta"] = [{"key": k, "value": v} for k, v in {
            "digest": digest, "files": json.dumps(files), "built_at": dt.datetime.now(dt.timezone.utc)
            .isoformat(timespec="seconds"), "stamp": stamp, "version": __import__("kb").__version__,
            "content_dir": str(content_dir.resolve())}.items()]
        store.write(tmp / store.DB_NAME, tables)
        search.write_index(tmp / "index", docs, progress=progress)
        bulk.write(tmp, tables, {m["key"]: m["value"] for m in tables["meta"]})
        mapsvg.write(tmp, tables)
        history.write(tmp, content_dir, tables["entries"])
        incremental.record(tmp, stats, code_digest())
        store.write_manifest(tmp)
        tmp.rename(final)
        publish(out_dir, final)
    except (OSError, sqlite3.Error) as exc:  # read-only folder, full disk: a sentence, not a traceback
        shutil.rmtree(tmp, ignore_errors=True)
        raise _write_error(exc, out_dir) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        os.close(lock)  # releases the lock
    prune(out_dir, keep=final)
    counts = {k: sum(1 for e in checked.entries if e.kind == k) for k in ("countries", "providers", "topics")}
    counts["sources"] = len(checked.sources)
    return BuildResult("built", final,
                       added=sorted(set(files) - set(old_files)),
                       changed=sorted(p for p in files if p in old_files and old_files[p] != files[p]),
                       removed=sorted(set(old_files) - set(files)),
                       counts=counts, seconds=time.monotonic() - started)


def publish(out_dir: Path, target: Path) -> None:
    """Point <out>/current at `target` with one atomic rename."""
    tmp_link = out_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(target.name)
    os.replace(tmp_link, out_dir / "current")


def prune(out_dir: Path, keep: Path) -> None:
    builds = sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
                    and not p.is_symlink())
    for old in builds[:-KEEP_BUILDS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def entry_url(kind: str, key: str, section: str = "") -> str:
    return f"/{kind}/{key}" + (f"#{section}" if section else "")


def assemble(checked: Checked, today: dt.date) -> tuple[dict[str, list[dict]], list[dict]]:
    """Turn checked content into table rows and search documents."""
    titles = {sid: s.get("title", sid) for sid, s in checked.sources.items()}
    tables: dict[str, list[dict]] = {k: [] for k in ("entries", "sections", "facts", "sources", "citations",
                                                        "coverage", "provider_countries")}
    docs: list[dict] = []
    facts_by_entry: dict[tuple, list] = {}
    for f in checked.facts:
        facts_by_entry.setdefault((f.kind, f.key), []).append(f)
    for e in checked.entries:
        key = e.key.lower()
        front = json.loads(json.dumps(e.front, default=_json_default))
        name = str(front.get("name") or front.get("title") or key)
        numbers: dict[str, int] = {}
        fixed = SECTIONS.get(e.kind, {})
        order = list(fixed) if fixed else [s.id for s in e.sections]
        gaps = []
        section_rows = []
        for s in sorted(e.sections, key=lambda s: order.index(s.id) if s.id in order else 99):
            gap = s.markdown.strip().lower().startswith(NOT_CURATED.lower())
            na = s.markdown.strip().lower().startswith(NOT_APPLICABLE.lower())
            if gap:
                gaps.append(s.id)
            text = plain_text(s.markdown)
            section_rows.append({"kind": e.kind, "key": key, "section": s.id, "title": s.title,
                                 "position": len(section_rows), "html": render(s.markdown, numbers, titles),
                                 "text": text, "gap": int(gap), "na": int(na), "line": s.line})
        intro_html = render(e.intro, numbers, titles) if e.intro.strip() else ""
        facts = facts_by_entry.get((e.kind, e.key), [])
        for f in facts:  # sources of structured facts get numbers after those of the body
            for sid in f.sources:
                numbers.setdefault(sid, len(numbers) + 1)
        for i, f in enumerate(facts):
            tables["facts"].append({"kind": e.kind, "key": key, "field": f.field, "area": f.field.split(".")[0],
                                    "value": f.value, "sources": json.dumps(f.sources), "as_of": f.as_of,
                                    "note": f.note, "line": f.line, "position": i})
        coverage = _coverage(e, key, facts, section_rows, checked, today)
        tables["coverage"] += coverage
        counted = [c for c in coverage if c["status"] != "not-applicable"]  # not applicable is not a gap
        completeness = (sum(c["status"] != "missing" for c in counted) / len(counted)) if counted else \
            (0.0 if gaps else 1.0)
        aliases = [str(a) for a in front.get("aliases") or []] + [str(a) for a in front.get("services") or []]
        memberships = front.get("memberships") or []
        if isinstance(memberships, dict):
            memberships = memberships.get("value") or []
        memberships = [m["value"] if isinstance(m, dict) else m for m in memberships]
        cited = sorted(numbers, key=numbers.get)
        tables["entries"].append({
            "kind": e.kind, "key": key, "name": name, "url": entry_url(e.kind, key), "path": e.path,
            "region": front.get("region", ""), "reviewed": front.get("reviewed", ""),
            "summary": front.get("summary", ""), "completeness": round(completeness, 3),
            "budapest_status": (front.get("budapest") or {}).get("status", "") if isinstance(
                front.get("budapest"), dict) else "",
            "retention_status": (front.get("retention") or {}).get("status", "") if isinstance(
                front.get("retention"), dict) else "",
            "data": json.dumps(front), "aliases": json.dumps(aliases), "memberships": json.dumps(memberships),
            "gaps": json.dumps(gaps), "cited": json.dumps(cited), "intro_html": intro_html,
            "digest": e.digest})
        tables["sections"] += section_rows
        if e.kind == "providers":
            for ent in front.get("entities") or []:
                if isinstance(ent, dict) and ent.get("country"):
                    tables["provider_countries"].append({"provider": key, "country": str(ent["country"]).upper(),
                                                         "entity": ent.get("name", ""), "role": ent.get("role", "")})
            hq = front.get("headquarters")
            hq = hq.get("value") if isinstance(hq, dict) else hq
            if hq:
                tables["provider_countries"].append({"provider": key, "country": str(hq).upper(),
                                                     "entity": "headquarters", "role": "headquarters"})
        docs += search.documents_for(tables["entries"][-1], section_rows, facts)
    for sid, kind, key, where, line in checked.citations:
        tables["citations"].append({"source_id": sid, "kind": kind, "key": key.lower(), "location": where,
                                    "line": line})
    for sid, s in checked.sources.items():
        tables["sources"].append({"id": sid, "title": s.get("title", ""), "url": s.get("url", ""),
                                  "publisher": s.get("publisher", ""), "accessed": s.get("accessed", ""),
                                  "published": s.get("published", ""), "note": s.get("note", ""),
                                  "file": s["file"], "line": s["line"]})
    return tables, docs


def _citations_by_entry(checked) -> dict[tuple, set]:
    """(kind, key) -> where it cites (computed once per build: scanning every citation per entry
    is quadratic, minutes at 5,000 entries)."""
    index = getattr(checked, "_citations_by_entry", None)
    if index is None:
        index = {}
        for _sid, kind, k, where, _line in checked.citations:
            index.setdefault((kind, k), set()).add(where)
        checked._citations_by_entry = index
    return index


def _coverage(e, key, facts, section_rows, checked, today) -> list[dict]:
    rows = []
    cited_in = _citations_by_entry(checked).get((e.kind, e.key), set())
    reviewed = e.front.get("reviewed")
    entry_stale = isinstance(reviewed, dt.date) and (today - reviewed).days > STALE_DAYS
    for i, (area, (label, prefixes, section)) in enumerate(COVERAGE.get(e.kind, {}).items()):
        area_facts = [f for f in facts if f.field.split(".")[0] in prefixes]
        sec = next((s for s in section_rows if s["section"] == section), None)
        # curated prose cites a source: a real [@id] citation the check validated, not markup in the text
        prose = bool(sec and not sec["gap"] and f"section {section}" in cited_in)
        accessed = [checked.sources[sid].get("accessed", "") for f in area_facts for sid in f.sources
                    if sid in checked.sources]
        oldest = min(accessed) if accessed else ""
        applies = [f for f in area_facts if f.value != NOT_APPLICABLE and not f.field.endswith(".not_applicable")]
        marked_na = any(f.field.split(".")[-1] == "not_applicable" and f.field.count(".") <= 2 for f in area_facts)
        if marked_na or (sec and sec.get("na") and not applies):
            status = "not-applicable"
        elif not area_facts and not prose:
            status = "missing"
        elif entry_stale or (oldest and (today - dt.date.fromisoformat(oldest)).days > STALE_DAYS):
            status = "stale"
        else:
            status = "sourced"
        rows.append({"kind": e.kind, "key": key, "area": area, "label": label, "position": i, "status": status,
                     "facts": len(area_facts), "prose": int(prose), "oldest_accessed": oldest,
                     "section": section or ""})
    return rows
