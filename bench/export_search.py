"""Offline search of the static export: the relevance set run in Chromium from file://.

Run:  .venv/bin/python bench/export_search.py                    (builds content/, exports, measures)
      .venv/bin/python bench/export_search.py --build-dir build  (export an existing build)

Exports the build, opens `search.html` from file:// in Debian's /usr/bin/chromium (Playwright),
runs every query of tests/relevance.py through the page's own `kbSearch` (the function the
search form calls) and reports recall@1, recall@3, MRR and per-query latency in the browser,
next to kb.search (Whoosh, on the server) on the same build. Goal: recall@3 >= 0.9 offline.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from relevance import QUERIES, rank_of  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def measures(ranks):
    n = len(ranks)
    return (sum(r == 1 for r in ranks) / n, sum(bool(r and r <= 3) for r in ranks) / n,
            sum(1 / r for r in ranks if r) / n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", type=Path)
    ap.add_argument("--content", type=Path, default=ROOT / "content")
    ap.add_argument("--verbose", action="store_true", help="print every miss")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from kb.export import export
    from kb.search import Searcher

    tmp = Path(tempfile.mkdtemp(prefix="kb-export-"))
    try:
        build_dir = args.build_dir
        if build_dir is None:
            from kb.build import build

            build_dir = tmp / "build"
            build(args.content, build_dir)
        started = time.perf_counter()
        result = export(build_dir, tmp / "site")
        export_s = time.perf_counter() - started
        print(result.summary())
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            started = time.perf_counter()
            page.goto((tmp / "site" / "search.html").as_uri())
            page.wait_for_function("typeof window.kbSearch === 'function'")
            load_s = time.perf_counter() - started
            offline = page.evaluate("""(queries) => queries.map(q => {
                const t = performance.now();
                const urls = kbSearch(q, 10).results.map(r => r.url);
                return [urls, performance.now() - t];
            })""", [q for q, _ in QUERIES])
            browser.close()
        searcher = Searcher(Path(build_dir) / "current" / "index")
        server = []
        for q, _ in QUERIES:
            t = time.perf_counter()
            urls = [r.url for r in searcher.search(q, limit=10, facets=False).results]
            server.append((urls, (time.perf_counter() - t) * 1000))
        searcher.close()
        print(f"\nexport {export_s:.1f} s; search page with its index loads from file:// in {load_s:.2f} s\n")
        print("| engine | queries | recall@1 | recall@3 | MRR | p50 ms | p95 ms |\n|---|---:|---:|---:|---:|---:|---:|")
        for label, rows in (("offline (browser, file://)", offline), ("kb.search (Whoosh, server)", server)):
            ranks = [rank_of(urls, expected) for (urls, _), (_, expected) in zip(rows, QUERIES, strict=True)]
            r1, r3, mrr = measures(ranks)
            times = sorted(ms for _, ms in rows)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"| {label} | {len(rows)} | {r1:.2f} | {r3:.2f} | {mrr:.2f} | {statistics.median(times):.1f} | "
                  f"{p95:.1f} |")
            if args.verbose or label.startswith("offline"):
                for (urls, _), (q, expected), rank in zip(rows, QUERIES, ranks, strict=True):
                    if not rank or rank > 3:
                        print(f"   miss: {q!r}: expected {expected}, got {urls[:3]}")
        ranks = [rank_of(urls, e) for (urls, _), (_, e) in zip(offline, QUERIES, strict=True)]
        print("\noffline recall@3 goal (>= 0.9):", "met" if measures(ranks)[1] >= 0.9 else "NOT met")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
