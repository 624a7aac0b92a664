"""Change history of every entry, read from git at build time and stored as `<build>/history.json`.

One `git log --name-only` pass over the content folder finds the commits (newest first, at most
`PER_FILE` per entry file), one `git cat-file --batch` process reads each version's and its
parent's file, and their front matter is compared fact by fact: added, removed, new value.
Without git (a tarball) the build records that history is unavailable; a shallow clone gives the
history it has and says where it stops.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from functools import lru_cache
from pathlib import Path

import yaml

from kb.kinds import KINDS as DECLARED_KINDS

HISTORY_FILE = "history.json"
PER_FILE = 20  # commits kept per entry file
MAX_COMMITS = 2000  # commits read from the log at most
RECENT = 300  # changes kept for /changes
SEP_COMMIT, SEP_FIELD = "\x1e", "\x1f"
KINDS = tuple(DECLARED_KINDS)  # declared in kb.kinds


def _git(repo: Path, *args, data: bytes | None = None, timeout: float = 60) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=True,
                          timeout=timeout).stdout


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: old versions are many


@lru_cache(maxsize=4096)
def front_matter(text: str) -> dict:
    """The YAML front matter of an entry file, or {} when it has none or does not parse."""
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    try:
        data = yaml.load(text[3:end], Loader=LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def unwrap(value):
    """A fact's value without its per-value source: {value: x, source: y} -> x."""
    if isinstance(value, dict):
        if "value" in value:
            return unwrap(value["value"])
        return {k: unwrap(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def flatten(data, prefix: str = "") -> dict[str, str]:
    """{dotted path: value as text} of every leaf of the front matter."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(data, list) and any(isinstance(x, (dict, list)) for x in data):
        for i, v in enumerate(data):
            out.update(flatten(v, f"{prefix}{i}."))
    else:
        if isinstance(data, list):
            value = "; ".join(map(str, data))
        elif isinstance(data, (dt.date, dt.datetime)):
            value = data.isoformat()
        else:
            value = "" if data is None else str(data)
        out[prefix.rstrip(".")] = value
    return out


def diff(old: dict, new: dict) -> list[dict]:
    """What changed between two front matters, in the order of the newer one (sources aside)."""
    a, b = flatten(unwrap(old)), flatten(unwrap(new))
    changes = []
    for k, v in b.items():
        if k not in a:
            changes.append({"field": k, "change": "added", "new": v})
        elif a[k] != v:
            changes.append({"field": k, "change": "changed", "old": a[k], "new": v})
    changes += [{"field": k, "change": "removed", "old": v} for k, v in a.items() if k not in b]
    return changes


def unavailable(reason: str) -> dict:
    return {"available": False, "reason": reason, "shallow": False, "entries": {}, "recent": []}


def collect(content_dir: Path, entry_paths: dict[str, tuple[str, str]]) -> dict:
    """History for `entry_paths` ({path relative to content_dir: (kind, key)})."""
    content_dir = Path(content_dir).resolve()
    try:
        top = Path(_git(content_dir, "rev-parse", "--show-toplevel").decode().strip())
        shallow = _git(content_dir, "rev-parse", "--is-shallow-repository").decode().strip() == "true"
    except (OSError, subprocess.SubprocessError):
        return unavailable("This copy of the knowledge base has no git history (for example it was unpacked "
                           "from an archive), so changes cannot be listed.")
    rel = content_dir.relative_to(top).as_posix() if content_dir != top else ""
    prefix = f"{rel}/" if rel else ""
    try:
        log = _git(top, "log", f"--max-count={MAX_COMMITS}", "--no-renames", "--name-only",
                   f"--format={SEP_COMMIT}%H{SEP_FIELD}%P{SEP_FIELD}%aI{SEP_FIELD}%s", "--", rel or ".").decode()
    except (OSError, subprocess.SubprocessError):
        return unavailable("git could not read the history of the content folder.")
    wanted = {prefix + p: p for p in entry_paths}
    per_file: dict[str, list[dict]] = {}
    oldest = ""
    for block in log.split(SEP_COMMIT)[1:]:
        head, _, names = block.partition("\n")
        sha, parents, date, subject = (head.split(SEP_FIELD) + ["", "", "", ""])[:4]
        oldest = date
        for name in names.split("\n"):
            name = name.strip()
            if name in wanted and len(per_file.setdefault(name, [])) < PER_FILE:
                per_file[name].append({"commit": sha, "parent": parents.split(" ")[0] if parents else "",
                                       "date": date, "message": subject})
    # read every version and its parent's version in one cat-file process
    requests = []
    for name, commits in per_file.items():
        for c in commits:
            requests.append(f"{c['commit']}:{name}")
            if c["parent"]:
                requests.append(f"{c['parent']}:{name}")
    blobs = _batch(top, requests) if requests else {}
    entries: dict[str, list[dict]] = {}
    recent = []
    for name, commits in per_file.items():
        kind, key = entry_paths[wanted[name]]
        rows = []
        for c in commits:
            new_text = blobs.get(f"{c['commit']}:{name}")
            old_text = blobs.get(f"{c['parent']}:{name}") if c["parent"] else None
            row = {"commit": c["commit"][:12], "date": c["date"], "message": c["message"]}
            if new_text is None:
                row.update(event="removed", changes=[])
            elif old_text is None:
                row.update(event="created" if c["parent"] or not shallow else "first seen", changes=[])
            else:
                row.update(event="changed", changes=diff(front_matter(old_text), front_matter(new_text)),
                           text_changed=_body(old_text) != _body(new_text))
            rows.append(row)
            recent.append(dict(row, kind=kind, key=key))
        entries[f"{kind}/{key}"] = rows
    recent.sort(key=lambda r: r["date"], reverse=True)
    return {"available": True, "shallow": shallow, "reason": "", "starts": oldest if shallow else "",
            "per_file": PER_FILE, "entries": entries, "recent": recent[:RECENT]}


def _body(text: str) -> str:
    end = text.find("\n---", 3) if text.startswith("---") else -1
    return text[end + 4:].strip() if end >= 0 else text.strip()


def _batch(repo: Path, names: list[str]) -> dict[str, str]:
    """{"<commit>:<path>": text} for every object that exists, read by one `git cat-file --batch`."""
    out = _git(repo, "cat-file", "--batch", data=("\n".join(names) + "\n").encode(), timeout=120)
    result: dict[str, str] = {}
    pos = 0
    for name in names:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].decode(errors="replace").split()
        pos = nl + 1
        if len(header) >= 2 and header[-1] == "missing":
            continue
        size = int(header[2])
        result[name] = out[pos:pos + size].decode("utf-8", errors="replace")
        pos += size + 1
    return result


def write(build_dir: Path, content_dir: Path, entries: list[dict]) -> dict:
    """Compute and store the history of the built entries; never fails the build."""
    paths = {e["path"]: (e["kind"], e["key"]) for e in entries if e["kind"] in KINDS}
    try:
        doc = collect(content_dir, paths)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        doc = unavailable(f"The history could not be read from git ({type(exc).__name__}).")
    doc["generated"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    (Path(build_dir) / HISTORY_FILE).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return doc
