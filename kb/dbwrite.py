"""Writing a build's kb.db: a new database filled entry by entry (rows go out in batches, so a
full build never holds the whole corpus), or a copy of the previous build's database patched
for the entries that changed (their rows deleted, the new ones inserted)."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed

from kb.rows import ENTRY_TABLES, EntryRows
from kb.store import PKS, TABLES

BATCH = 2000  # rows per table held before they are written
INDEXES = {"sections": ("kind", "key"), "facts": ("kind", "key"), "citations": ("source_id",),
           "coverage": ("kind", "key"), "provider_countries": ("provider",)}
PATCH_INDEXES = {"citations_entry": ("citations", ("kind", "key"))}  # finds an entry's citations when patching


class DbWriter:
    """kb.db of the build being written: new (`base` None) or a patched copy of `base`."""

    def __init__(self, path: Path, base: Path | None = None):
        self.path = Path(path)
        self.patching = base is not None
        if base is not None:
            shutil.copyfile(base, self.path)
        else:
            db = sqlite_utils.Database(self.path)
            for name, columns in TABLES.items():
                db.table(name).create(columns, pk=PKS.get(name))
            db.close()
        self.conn = sqlite3.connect(self.path)
        # The database is private to the unpublished build folder until it is complete: a crash
        # discards the folder, so no journal and no sync are needed while writing.
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.pending: dict[str, list[tuple]] = {name: [] for name in TABLES}
        self.sql = {name: f'INSERT INTO "{name}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
                          f'VALUES ({", ".join("?" * len(cols))})' for name, cols in TABLES.items()}

    def add(self, rows: EntryRows) -> None:
        for name, table_rows in rows.tables.items():
            self.insert(name, table_rows)

    def insert(self, name: str, rows: list[dict]) -> None:
        cols = TABLES[name]
        pending = self.pending[name]
        pending.extend(tuple(jsonify_if_needed(r.get(c)) for c in cols) for r in rows)
        if len(pending) >= BATCH:
            self._flush(name)

    def _flush(self, name: str) -> None:
        if self.pending[name]:
            self.conn.executemany(self.sql[name], self.pending[name])
            self.pending[name] = []

    def remove(self, entries: list[tuple[str, str]]) -> None:
        """Delete every row of these (kind, key) entries (keys as in the tables: lower case)."""
        if not entries:
            return
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS gone (kind TEXT, key TEXT)")
        self.conn.execute("DELETE FROM gone")
        self.conn.executemany("INSERT INTO gone VALUES (?, ?)", entries)
        for name in ENTRY_TABLES:
            if name == "provider_countries":
                self.conn.execute("DELETE FROM provider_countries WHERE provider IN "
                                  "(SELECT key FROM gone WHERE kind = 'providers')")
            else:
                self.conn.execute(f'DELETE FROM "{name}" WHERE (kind, key) IN (SELECT kind, key FROM gone)')

    def replace(self, name: str, rows: list[dict]) -> None:
        """Every row of a table that is written whole each build (meta, sources)."""
        self._flush(name)
        self.conn.execute(f'DELETE FROM "{name}"')
        self.insert(name, rows)

    def remove_where(self, name: str, column: str, value: str) -> None:
        self._flush(name)
        self.conn.execute(f'DELETE FROM "{name}" WHERE "{column}" = ?', (value,))

    def close(self) -> None:
        for name in TABLES:
            self._flush(name)
        if not self.patching:
            for table, cols in INDEXES.items():
                self.conn.execute(f'CREATE INDEX "idx_{table}_{"_".join(cols)}" ON "{table}" '
                                  f'({", ".join(chr(34) + c + chr(34) for c in cols)})')
            for index, (table, cols) in PATCH_INDEXES.items():
                self.conn.execute(f'CREATE INDEX "idx_{index}" ON "{table}" ({", ".join(cols)})')
        self.conn.commit()
        self.conn.execute("PRAGMA journal_mode=DELETE")
        self.conn.close()

    def abort(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass
