"""Publishing builds: one build writes at a time (`<out>/.lock`), `<out>/current` is switched
with one atomic rename, old builds are pruned, and a write fault becomes one sentence."""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
from pathlib import Path

from kb.problems import BuildError

KEEP_BUILDS = 3


def current_dir(out: Path) -> Path | None:
    link = Path(out) / "current"
    return link.resolve() if link.exists() else None


def lock(out_dir: Path) -> int:
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


def write_error(exc: BaseException, out_dir: Path) -> BuildError:
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
        why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        fix = "check the folder and build again"
    try:
        previous = current_dir(out_dir)
    except OSError:
        previous = None
    then = "the previous build is still current" if previous else "there is no previous build to serve"
    return BuildError(f"cannot write the build in {out_dir}: {why}; {fix}. Nothing was published; {then}.")


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
