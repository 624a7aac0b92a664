"""Read content files: YAML front matter and Markdown sections, keeping line numbers.

Nothing here judges the content (that is `kb.schema`); this module only turns bytes on disk
into `Entry` objects and reports what it could not read as `Problem`s, never as exceptions.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from kb.kinds import KINDS as DECLARED_KINDS
from kb.problems import Problem
from kb.yamlload import MAX_YAML_DEPTH, load_yaml  # noqa: F401 - MAX_YAML_DEPTH: one of this module's names

KINDS = tuple(DECLARED_KINDS)  # the folders under content/, declared in kb.kinds
# Limits that keep the check fast and its memory bounded whatever a file holds.
MAX_FILE_BYTES = 512 * 1024  # the largest entry is ~14 KB; a file over this is refused unread
HEADING_RE = re.compile(r"^##\s+(.+?)\s*#*\s*$")
FENCE_RE = re.compile(r"^(```|~~~)")


@dataclass
class Section:
    title: str
    line: int  # line of the heading in the file (1-based)
    markdown: str
    id: str = ""  # filled in by the schema (fixed ids) or slugified for topics


@dataclass
class Entry:
    kind: str  # countries | providers | topics
    path: str  # path relative to the content dir, e.g. countries/nl.md
    key: str  # file stem: iso2 code in lower case, or slug
    front: dict
    lines: dict  # tuple(path) -> line number of that key or item in the file
    sections: list[Section]
    intro: str  # Markdown before the first ## heading
    body_line: int  # line where the body starts
    digest: str

    def line_of(self, *path) -> int:
        """Line of the deepest known prefix of `path` (falls back to line 1)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


@dataclass
class SourceFile:
    path: str
    sources: dict  # id -> mapping
    lines: dict  # id -> line, (id, field) -> line
    digest: str


def slugify(text: str) -> str:
    text = text.lower().replace("24/7", "24-7")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def split_sections(body: str, body_line: int) -> tuple[str, list[Section]]:
    intro: list[str] = []
    sections: list[Section] = []
    current: list[str] = intro
    in_fence = False
    for offset, raw in enumerate(body.split("\n")):
        if FENCE_RE.match(raw.strip()):
            in_fence = not in_fence
        m = None if in_fence else HEADING_RE.match(raw)
        if m:
            sections.append(Section(title=m.group(1).strip(), line=body_line + offset, markdown=""))
            current = []
            sections[-1].markdown = current  # type: ignore[assignment]
        else:
            current.append(raw)
    for s in sections:  # keep leading blank lines so that line numbers stay exact
        s.markdown = "\n".join(s.markdown).rstrip()  # type: ignore[arg-type]
    return "\n".join(intro).rstrip(), sections


FILE_TYPES = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a named pipe", stat.S_ISCHR: "a device",
              stat.S_ISBLK: "a device", stat.S_ISSOCK: "a socket"}


def _kind_of(mode: int) -> str:
    return next((what for test, what in FILE_TYPES.items() if test(mode)), "not a regular file")


def inside(root: Path, path: Path, problems: list[Problem], what: str = "file") -> Path | None:
    """The real path of `path` if it resolves inside the content folder, else a problem."""
    rel = path.relative_to(root).as_posix()
    try:
        real = path.resolve(strict=True)
    except (RuntimeError, OSError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40:  # ELOOP
            problems.append(Problem(rel, 1, what, "this is a symbolic link that loops back on itself",
                                    "replace the link with the file itself"))
        elif isinstance(exc, FileNotFoundError):
            problems.append(Problem(rel, 1, what, "this is a symbolic link to something that does not exist",
                                    "replace the link with the file itself, or remove it"))
        else:
            problems.append(Problem(rel, 1, what, f"the {what} cannot be read ({_reason(exc)})",
                                    "check that it exists and is readable"))
        return None
    if not real.is_relative_to(root.resolve()):
        problems.append(Problem(rel, 1, what, f"this {what} is a symbolic link to somewhere outside the content "
                                "folder, which is neither checked nor published",
                                f"copy the {what} into the content folder instead of linking to it"))
        return None
    return real


def _reason(exc: OSError) -> str:
    return "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc)).lower()


def read_bytes(root: Path, file: Path, problems: list[Problem]) -> bytes | None:
    """The bytes of a regular file inside the content folder, at most MAX_FILE_BYTES; anything else
    (named pipe, device, folder, link outside or looping, unreadable, too large) is a problem.
    Nothing is opened before it is known to be a regular file, and then without blocking."""
    rel = file.relative_to(root).as_posix()
    real = inside(root, file, problems)
    if real is None:
        return None
    try:
        mode = os.lstat(real).st_mode
        if not stat.S_ISREG(mode):
            problems.append(Problem(rel, 1, "file", f"this is {_kind_of(mode)}, not a regular file",
                                    "entries and sources are plain text files; remove it"))
            return None
        fd = os.open(str(real), os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # replaced between the two looks
                problems.append(Problem(rel, 1, "file", f"this is {_kind_of(st.st_mode)}, not a regular file",
                                        "entries and sources are plain text files; remove it"))
                return None
            chunks, size = [], 0
            while size <= MAX_FILE_BYTES:
                chunk = os.read(fd, min(1 << 16, MAX_FILE_BYTES + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        problems.append(Problem(rel, 1, "file", f"the file cannot be read ({_reason(exc)})",
                                "check its permissions (it must be readable by the user running the check)"))
        return None
    if size > MAX_FILE_BYTES or st.st_size > MAX_FILE_BYTES:
        problems.append(Problem(rel, 1, "file", f"the file is {max(size, st.st_size) // 1024} KB; a file may hold "
                                f"at most {MAX_FILE_BYTES // 1024} KB",
                                "split it, or move long quotations out (link to the source instead)"))
        return None
    return b"".join(chunks)


def _decode(raw: bytes, rel: str, problems: list[Problem]) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "file", f"the file is not valid UTF-8 (byte {exc.start})",
                                "save the file as UTF-8"))
        return None


def read_entry(root: Path, file: Path, problems: list[Problem]) -> Entry | None:
    rel = file.relative_to(root).as_posix()
    raw = read_bytes(root, file, problems)
    if raw is None:
        return None
    digest = hashlib.sha256(raw).hexdigest()
    if b"\x00" in raw:
        problems.append(Problem(rel, 1, "file", "this is a binary file, not a Markdown entry",
                                "remove it or replace it with a Markdown entry"))
        return None
    text = _decode(raw, rel, problems)
    if text is None:
        return None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        problems.append(Problem(rel, 1, "file", "the file is empty",
                                "start it with front matter between two '---' lines (see `python -m kb new`)"))
        return None
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problems.append(Problem(rel, 1, "front matter", "the file does not start with '---'",
                                "put the YAML front matter between two '---' lines at the top"))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem(rel, 1, "front matter", "the front matter is never closed",
                                "add a line with '---' after the last YAML line"))
        return None
    front, field_lines = load_yaml("\n".join(lines[1:end]), rel, 2, problems)
    if front is None and not any(p.path == rel for p in problems):
        problems.append(Problem(rel, 2, "front matter", "the front matter is empty",
                                "add the required fields (see `python -m kb new`)"))
    if front is None:
        return None
    if not isinstance(front, dict):
        problems.append(Problem(rel, 2, "front matter",
                                f"expected a mapping of field: value, received a {type(front).__name__}",
                                "write one 'field: value' per line"))
        return None
    body_line = end + 2
    intro, sections = split_sections("\n".join(lines[end + 1:]), body_line)
    kind = rel.split("/", 1)[0]
    return Entry(kind=kind, path=rel, key=file.stem, front=front, lines=field_lines, sections=sections,
                 intro=intro, body_line=body_line, digest=digest)


def source_files(root: Path, problems: list[Problem]) -> list[Path]:
    """The bibliography files: content/sources.yaml and content/sources/*.yaml."""
    files = []
    single = root / "sources.yaml"
    if os.path.lexists(single):
        files.append(single)
    folder = root / "sources"
    if os.path.lexists(folder) and inside(root, folder, problems, "folder") is not None and folder.is_dir():
        files += sorted(folder.glob("*.yaml"))
    return files


def parse_sources(rel: str, raw: bytes, problems: list[Problem]) -> SourceFile | None:
    """One bibliography file from its bytes."""
    text = _decode(raw, rel, problems)
    if text is None:
        return None
    data, lines = load_yaml(text, rel, 1, problems)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(Problem(rel, 1, "sources", f"expected a mapping of source id: details, received a "
                                f"{type(data).__name__}",
                                "write 'my-source-id:' then indented title, url, accessed"))
        return None
    return SourceFile(path=rel, sources=data,
                      lines={(k[0] if len(k) == 1 else k): v for k, v in lines.items() if len(k) <= 2},
                      digest=hashlib.sha256(raw).hexdigest())


def read_sources(root: Path, problems: list[Problem]) -> list[SourceFile]:
    out = []
    for file in source_files(root, problems):
        raw = read_bytes(root, file, problems)
        parsed = None if raw is None else parse_sources(file.relative_to(root).as_posix(), raw, problems)
        if parsed is not None:
            out.append(parsed)
    return out


def entry_files(root: Path, problems: list[Problem]):
    """Every candidate entry file (`<kind>/<name>.md`), kind by kind in file-name order; other
    files in those folders are problems."""
    for kind in KINDS:
        folder = root / kind
        if not os.path.lexists(folder) or inside(root, folder, problems, "folder") is None or not folder.is_dir():
            continue
        with os.scandir(folder) as it:  # the listing knows what is a folder: no stat per file
            names = sorted((d.name, d.is_dir(follow_symlinks=False)) for d in it)
        for name, is_folder in names:
            if name.startswith(".") or is_folder:
                continue
            if not name.endswith(".md"):
                problems.append(Problem(f"{kind}/{name}", 1, "file", f"'{name}' is not a Markdown entry",
                                        "entries are .md files; move or rename it"))
                continue
            yield folder / name


def read_tree(root: Path, problems: list[Problem]) -> tuple[list[Entry], list[SourceFile]]:
    """Read every entry and source file under `root`. Unreadable files become problems."""
    entries = []
    for file in entry_files(root, problems):
        entry = read_entry(root, file, problems)
        if entry:
            entries.append(entry)
    return entries, read_sources(root, problems)
