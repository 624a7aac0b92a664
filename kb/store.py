"""A build's SQLite tables (written by `kb.dbwrite`, then only read by the site), its manifest and
its verification."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

DB_NAME = "kb.db"
MANIFEST = "manifest.json"  # sha256, size and mtime of every file of a build, checked before a build is trusted


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(build_dir: Path, previous: Path | None = None) -> None:
    """Record the sha256, size and mtime of every file of a finished build (written last, before
    publishing; the atomic rename that publishes it keeps the mtimes). A file that is the same
    file as in the `previous` build (a hard link: same inode, size and mtime) keeps its hash."""
    build_dir = Path(build_dir)
    known: dict = {}
    if previous is not None:
        try:
            known = json.loads((Path(previous) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
    files = {}
    for p in sorted(build_dir.rglob("*")):
        if p.is_file():
            st = p.stat()
            rel = p.relative_to(build_dir).as_posix()
            files[rel] = {"sha256": _known_hash(st, previous, rel, known.get(rel)) or sha256(p),
                          "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    (build_dir / MANIFEST).write_text(json.dumps(files, indent=0), encoding="utf-8")


def _known_hash(st, previous: Path | None, rel: str, want) -> str | None:
    if previous is None or not isinstance(want, dict):
        return None
    try:
        old = (Path(previous) / rel).stat()
    except OSError:
        return None
    same = (old.st_ino, old.st_dev, old.st_size, old.st_mtime_ns) == (st.st_ino, st.st_dev, st.st_size,
                                                                     st.st_mtime_ns)
    return want.get("sha256") if same and want.get("size") == st.st_size and \
        want.get("mtime_ns") == st.st_mtime_ns else None


def _matches(path: Path, want) -> bool:
    """A file whose size and mtime are as recorded is taken as unchanged (anything that writes to it
    moves its mtime); otherwise its content hash decides."""
    if isinstance(want, dict):
        st = path.stat()
        if st.st_size == want.get("size") and st.st_mtime_ns == want.get("mtime_ns"):
            return True
        want = want.get("sha256")
    return sha256(path) == want


def intact(build_dir: Path, under: str = "") -> bool:
    """True if every file of the build's manifest (or only those under `under`, e.g. "index/")
    still has its recorded hash; False if one differs, is missing, or there is no manifest."""
    build_dir = Path(build_dir)
    try:
        manifest = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or DB_NAME not in manifest:
            return False
        return all(_matches(build_dir / rel, want) for rel, want in manifest.items() if rel.startswith(under))
    except (OSError, ValueError):
        return False


# Every table and its columns: created even when a build has no rows for it.
TABLES: dict[str, dict[str, type]] = {
    "meta": {"key": str, "value": str},
    "entries": {"kind": str, "key": str, "name": str, "url": str, "path": str, "region": str, "reviewed": str,
                "summary": str, "completeness": float, "data": str, "aliases": str, "memberships": str, "gaps": str,
                "cited": str, "intro_html": str, "digest": str},
    "sections": {"kind": str, "key": str, "section": str, "title": str, "position": int, "html": str, "text": str,
                 "gap": int, "na": int, "line": int},
    "facts": {"kind": str, "key": str, "field": str, "area": str, "value": str, "sources": str, "as_of": str,
              "note": str, "line": int, "position": int},
    "sources": {"id": str, "title": str, "url": str, "publisher": str, "accessed": str, "published": str,
                "note": str, "file": str, "line": int},
    "citations": {"source_id": str, "kind": str, "key": str, "location": str, "line": int},
    "coverage": {"kind": str, "key": str, "area": str, "label": str, "position": int, "status": str, "facts": int,
                 "prose": int, "oldest_accessed": str, "section": str},
    "provider_countries": {"provider": str, "country": str, "entity": str, "role": str},
}
PKS = {"entries": ("kind", "key"), "sections": ("kind", "key", "section"), "sources": "id", "meta": "key"}


class Store:
    """Read-only queries over one build's kb.db."""

    def __init__(self, path: Path):
        self.path = Path(path)
        uri = f"file:{self.path}?mode=ro&immutable=1"
        self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row

    def close(self):
        self.conn.close()

    def rows(self, sql: str, params=()) -> list[dict]:
        return [dict(r) for r in self.conn.execute(sql, params)]

    def row(self, sql: str, params=()) -> dict | None:
        r = self.conn.execute(sql, params).fetchone()
        return dict(r) if r else None

    # -- queries used by the site ------------------------------------------------------------
    def meta(self) -> dict:
        return {r["key"]: r["value"] for r in self.rows("select key, value from meta")}

    def entries(self, kind: str) -> list[dict]:
        return [self._entry(r) for r in self.rows("select * from entries where kind = ? order by name", (kind,))]

    def entry(self, kind: str, key: str) -> dict | None:
        r = self.row("select * from entries where kind = ? and key = ?", (kind, key.lower()))
        return self._entry(r) if r else None

    @staticmethod
    def _entry(r: dict) -> dict:
        for col in ("data", "aliases", "memberships", "gaps", "cited"):
            if col in r and isinstance(r[col], str):
                r[col] = json.loads(r[col])
        return r

    def sections(self, kind: str, key: str) -> list[dict]:
        return self.rows("select * from sections where kind = ? and key = ? order by position", (kind, key))

    def facts(self, kind: str, key: str) -> list[dict]:
        out = self.rows("select * from facts where kind = ? and key = ? order by position", (kind, key))
        for f in out:
            f["sources"] = json.loads(f["sources"])
        return out

    def all_facts(self) -> list[dict]:
        out = self.rows("select kind, key, field, value, sources, as_of, line from facts")
        for f in out:
            f["sources"] = json.loads(f["sources"])
        return out

    def coverage(self, kind: str, key: str | None = None) -> list[dict]:
        if key:
            return self.rows("select * from coverage where kind = ? and key = ? order by position", (kind, key))
        return self.rows("select * from coverage where kind = ? order by key, position", (kind,))

    def sources(self, ids: list[str] | None = None) -> list[dict]:
        if ids is None:
            return self.rows("select * from sources order by title")
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        by_id = {r["id"]: r for r in self.rows(f"select * from sources where id in ({marks})", ids)}
        return [by_id[i] for i in ids if i in by_id]

    def citing(self, source_id: str) -> list[dict]:
        return self.rows("select distinct c.kind, c.key, c.location, e.name from citations c join entries e "
                         "on e.kind = c.kind and e.key = c.key where c.source_id = ? order by e.name", (source_id,))

    def citation_counts(self) -> dict[str, int]:
        return {r["source_id"]: r["n"] for r in
                self.rows("select source_id, count(distinct kind || key) n from citations group by source_id")}

    def links(self, country: str) -> list[dict]:
        """Providers with a legal entity in a country."""
        return self.rows("select distinct l.provider, l.entity, l.role, e.name from provider_countries l "
                         "join entries e on e.kind = 'providers' and e.key = l.provider where l.country = ? "
                         "order by e.name", (country.upper(),))

    def provider_countries(self, provider: str) -> list[dict]:
        return self.rows("select * from provider_countries where provider = ?", (provider,))

    def related_from(self, topic: str) -> list[dict]:
        """Entries that list a topic in `related`."""
        return self.rows("select kind, key, name from entries where exists (select 1 from json_each(entries.data, "
                         "'$.related') where value = ?) order by kind, name", (topic,))

    def counts(self) -> dict[str, int]:
        return {r["kind"]: r["n"] for r in self.rows("select kind, count(*) n from entries group by kind")}
