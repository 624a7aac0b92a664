"""Writing the index of one build (it is only read afterwards).

A full build adds every document to a new index. A rebuild starts from the previous build's
index: its files are hard-linked into the new build (Whoosh never rewrites a segment file; a
commit writes new segments and a new table of contents, and removing a file in the new folder
only drops the link), the changed entries' documents are deleted by entry and their new ones
added, and Whoosh's usual merge of small segments keeps the number of segments low.
"""
from __future__ import annotations

import itertools
import marshal
import os
import shutil
import types
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh.writing import PostingPool

from kb.search.documents import SCHEMA

INDEX_NAME = "MAIN"
LIMIT_MB = 48  # postings held in memory before Whoosh sorts them to a run on disk
# Deleted documents still count in Whoosh's BM25 statistics (document count, document frequencies,
# average field length) until their segment is rewritten, so an updated index ranks a little
# differently from a new one; once more than this share of its documents are deleted, the update
# merges every segment, which drops them and makes the statistics exact again.
MAX_DELETED = 0.1


RUN_CHUNK = 20_000  # postings per marshalled chunk of a sorted run


class _Pool(PostingPool):
    """Whoosh's posting pool with cheaper bookkeeping: the same size estimate without its type
    asserts (and without the field names only its multiprocessing writer reads), and sorted runs
    written as marshalled chunks instead of one pickle per posting (the postings, their order and
    so the index are the same)."""

    def add(self, item):
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f, items):
        items = iter(items)
        while chunk := list(itertools.islice(items, RUN_CHUNK)):
            data = marshal.dumps(chunk)
            f.write(len(data).to_bytes(8, "little") + data)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while head := f.read(8):
                yield from marshal.loads(f.read(int.from_bytes(head, "little")))
        finally:
            f.close()
            self._remove_run(path)


class _Lengths:
    """A segment's field lengths read once per field: Whoosh asks for a document's length once
    per posting when it writes the postings."""

    def __init__(self, reader):
        self.reader = reader
        self.columns: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        column = self.columns.get(fieldname)
        if column is None:
            column = self.columns[fieldname] = [self.reader.doc_field_length(d, fieldname, default)
                                                for d in range(self.reader.doc_count_all())]
        return column[docnum]

    def close(self) -> None:
        self.reader.close()


def _flush_segment(self) -> None:
    """SegmentWriter._flush_segment, with the field lengths read through `_Lengths`."""
    self.perdocwriter.close()
    lengths = _Lengths(self.per_document_reader()) if self.codec.length_stats else None
    self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
    self.fieldwriter.close()
    if lengths:
        lengths.close()


def _writer(ix):
    writer = ix.writer(limitmb=LIMIT_MB)
    writer.pool.__class__ = _Pool
    writer._flush_segment = types.MethodType(_flush_segment, writer)
    return writer


def _prepared(doc: dict) -> dict:
    doc = dict(doc)
    doc["label"] = f"{doc.pop('names')} {doc.pop('heading')}"  # one short field: fewer matchers a query
    return doc


class IndexWriter:
    """The index of the build being written: new (`base` None) or updated from `base`."""

    def __init__(self, path: Path, base: Path | None = None):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.updating = base is not None
        if base is not None:
            for f in Path(base).iterdir():
                if f.is_file() and not f.name.endswith("_LOCK") and not f.name.endswith("WRITELOCK"):
                    try:
                        os.link(f, path / f.name)
                    except OSError:  # another file system: copy
                        shutil.copy2(f, path / f.name)
            ix = windex.open_dir(str(path), indexname=INDEX_NAME)
        else:
            ix = windex.create_in(str(path), SCHEMA, indexname=INDEX_NAME)
        self.writer = _writer(ix)
        self.added = 0

    def delete_entries(self, entries: list[tuple[str, str]]) -> None:
        """Delete every document of these (kind, key) entries."""
        for kind, key in entries:
            self.writer.delete_by_query(wq.And([wq.Term("kind", kind), wq.Term("key", key)]))

    def add(self, docs: list[dict]) -> None:
        for doc in docs:
            self.writer.add_document(**_prepared(doc))
        self.added += len(docs)

    def commit(self) -> None:
        if self.updating:
            segments = self.writer.segments
            total = sum(s.doc_count_all() for s in segments) + self.added
            deleted = sum(s.deleted_count() for s in segments)
            self.writer.commit(optimize=total > 0 and deleted / total > MAX_DELETED)
        else:
            self.writer.commit()

    def cancel(self) -> None:
        try:
            self.writer.cancel()
        except Exception:  # noqa: BLE001 - the build folder is discarded anyway
            pass


def check_opens(path: Path) -> None:
    """Open the index of a build and read its document count and the start of every field's
    terms; raises whatever a damaged or missing index raises (cheaper than a Searcher, which
    also builds the spelling vocabulary)."""
    ix = windex.open_dir(str(path), indexname=INDEX_NAME)
    try:
        with ix.reader() as reader:
            reader.doc_count_all()
            for name in ix.schema.names():
                if ix.schema[name].indexed:
                    next(iter(reader.lexicon(name)), None)
    finally:
        ix.close()


def write_index(path: Path, docs: list[dict], progress=None) -> None:
    """A new index holding `docs` (all at once)."""
    writer = IndexWriter(path)
    for i, doc in enumerate(docs, 1):
        writer.add([doc])
        if progress and (i % 200 == 0 or i == len(docs)):
            progress("indexing", i, len(docs))
    writer.commit()


def update_index(path: Path, base: Path, removed: list[tuple[str, str]], docs: list[dict]) -> None:
    """A new index in `path` made from the index in `base`: the documents of the `removed`
    (kind, key) entries deleted, `docs` added."""
    writer = IndexWriter(path, base)
    writer.delete_entries(removed)
    writer.add(docs)
    writer.commit()
