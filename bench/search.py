"""Search benchmark: latency of kb.search.Searcher at 5,000 entries, with and without facets, the
memory of a process holding a Searcher, and relevance on the real content, in one run.

Run:  .venv/bin/python bench/search.py                          (generates and builds both corpora)
      .venv/bin/python bench/search.py --build-dir /tmp/kb5k/build  (an existing 5,000-entry build)
      .venv/bin/python bench/search.py --entries 1000            (quicker)

The large corpus is bench/generate.py's (the real content plus generated copies of real providers
and topics), built with `python -m kb build --out`; the real content is built the same way into a
temporary folder. Latency: the relevance set (tests/relevance.py) twice through one fresh
Searcher per mode, every search timed, p50 and p95, facets off (the API and tests) and on (the
search page). Memory: RSS of a fresh process after importing kb.search, after opening a Searcher
on the large build, and after the query set with facets. Relevance: recall@1, recall@3 and MRR
on the real build (tests/test_relevance.py asserts recall@3 >= 0.9). Targets: p95 <= 20 ms at
5,000 entries; a worker under 150 MB (the searcher's share is printed).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kb.search import Searcher  # noqa: E402

from relevance import QUERIES, rank_of  # noqa: E402

TARGET_P95_MS = 20.0
TARGET_WORKER_MB = 150.0


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def build(content: Path, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kb", "build", "--content", str(content), "--out", str(out)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def index_of(build_dir: Path) -> Path:
    return build_dir / "current" / "index"


def latency(index: Path, facets: bool, rounds: int = 2) -> tuple[float, float, float, float]:
    """(open ms, p50 ms, p95 ms, p95 ms of the last round alone) of the relevance set `rounds`
    times through one fresh Searcher (the first round also reads each term's postings)."""
    t0 = time.perf_counter()
    searcher = Searcher(index)
    open_ms = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(rounds):
        for q, _expected in QUERIES:
            t0 = time.perf_counter()
            searcher.search(q, limit=20, facets=facets)
            times.append((time.perf_counter() - t0) * 1000)
    searcher.close()
    return open_ms, percentile(times, 50), percentile(times, 95), percentile(times[-len(QUERIES):], 95)


def relevance(index: Path) -> tuple[float, float, float]:
    searcher = Searcher(index)
    r1 = r3 = mrr = 0.0
    for q, expected in QUERIES:
        rank = rank_of([r.url for r in searcher.search(q, limit=10, facets=False).results], expected)
        r1 += rank == 1
        r3 += bool(rank and rank <= 3)
        mrr += 1 / rank if rank else 0
    searcher.close()
    n = len(QUERIES)
    return r1 / n, r3 / n, mrr / n


RSS_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[2])
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
from relevance import QUERIES
import kb.search
out = {"imported": rss()}
s = kb.search.Searcher(sys.argv[1])
out["opened"] = rss()
for q, _ in QUERIES:
    s.search(q, limit=20, facets=True)
out["searched"] = rss()
print(json.dumps(out))
"""


def memory(index: Path) -> dict[str, float]:
    """RSS (MB) of a fresh process: after importing kb.search, opening a Searcher, searching."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", RSS_PROBE, str(index), str(ROOT / "tests")], cwd=ROOT,
                          env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-dir", type=Path, help="an existing build of the large corpus (its build/ folder)")
    ap.add_argument("--real-build-dir", type=Path, help="an existing build of content/ (else built here)")
    ap.add_argument("--entries", type=int, default=5000, help="entries of the generated corpus")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-search-"))
    try:
        real_build = args.real_build_dir
        if real_build is None:
            real_build = tmp / "real"
            print(f"building the real content: {build(ROOT / 'content', real_build):.0f} s", file=sys.stderr)
        large_build = args.build_dir
        if large_build is None:
            sys.path.insert(0, str(ROOT / "bench"))
            from generate import generate

            n = generate(tmp / "content", entries=args.entries)
            large_build = tmp / "large"
            print(f"building {n} generated entries: {build(tmp / 'content', large_build):.0f} s", file=sys.stderr)
        rows = []
        for corpus, folder in (("real", real_build), ("large", large_build)):
            index = index_of(folder)
            docs = Searcher(index)
            n_docs = docs.ix.doc_count()
            docs.close()
            for facets in (False, True):
                rows.append((corpus, n_docs, "on" if facets else "off", *latency(index, facets)))
        r1, r3, mrr = relevance(index_of(real_build))
        mem = memory(index_of(large_build))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"queries: the relevance set ({len(QUERIES)}) twice per mode, limit 20, one fresh Searcher per mode")
    print(f"{'corpus':<6} {'docs':>6} {'facets':>6} {'open ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'p95/target':>10} "
          f"{'2nd-round p95':>13}")
    for corpus, n_docs, facets, open_ms, p50, p95, warm in rows:
        print(f"{corpus:<6} {n_docs:>6} {facets:>6} {open_ms:>8.0f} {p50:>7.1f} {p95:>7.1f} "
              f"{p95 / TARGET_P95_MS:>10.2f} {warm:>13.1f}")
    print(f"relevance on the real build: recall@1 {r1:.3f}  recall@3 {r3:.3f}  MRR {mrr:.3f}")
    print(f"RSS of a process on the large build: {mem['imported']:.0f} MB after importing kb.search, "
          f"{mem['opened']:.0f} MB with a Searcher open (+{mem['opened'] - mem['imported']:.0f}), "
          f"{mem['searched']:.0f} MB after the query set with facets "
          f"(searcher's share +{mem['searched'] - mem['imported']:.0f} MB; worker target {TARGET_WORKER_MB:.0f} MB)")


if __name__ == "__main__":
    main()
