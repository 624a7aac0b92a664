"""Bulk downloads, written at build time into `<build>/export/` (the site only serves these files).

- `kb.json`: every entry (front matter), every fact with its sources and their dates, every source
- `facts.csv`: one row per fact, with source titles, addresses and dates (UTF-8 with BOM)
- `sources.csv`: the bibliography
The SQLite file itself is the build's `kb.db`.

Each entry's share of `kb.json` (its entry object, its facts) and of `facts.csv` (its rows) is
one contiguous run of bytes; the build records where each run lies, so a rebuild copies the runs
of unchanged entries from the previous build's files and renders only the changed ones. The files
are byte for byte what one `json.dumps` / `csv_text` of everything would write.
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from kb.rows import EntryRows
from kb.tabular import csv_safe, csv_text

EXPORT_DIR = "export"
# Project decision, stated once: the lead confirms or changes it here (see README "Bulk data").
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "statement": ("The compilation (selection, structure, summaries and notes) may be reused under the Creative "
                  "Commons Attribution 4.0 licence: name 'Legal channels across borders' and the build stamp. "
                  "Each cited source stays under its own terms; follow its address for the original text. "
                  "Reference material, not legal advice: verify every contact against its source before use."),
}
FILES = {
    "kb.json": ("JSON", "application/json", "Entries, facts with their sources' dates, and sources."),
    "facts.csv": ("CSV", "text/csv", "One row per fact, with its sources' titles, addresses and dates."),
    "sources.csv": ("CSV", "text/csv", "The bibliography: every source with its dates."),
}
FACT_COLUMNS = ["kind", "key", "name", "field", "value", "as_of", "source_ids", "source_titles", "source_urls",
                "source_dates", "sources_accessed", "note"]
SOURCE_COLUMNS = ["id", "title", "url", "publisher", "published", "accessed", "note"]
PARTS = ("entries", "facts", "csv")  # the three runs of each entry


def fragments(rows: EntryRows, sources: dict) -> tuple[bytes, bytes, bytes]:
    """One entry's runs: its object in kb.json's entries, its facts there, its facts.csv rows."""
    e = rows.entry
    entry = {"kind": e["kind"], "key": e["key"], "name": e["name"], "url": e["url"], "reviewed": e["reviewed"],
             "completeness": e["completeness"], "data": json.loads(e["data"])}
    facts = []
    for f in rows.tables["facts"]:
        ids = json.loads(f["sources"])
        facts.append({"kind": f["kind"], "key": f["key"], "field": f["field"], "value": f["value"],
                      "as_of": f["as_of"] or None, "note": f["note"] or None,
                      "sources": [{"id": i, "published": sources.get(i, {}).get("published") or None,
                                   "accessed": sources.get(i, {}).get("accessed") or None} for i in ids]})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for f in facts:
        src = f["sources"]
        writer.writerow([csv_safe(v) for v in [
            f["kind"], f["key"], e["name"], f["field"], f["value"], f["as_of"] or "", "; ".join(s["id"] for s in src),
            "; ".join(sources.get(s["id"], {}).get("title", "") for s in src),
            " ".join(sources.get(s["id"], {}).get("url", "") for s in src),
            "; ".join(s["published"] or "" for s in src), "; ".join(s["accessed"] or "" for s in src),
            f["note"] or ""]])
    return (json.dumps(entry, ensure_ascii=False).encode(),
            ", ".join(json.dumps(f, ensure_ascii=False) for f in facts).encode(), out.getvalue().encode())


class BulkWriter:
    """Writes the bulk files of one build, entry by entry in the build's order. `previous` is the
    folder of the build whose runs `keep` copies, `layout` where they lie (from its build state).
    Runs of consecutive unchanged entries are copied as one block."""

    def __init__(self, build_dir: Path, build: dict, previous: Path | None = None, layout: dict | None = None):
        self.out = Path(build_dir) / EXPORT_DIR
        self.out.mkdir(parents=True, exist_ok=True)
        # kb.json's entries and facts.csv's rows are written in place; kb.json's facts, which come
        # after its entries, go to a part file appended at the end.
        self.parts = {"entries": open(self.out / "kb.json", "w+b"), "facts": open(self.out / ".facts.part", "w+b"),
                      "csv": open(self.out / "facts.csv", "w+b")}
        self.at = {"entries": self.parts["entries"].write(
                       f'{{"build": {json.dumps(build, ensure_ascii=False)}, "licence": '
                       f'{json.dumps(LICENCE, ensure_ascii=False)}, "entries": ['.encode()),
                   "csv": self.parts["csv"].write(csv_text(FACT_COLUMNS, []).encode())}
        self.size = dict.fromkeys(PARTS, 0)
        self.spans: dict[str, list[int]] = {}
        self.old: dict[str, int] = {}  # part -> file descriptor of the previous build's file
        self.block: dict[str, list[int]] = {}  # part -> [start, end] in the old file, not yet copied
        self.layout = layout or {}
        if previous is not None and layout:
            for part, name in zip(PARTS, ("kb.json", "kb.json", "facts.csv"), strict=True):
                self.old[part] = os.open(Path(previous) / EXPORT_DIR / name, os.O_RDONLY)

    def _separator(self, part: str) -> bytes:
        return b", " if part != "csv" and self.size[part] else b""

    def add(self, path: str, rows: EntryRows, sources: dict) -> None:
        self._flush()
        span = []
        for part, run in zip(PARTS, fragments(rows, sources), strict=True):
            if run:
                sep = self._separator(part)
                self.parts[part].write(sep + run)
                self.size[part] += len(sep)
            span += [self.size[part], len(run)]
            self.size[part] += len(run)
        self.spans[path] = span

    def keep(self, path: str) -> None:
        """Take an unchanged entry's runs from the previous build's files."""
        old, at = self.layout["spans"][path], self.layout["at"]
        span = []
        for i, part in enumerate(PARTS):
            start, length = at[part] + old[2 * i], old[2 * i + 1]
            if length:
                block = self.block.get(part)
                if block is None or start != block[1] + (2 if part != "csv" else 0):
                    self._flush(part)
                    sep = self._separator(part)
                    self.parts[part].write(sep)
                    self.size[part] += len(sep)
                    self.block[part] = [start, start + length]
                else:  # the next run in the old file: the block grows (with the separator between)
                    self.size[part] += start - block[1]
                    block[1] = start + length
            span += [self.size[part], length]
            self.size[part] += length
        self.spans[path] = span

    def _flush(self, only: str | None = None) -> None:
        for part in [only] if only else list(self.block):
            block = self.block.pop(part, None)
            if block:
                out = self.parts[part]
                out.flush()
                _copy_range(self.old[part], block[0], block[1] - block[0], out.fileno())
                out.seek(0, os.SEEK_END)

    def finish(self, sources: dict) -> dict:
        """Complete the files; returns the layout to store with the build."""
        self._flush()
        source_list = [{k: s.get(k) or None for k in SOURCE_COLUMNS} for s in sources.values()]
        fh = self.parts["entries"]
        fh.write(b'], "facts": [')
        at = dict(self.at, facts=fh.tell())
        src = self.parts["facts"]
        src.flush()
        fh.flush()
        _copy_range(src.fileno(), 0, self.size["facts"], fh.fileno())
        fh.seek(0, os.SEEK_END)
        fh.write(f'], "sources": {json.dumps(source_list, ensure_ascii=False)}}}'.encode())
        (self.out / "sources.csv").write_text(csv_text(
            SOURCE_COLUMNS, [[s.get(k, "") for k in SOURCE_COLUMNS] for s in sources.values()]), encoding="utf-8")
        self.close()
        return {"at": at, "spans": self.spans}

    def close(self) -> None:
        for fh in self.parts.values():
            fh.close()
        (self.out / ".facts.part").unlink(missing_ok=True)
        for fd in self.old.values():
            os.close(fd)
        self.old = {}


def _copy_range(src: int, offset: int, length: int, dst: int) -> None:
    """Append `length` bytes of `src` from `offset` to `dst`, in the kernel (no copy through memory)."""
    while length > 0:
        try:
            sent = os.copy_file_range(src, dst, length, offset)
        except OSError:  # a file system without it: read and write
            data = os.pread(src, length, offset)
            sent = os.write(dst, data)
        if not sent:
            raise OSError("the previous build's bulk file ended early")
        offset += sent
        length -= sent


def write(build_dir: Path, tables: dict[str, list[dict]], meta: dict[str, str]) -> dict[str, int]:
    """Write the bulk files of a build from all its table rows at once; returns {file name: size}."""
    sources = {s["id"]: s for s in tables.get("sources", [])}
    facts: dict[tuple, list[dict]] = {}
    for f in tables.get("facts", []):
        facts.setdefault((f["kind"], f["key"]), []).append(f)
    writer = BulkWriter(build_dir, {"stamp": meta.get("stamp"), "built_at": meta.get("built_at")})
    for e in tables.get("entries", []):
        writer.add(e["path"], EntryRows(e["kind"], e["key"], {"entries": [e], "facts": facts.get(
            (e["kind"], e["key"]), [])}), sources)
    writer.finish(sources)
    return {p.name: p.stat().st_size for p in writer.out.iterdir()}
