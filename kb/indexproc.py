"""Writing a build's search index in a second process: a full build renders the next entries while
the child indexes them (the two halves of the work are about equal, so two cores share them)."""
from __future__ import annotations

import pickle
import resource
import subprocess
import sys
from pathlib import Path

from kb.search.index import IndexWriter

BATCH_DOCS = 400  # documents sent to the indexing process at a time


CHILD = ("import sys; sys.path.insert(0, sys.argv[1]); from kb.indexproc import serve; "
         "serve(sys.stdin.buffer, sys.stdout.buffer)")


class IndexProcess:
    """An `IndexWriter` in a child process (a fresh interpreter, fed pickled batches of documents
    on its stdin): a full build renders the next entries while the child indexes, so two cores
    share the work. The pipe's buffer bounds what is in flight. A failure in the child comes back
    as the exception it raised, at `commit`."""

    def __init__(self, path: Path, base: Path | None = None):
        package_root = str(Path(__file__).resolve().parent.parent)  # the folder holding kb/
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
