"""Search benchmark: Whoosh (kb.search) side by side with SQLite FTS5 (sqlite-utils enable_fts).

Run:  .venv/bin/python bench/search.py            (real content + a generated 5,000-entry corpus)
      .venv/bin/python bench/search.py --entries 500 --queries 200   (quicker)

For each engine and corpus it reports indexing time, query latency (p50, p95) and, on the real
content, relevance on the test set in tests/relevance.py (recall@1, recall@3, MRR). Both engines
run in the same process, one after the other, on the same documents and queries, so the ratios
are comparable even on a noisy machine.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import sqlite_utils  # noqa: E402

from kb import search  # noqa: E402
from kb.build import assemble  # noqa: E402
from kb.schema import check  # noqa: E402

import datetime as dt  # noqa: E402


def real_docs() -> list[dict]:
    checked = check(ROOT / "content")
    if checked.problems:
        sys.exit(f"content has {len(checked.problems)} problem(s); run python -m kb check")
    _, docs = assemble(checked, dt.date.today())
    return docs


def generated_docs(n_entries: int, seed: int = 7) -> tuple[list[dict], list[str]]:
    """Entries shaped like countries: a name, aliases and seven sections of plausible text."""
    rng = random.Random(seed)
    words = re.findall(r"[a-z]{4,}", " ".join(d["body"].lower() for d in real_docs()))
    vocab = sorted(set(words)) or ["preservation", "authority", "request"]
    sections = ["Central authority", "24/7 contact point", "Legal process for ISPs", "Preservation",
                "Data retention", "Emergency channels", "Notes"]
    docs, names = [], []
    syll = ["ka", "lo", "ra", "vi", "to", "ne", "sa", "mu", "de", "an", "or", "li", "be", "zu"]
    for i in range(n_entries):
        name = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4))).capitalize() + f"{i}"
        names.append(name)
        key = f"g{i}"
        base = {"kind": "countries", "key": key, "name": name, "names": f"{name} {name.lower()}ian {name[:3]}",
                "region": rng.choice(["Africa", "Americas", "Asia", "Europe", "Oceania"]), "memberships": "CoE",
                "budapest": rng.choice(["party", "none"]), "retention": rng.choice(["in-force", "none"])}
        docs.append(dict(base, doc_id=f"countries/{key}", section="", url=f"/countries/{key}",
                         heading="Overview", heading_text="Overview", body="", words=name))
        for title in sections:
            body = " ".join(rng.choice(vocab) for _ in range(rng.randint(40, 120)))
            sid = search.prep(title).lower().replace(" ", "-")
            docs.append(dict(base, doc_id=f"countries/{key}#{sid}", section=sid, url=f"/countries/{key}#{sid}",
                             heading=search.prep(title), heading_text=title, body=search.prep(body),
                             words=f"{title} {body}"))
    return docs, names


def generated_queries(names: list[str], n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    topics = ["preservation", "24/7 contact", "central authority", "data retention", "emergency", "legal process",
              "preserve data", "mutual legal assistance", "retention period"]
    out = []
    for _ in range(n):
        name = rng.choice(names)
        if rng.random() < 0.2:  # typo
            i = rng.randrange(1, len(name) - 1)
            name = name[:i] + name[i + 1:]
        out.append(f"{rng.choice(topics)} {name}" if rng.random() < 0.5 else f"{name} {rng.choice(topics)}")
    return out


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# -- Whoosh -------------------------------------------------------------------------------------
def whoosh_engine(docs, folder: Path):
    t0 = time.perf_counter()
    search.write_index(folder, docs)
    index_s = time.perf_counter() - t0
    s = search.Searcher(folder)
    return index_s, lambda q, k: [r.url for r in s.search(q, limit=k, facets=False).results], s.close


# -- FTS5 baseline ------------------------------------------------------------------------------
def fts_engine(docs, folder: Path):
    t0 = time.perf_counter()
    db = sqlite_utils.Database(folder / "fts.db")
    db["docs"].insert_all(({"url": d["url"], "title": d["name"], "aliases": d.get("names", ""),
                            "heading": d.get("heading_text", ""), "body": d["body"]} for d in docs), batch_size=2000)
    db["docs"].enable_fts(["title", "aliases", "heading", "body"], tokenize="porter unicode61 remove_diacritics 2",
                          create_triggers=False)
    db.conn.commit()
    index_s = time.perf_counter() - t0

    def query(q, k):
        terms = [t for t in re.findall(r"\w+", q.lower()) if len(t) > 1]
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = db.conn.execute(
            "select docs.url from docs_fts join docs on docs.rowid = docs_fts.rowid where docs_fts match ? "
            "order by bm25(docs_fts, 4.0, 3.0, 3.0, 1.0) limit ?", (match, k)).fetchall()
        return [r[0] for r in rows]

    return index_s, query, db.close


def latency(run, queries, k=10):
    times = []
    for q in queries:
        t0 = time.perf_counter()
        run(q, k)
        times.append((time.perf_counter() - t0) * 1000)
    return percentile(times, 50), percentile(times, 95)


def relevance(run):
    from relevance import QUERIES, rank_of

    r1 = r3 = mrr = 0.0
    for q, expected in QUERIES:
        urls = run(q, 10)
        rank = rank_of(urls, expected)
        r1 += rank == 1
        r3 += bool(rank and rank <= 3)
        mrr += 1 / rank if rank else 0
    n = len(QUERIES)
    return r1 / n, r3 / n, mrr / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--queries", type=int, default=500)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    rows = []
    try:
        real = real_docs()
        gen, names = generated_docs(args.entries)
        gen_queries = generated_queries(names, args.queries)
        from relevance import QUERIES

        real_queries = [q for q, _ in QUERIES]
        for corpus, docs, queries in (("real", real, real_queries), (f"generated-{args.entries}", gen, gen_queries)):
            for engine_name, engine in (("whoosh", whoosh_engine), ("fts5", fts_engine)):
                folder = tmp / f"{corpus}-{engine_name}"
                folder.mkdir()
                index_s, run, close = engine(docs, folder)
                latency(run, queries[:20])  # warm-up
                p50, p95 = latency(run, queries)
                quality = relevance(run) if corpus == "real" else None
                close()
                rows.append((corpus, engine_name, len(docs), index_s, p50, p95, quality))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'corpus':<16} {'engine':<7} {'docs':>6} {'index s':>8} {'p50 ms':>7} {'p95 ms':>7}  quality")
    for corpus, engine, n, index_s, p50, p95, quality in rows:
        q = (f"recall@1 {quality[0]:.2f} recall@3 {quality[1]:.2f} MRR {quality[2]:.2f}" if quality else "")
        print(f"{corpus:<16} {engine:<7} {n:>6} {index_s:>8.2f} {p50:>7.2f} {p95:>7.2f}  {q}")
    for corpus in dict.fromkeys(r[0] for r in rows):
        w, f = [r for r in rows if r[0] == corpus and r[1] == "whoosh"][0], [r for r in rows if r[0] == corpus
                                                                           and r[1] == "fts5"][0]
        print(f"{corpus}: whoosh/fts5 index time x{w[3] / f[3]:.1f}, p50 x{w[4] / f[4]:.1f}, p95 x{w[5] / f[5]:.1f}")


if __name__ == "__main__":
    main()
