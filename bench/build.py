"""Build benchmark at scale, side by side with MkDocs on the same Markdown, in one run.

Run:  .venv/bin/pip install mkdocs==1.6.1        (pinned in requirements-dev.txt)
      .venv/bin/python bench/build.py                 (5,000 entries)
      .venv/bin/python bench/build.py --entries 1000 --no-mkdocs   (quicker)

Generates the corpus with bench/generate.py into a temp dir, then, each step in a fresh
process: a full build, a rebuild with nothing changed, a rebuild after editing one entry file,
and `mkdocs build` of the same Markdown files (default theme). Reports wall time of the build
call and of the whole command, and peak memory: ru_maxrss of the build process plus the peak of
its indexing process (a full build indexes in a second process), a bound on what the two held at
once. Targets: full build
<= 1/4 of MkDocs; peak <= 300 MB; no-change rebuild <= 0.5 s; one-file-edit rebuild <= 2 s.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from kb.build import build
t = time.perf_counter()
r = build({content!r}, {out!r})
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children = r.index_peak_mb if r.status == "built" else 0.0  # the indexing process's own peak (VmHWM), if any
print(json.dumps({{"seconds": time.perf_counter() - t, "status": r.status, "summary": r.summary(),
                  "peak_mb": own + children, "own_mb": own, "child_mb": children}}))
"""


def run_build(content: Path, out: Path, code: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD.format(root=str(code), content=str(content), out=str(out))],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"the build failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def run_mkdocs(content: Path, work: Path) -> dict | None:
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        print("MkDocs is not installed: `.venv/bin/pip install mkdocs==1.6.1` (requirements-dev.txt), then run "
              "again, or pass --no-mkdocs.")
        return None
    docs = work / "docs"
    shutil.copytree(content, docs, ignore=shutil.ignore_patterns("*.yaml", "*.yml"))
    (work / "mkdocs.yml").write_text("site_name: bench\ndocs_dir: docs\nsite_dir: site\n", encoding="utf-8")
    child = ("import resource, subprocess, sys, time\n"
             "t = time.perf_counter()\n"
             "from mkdocs.__main__ import cli\n"
             "try:\n"
             "    cli(['build', '-q', '-f', sys.argv[1]])\n"
             "except SystemExit as exc:\n"
             "    assert not exc.code, exc.code\n"
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", child, str(work / "mkdocs.yml")], capture_output=True, text=True,
                          cwd=work)
    wall = time.perf_counter() - started
    if proc.returncode:
        print(f"mkdocs failed: {proc.stderr[-1500:]}")
        return None
    seconds, peak = (float(x) for x in proc.stdout.split()[-2:])
    return {"seconds": seconds, "wall": wall, "peak_mb": peak}


def edit_one(content: Path) -> Path:
    path = sorted((content / "providers").glob("*-g*.md"))[len(list((content / "providers").glob("*-g*.md"))) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\nEdited for the benchmark: one more plain sentence.\n", encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--content", type=Path, default=ROOT / "content", help="real content to generate from")
    ap.add_argument("--no-mkdocs", action="store_true")
    ap.add_argument("--keep", type=Path, help="move the corpus and its build here afterwards (for bench/serve.py)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kb-buildbench-"))
    try:
        content = tmp / "content"
        n = generate(content, args.entries, args.content)
        files = sum(1 for _ in content.rglob("*") if _.is_file())
        print(f"{n} entries ({files} files) generated from {args.content}", flush=True)
        out = tmp / "build"
        # The code as it is now, copied: the tree is shared, and an edit elsewhere in kb/ during the run
        # would change the code digest, which makes the next build a full one.
        code = tmp / "code"
        shutil.copytree(ROOT / "kb", code / "kb", ignore=shutil.ignore_patterns("__pycache__"))
        rows = []

        def step(label, r):
            rows.append((label, r))
            print(f"{label}: {r['seconds']:.2f} s (command {r['wall']:.2f} s), peak {r['peak_mb']:.0f} MB "
                  f"(build process {r['own_mb']:.0f} + indexing process {r['child_mb']:.0f}), {r['status']}",
                  flush=True)

        step("full build", run_build(content, out, code))
        step("rebuild, nothing changed", run_build(content, out, code))
        edited = edit_one(content)
        step(f"rebuild after editing {edited.relative_to(content)}", run_build(content, out, code))
        mk = None if args.no_mkdocs else run_mkdocs(content, tmp / "mkdocs")
        print(f"\n| step | build s | command s | peak MB | result |\n|---|---:|---:|---:|---|")
        for label, r in rows:
            print(f"| {label} | {r['seconds']:.2f} | {r['wall']:.2f} | {r['peak_mb']:.0f} | {r['status']} |")
        if mk:
            print(f"| MkDocs 1.6 build of the same Markdown | {mk['seconds']:.2f} | {mk['wall']:.2f} | "
                  f"{mk['peak_mb']:.0f} | |")
        full, same, edit = (r for _, r in rows)
        print()
        if mk:
            ratio = full["seconds"] / mk["seconds"]
            print(f"full build / MkDocs: {ratio:.2f} (target <= 0.25): {'met' if ratio <= 0.25 else 'NOT met'}")
        print(f"peak memory {full['peak_mb']:.0f} MB (target <= 300): {'met' if full['peak_mb'] <= 300 else 'NOT met'}")
        print(f"no-change rebuild {same['seconds']:.2f} s (target <= 0.5): "
              f"{'met' if same['seconds'] <= 0.5 else 'NOT met'}")
        print(f"one-file-edit rebuild {edit['seconds']:.2f} s (target <= 2): "
              f"{'met' if edit['seconds'] <= 2 else 'NOT met'}")
        print("\n" + edit["summary"])
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            args.keep.mkdir(parents=True)
            shutil.move(str(content), args.keep / "content")
            shutil.move(str(out), args.keep / "build")
            print(f"kept the corpus and its build in {args.keep}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
