"""`kb serve --watch`: rebuild on save, and keep the current problems next to the build.

A rebuild that fails its check publishes nothing (the previous build keeps serving) and writes
its problems to `<out>/problems.json` (atomically); the preview site (PREVIEW config flag) shows
them as a banner on every HTML page. A build that succeeds removes the file. The watcher is one
daemon thread using the `watchfiles` library; it only ever calls `rebuild`.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from kb.problems import BuildError, ContentError, Problem

PROBLEMS_FILE = "problems.json"
log = logging.getLogger(__name__)


def problems_path(out_dir: Path | str) -> Path:
    return Path(out_dir) / PROBLEMS_FILE


def write_problems(out_dir: Path | str, problems: list[Problem]) -> None:
    """Replace the problems file in one step (a reader never sees half a file)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = [{"path": p.path, "line": p.line, "field": p.field, "message": p.message, "hint": p.hint,
             "text": str(p)} for p in problems]
    fd, tmp = tempfile.mkstemp(prefix=".problems-", suffix=".json", dir=out)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"problems": rows}, f, ensure_ascii=False, indent=1)
        os.replace(tmp, problems_path(out))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clear_problems(out_dir: Path | str) -> None:
    problems_path(out_dir).unlink(missing_ok=True)


def read_problems(out_dir: Path | str) -> list[dict]:
    """The problems of the last failed rebuild; none if the file is absent or unreadable."""
    try:
        data = json.loads(problems_path(out_dir).read_text(encoding="utf-8"))
        rows = data["problems"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [r for r in rows if isinstance(r, dict) and isinstance(r.get("text"), str)] if isinstance(rows, list) else []


def rebuild(content_dir: Path | str, out_dir: Path | str, today: dt.date | None = None) -> str:
    """Build once; record the outcome in the problems file. Returns a line to print."""
    from kb.build import build

    try:
        result = build(content_dir, out_dir, today=today)
    except ContentError as exc:
        write_problems(out_dir, exc.problems)
        return (f"{len(exc.problems)} problem(s); nothing was published, the previous build is still current:\n"
                + "\n".join(str(p) for p in exc.problems))
    except BuildError as exc:  # the folder cannot be written: say so in the banner too
        write_problems(out_dir, [Problem(str(out_dir), 0, "build", str(exc))])
        return str(exc)
    clear_problems(out_dir)
    return result.summary()


def start(content_dir: Path | str, out_dir: Path | str, echo: Callable[[str], None] = print,
          stop: threading.Event | None = None) -> threading.Thread:
    """Watch `content_dir` in a daemon thread; each batch of changes triggers one `rebuild`."""
    import watchfiles

    stop = stop or threading.Event()

    def loop() -> None:
        for _changes in watchfiles.watch(content_dir, stop_event=stop, debounce=300, raise_interrupt=False):
            try:
                echo(rebuild(content_dir, out_dir))
            except Exception:  # never let the watcher die silently: log it and keep watching
                log.exception("rebuild failed")

    thread = threading.Thread(target=loop, name="kb-watch", daemon=True)
    thread.start()
    return thread
