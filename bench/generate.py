"""Generate a large corpus in the project's own format from the real content.

Run:  .venv/bin/python bench/generate.py OUT [--entries 5000] [--content content]

OUT receives a copy of the real content (countries, providers, topics, sources; entries the
check rejects are left out, with a note) plus generated
provider and topic entries up to --entries in total: each is a real provider or topic file with
a new slug and name (`google-g17`, "Google (g17)"), citing the same real sources, so the corpus
passes `python -m kb check` and builds like the real one. Country entries are not multiplied
(their keys are ISO codes). Deterministic: the same arguments give the same files.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def drop_failing(out: Path, rounds: int = 2) -> list[str]:
    """Remove entry files the current check rejects (content and code can be mid-edit in a shared
    tree), so the corpus builds; return what was removed."""
    sys.path.insert(0, str(ROOT))
    from kb.schema import check

    dropped: list[str] = []
    for _ in range(rounds):
        problems = check(out).problems
        bad = {p.path for p in problems if p.path.endswith(".md")}
        if not bad:
            break
        for rel in bad:
            (out / rel).unlink(missing_ok=True)
        dropped += sorted(bad)
    if dropped:
        print(f"left out {len(dropped)} real entries the check rejects: {', '.join(dropped[:8])}"
              f"{' ...' if len(dropped) > 8 else ''}", file=sys.stderr)
    return dropped


def generate(out: Path, entries: int = 5000, content: Path = ROOT / "content") -> int:
    """Write the corpus into `out` (replaced); return the number of entries written."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(content, out)
    drop_failing(out)
    templates = sorted((out / "providers").glob("*.md")) + sorted((out / "topics").glob("*.md"))
    existing = sum(1 for _ in out.glob("*/*.md")) - sum(1 for _ in (out / "sources").glob("*.md"))
    texts = [(p.parent.name, p.stem, p.read_text(encoding="utf-8")) for p in templates]
    i = 0
    while existing + i < entries:
        folder, slug, text = texts[i % len(texts)]
        new = f"{slug}-g{i}"
        body = re.sub(rf"^slug: {re.escape(slug)}\s*$", f"slug: {new}", text, count=1, flags=re.M)
        body = re.sub(r"^(name|title): (.+)$",
                      lambda m: f"{m.group(1)}: {json.dumps(f'{yaml.safe_load(m.group(2))} (g{i})')}", body,
                      count=1, flags=re.M)
        (out / folder / f"{new}.md").write_text(body, encoding="utf-8")
        i += 1
    return existing + i


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--content", type=Path, default=ROOT / "content")
    args = ap.parse_args()
    n = generate(args.out, args.entries, args.content)
    print(f"Wrote {n} entries into {args.out}.", file=sys.stderr)


if __name__ == "__main__":
    main()
