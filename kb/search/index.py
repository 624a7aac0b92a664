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
import pickle
import resource
import shutil
import subprocess
import sys
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


BATCH_DOCS = 400  # documents sent to the indexing process at a time


CHILD = ("import sys; sys.path.insert(0, sys.argv[1]); from kb.search.index import serve; "
         "serve(sys.stdin.buffer, sys.stdout.buffer)")


class IndexProcess:
    """An `IndexWriter` in a child process (a fresh interpreter, fed pickled batches of documents
    on its stdin): a full build renders the next entries while the child indexes, so two cores
    share the work. The pipe's buffer bounds what is in flight. A failure in the child comes back
    as the exception it raised, at `commit`."""

    def __init__(self, path: Path, base: Path | None = None):
        package_root = str(Path(__file__).resolve().parent.parent.parent)
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD, package_root], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.batch: list[dict] = []
        self.added = 0
        self.peak_mb = 0.0  # the child's peak memory, known after commit
        self._send(("open", (str(path), str(base) if base else None)))

    def _send(self, message: tuple) -> None:
        assert self.proc.stdin is not None
        try:
            pickle.dump(message, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except (BrokenPipeError, ConnectionError):
            self._reply()  # the child stopped: raise what stopped it
            raise

    def delete_entries(self, entries: list[tuple[str, str]]) -> None:
        self._send(("delete", entries))

    def add(self, docs: list[dict]) -> None:
        self.batch += docs
        self.added += len(docs)
        if len(self.batch) >= BATCH_DOCS:
            self._send(("add", self.batch))
            self.batch = []

    def commit(self) -> None:
        if self.batch:
            self._send(("add", self.batch))
            self.batch = []
        self._send(("commit", None))
        try:
            self._reply()
        finally:
            self._close()

    def _close(self) -> None:
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass

    def _reply(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            status, value = pickle.load(self.proc.stdout)
        except (EOFError, pickle.UnpicklingError) as exc:
            code = self.proc.wait()
            raise OSError(f"the indexing process ended unexpectedly (exit code {code})") from exc
        if status == "error":
            raise value
        self.peak_mb = value

    def cancel(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self._close()


def peak_mb() -> float:
    """This process's peak resident memory since it started (VmHWM: unlike ru_maxrss it does not
    count the parent's pages the process held between fork and exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve(stdin, stdout) -> None:
    """The child: apply messages to an IndexWriter until commit; report the outcome on stdout."""
    failure: BaseException | None = None
    writer = None
    while True:
        try:
            kind, value = pickle.load(stdin)
        except EOFError:  # the parent went (killed, or cancelled the build)
            if writer is not None:
                writer.cancel()
            return
        if failure is None:
            try:
                if kind == "open":
                    writer = IndexWriter(Path(value[0]), Path(value[1]) if value[1] else None)
                elif kind == "add" and writer is not None:
                    writer.add(value)
                elif kind == "delete" and writer is not None:
                    writer.delete_entries(value)
                elif kind == "commit" and writer is not None:
                    writer.commit()
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
                failure = exc
                if writer is not None:
                    writer.cancel()
        if kind == "commit":
            try:
                reply = ("error", failure) if failure else ("ok", peak_mb())
                data = pickle.dumps(reply)
            except Exception:  # noqa: BLE001 - an exception that does not pickle: its text
                data = pickle.dumps(("error", OSError(f"{type(failure).__name__}: {failure}")))
            stdout.write(data)
            stdout.flush()
            return


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
