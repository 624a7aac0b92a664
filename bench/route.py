"""Route planner benchmark: planning a route next to reading an entry, in one run.

Run:  .venv/bin/python bench/route.py [--content DIR] [--rounds N]

Builds the content into a temporary directory, then times, side by side on the same build:
`planner.plan` alone (the 45 cases of tests/test_route_cases.py), `GET /api/route` and
`GET /route` through the Flask app (a fresh parameter each time, so the page cache never answers), and
`GET /api/countries/de` as the reference. Prints p50 and p95 in ms and the ratio to the
reference; compare ratios, not absolutes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kb.build import build  # noqa: E402
from kb.route.kbview import KBView  # noqa: E402
from kb.route.planner import parse, plan  # noqa: E402
from kb.store import Store  # noqa: E402
from kb.web import create_app  # noqa: E402
from test_route_cases import CASES, q  # noqa: E402

TODAY = dt.date.today()  # the real content: its reviewed dates may be as late as today


def timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p(values: list[float], pct: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * pct))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--content", default=str(ROOT / "content"))
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        build(args.content, out, today=TODAY)
        store = Store(out / "current" / "kb.db")
        queries = [c[0] for c in CASES]

        def plan_all_fresh():  # a fresh view per plan, as one web request has
            for text in queries:
                kb = KBView(store)
                plan(parse(q(text), kb), kb, TODAY)

        app = create_app({"BUILD_DIR": str(out), "TODAY": TODAY})
        client = app.test_client()
        urls = [urlencode(q(text)) for text in queries]
        seq = iter(range(10 ** 9))

        def get(path):  # a new parameter each time: the page cache never answers, every request plans
            r = client.get(f"{path}{'&' if '?' in path else '?'}nocache={next(seq)}")
            assert r.status_code == 200, (path, r.status_code)

        rows = []
        per_plan = [t / len(queries) for t in timed(plan_all_fresh, args.rounds)]
        rows.append(("planner.plan (pure, per route)", per_plan))
        rows.append(("GET /api/countries/de (reference)", timed(lambda: get("/api/countries/de"),
                                                               args.rounds * len(queries))))
        api = []
        page = []
        for _ in range(args.rounds):
            for u in urls:
                api += timed(lambda: get("/api/route?" + u), 1)
                page += timed(lambda: get("/route?" + u), 1)
        rows.append(("GET /api/route", api))
        rows.append(("GET /route (HTML)", page))
        ref = statistics.median(rows[1][1])
        print(f"{len(queries)} routes x {args.rounds} rounds, content {args.content}")
        print(f"{'what':38} {'p50 ms':>8} {'p95 ms':>8} {'p50 / reference':>16}")
        for name, values in rows:
            print(f"{name:38} {p(values, .5):8.2f} {p(values, .95):8.2f} {p(values, .5) / ref:16.2f}")
        store.close()


if __name__ == "__main__":
    main()
