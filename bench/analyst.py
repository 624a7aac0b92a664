"""Costs of the trainer/analyst features on the real content, side by side in one run.

    .venv/bin/python bench/analyst.py [--content content] [--repeat 15]

Build-time steps (bulk files, maps, git history) are timed on their own; pages and exports are
timed through Flask's test client with a query that differs each time, so the page cache never
answers. The baseline row is the countries list; ratios compare against it.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb import bulk, history, mapsvg, store  # noqa: E402
from kb.build import assemble, build  # noqa: E402
from kb.schema import check  # noqa: E402


def timed(fn, repeat):
    out = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out), sorted(out)[max(0, int(len(out) * 0.95) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--content", default="content")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    import datetime as dt

    tmp = Path(tempfile.mkdtemp(prefix="bench-analyst-"))
    t = time.perf_counter()
    res = build(args.content, tmp / "build", force=True)
    total_build = time.perf_counter() - t
    checked = check(Path(args.content))
    tables, _docs = assemble(checked, dt.date.today())
    tables["meta"] = []
    steps = []
    for name, fn in (("bulk files (kb.json, facts.csv, sources.csv)", lambda d: bulk.write(d, tables, {})),
                     ("maps, first in a process (parse shapes)",
                      lambda d: (mapsvg.shapes.cache_clear(), mapsvg.write(d, tables))),
                     ("maps, shapes cached", lambda d: mapsvg.write(d, tables)),
                     ("git history (log + cat-file + YAML diff)",
                      lambda d: history.write(d, Path(args.content), tables["entries"]))):
        d = tmp / f"step-{len(steps)}"
        d.mkdir()
        t = time.perf_counter()
        fn(d)
        steps.append((name, time.perf_counter() - t))
    cur = res.path
    sizes = {"kb.db": (cur / store.DB_NAME).stat().st_size,
             **{f"export/{p.name}": p.stat().st_size for p in (cur / bulk.EXPORT_DIR).iterdir()},
             "map/budapest.svg": (cur / mapsvg.MAP_DIR / "budapest.svg").stat().st_size,
             "history.json": (cur / history.HISTORY_FILE).stat().st_size}

    from kb.web import create_app

    client = create_app({"BUILD_DIR": str(tmp / "build")}).test_client()
    fields = ("budapest.status,second_protocol.status,central_authority.name,contact_24_7.phone,"
              "preservation.max_days,retention.status,retention.months,retention.legal_basis,emergency,memberships")
    n = len(store.Store(cur / store.DB_NAME).entries("countries"))
    cases = [("countries list (baseline)", "/countries?sort=name&b={i}"),
             (f"/compare, {n} countries x 10 fields", f"/compare?countries=all&fields={fields}&b={{i}}"),
             ("/compare.csv, same table", f"/compare.csv?countries=all&fields={fields}&b={{i}}"),
             ("/compare.xlsx, same table", f"/compare.xlsx?countries=all&fields={fields}&b={{i}}"),
             ("/compare.json, same table", f"/compare.json?countries=all&fields={fields}&b={{i}}"),
             ("/map?field=retention", "/map?field=retention&b={i}"),
             ("/changes", "/changes?b={i}"),
             ("entry page with history (fr)", "/countries/fr?b={i}"),
             ("print card (fr)", "/countries/fr/card?b={i}"),
             ("PDF card (fr, WeasyPrint)", "/countries/fr/card.pdf?b={i}")]
    rows = []
    for label, url in cases:
        rep = max(3, args.repeat // 4) if "PDF" in label else args.repeat

        def hit(i, url=url):
            r = client.get(url.format(i=i))
            assert r.status_code == 200, (url, r.status_code)

        hit(-1)  # warm up
        rows.append((label, *timed(hit, rep)))
    base = rows[0][1]
    print(f"Real content: {res.counts}; full build {total_build:.1f} s\n")
    print("| build step | s |\n|---|---:|")
    for name, s in steps:
        print(f"| {name} | {s:.2f} |")
    print("\n| request | p50 ms | p95 ms | x baseline |\n|---|---:|---:|---:|")
    for label, p50, p95 in rows:
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {p50 / base:.1f} |")
    print("\n| artifact | size |\n|---|---:|")
    for k, v in sizes.items():
        print(f"| {k} | {v / 1024:.0f} kB |")


if __name__ == "__main__":
    main()
