"""Serving benchmark: each page's requests/s as a ratio to a hello-world endpoint, one run.

Run:  apt-get install wrk        (Debian's package; the load generator)
      .venv/bin/python bench/serve.py                 (real content, 5 s per URL)
      .venv/bin/python bench/serve.py --seconds 3 --build-dir build   (an existing build)

It builds the real content into a temp dir (unless --build-dir), starts gunicorn with 2 sync
workers on 127.0.0.1 serving the product app plus one hidden `/__hello` endpoint that exists
only in this benchmark app, warms every URL once per worker, then runs wrk against each URL in
turn (hello-world before and after each URL; the ratio uses the mean of those two). Requests send
`Accept-Encoding: gzip` like a browser. Loopback only, bounded in time. Targets: entry pages,
list pages and API entries >= 0.7 of hello-world; search and compare >= 0.3; each worker's RSS
after the run <= 150 MB (at 5,000 entries).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [  # (label, url, target ratio)
    ("home", "/", 0.7),
    ("countries list", "/countries", 0.7),
    ("country page", "/countries/de", 0.7),
    ("country page (fr)", "/countries/fr", 0.7),
    ("providers list", "/providers", 0.7),
    ("provider page", "/providers/google", 0.7),
    ("topic page", "/topics/mla", 0.7),
    ("sources list", "/sources", 0.7),
    ("coverage", "/coverage", 0.7),
    ("api countries", "/api/countries", 0.7),
    ("api country", "/api/countries/fr", 0.7),
    ("api provider", "/api/providers/meta", 0.7),
    ("search", "/search?q=preservation+germany", 0.3),
    ("api search", "/api/search?q=preservation+germany", 0.3),
    ("compare", "/compare?countries=de,fr,nl", 0.3),
]
MAX_WORKER_MB = 150


def bench_app():
    """The product app plus a hello-world endpoint (benchmark only; never in the product)."""
    from kb.web import create_app

    app = create_app({"BUILD_DIR": os.environ["KB_BUILD_DIR"]})

    @app.get("/__hello")
    def hello():
        return "Hello, world!"

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, seconds: float, connections: int) -> tuple[float, int]:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-H", "Accept-Encoding: gzip", url],
                         capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--build-dir", type=Path, help="serve this build folder instead of building content/")
    ap.add_argument("--content", type=Path, default=ROOT / "content", help="content folder to build")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed; install Debian's package with `apt-get install wrk`, then run again.")
    tmp = Path(tempfile.mkdtemp(prefix="kb-serve-"))
    try:
        build_dir = args.build_dir
        if build_dir is None:
            from kb.build import build

            build_dir = tmp / "build"
            print(build(args.content, build_dir).summary())
        port = free_port()
        env = dict(os.environ, KB_BUILD_DIR=str(Path(build_dir).resolve()), PYTHONPATH=f"{ROOT}:{ROOT / 'bench'}")
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-b",
                                   f"127.0.0.1:{port}", "--log-level", "warning", "serve:bench_app()"],
                                  env=env, cwd=ROOT)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/__hello", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.1)
            broken = {}
            for _label, url, _t in URLS:  # warm each worker's cache
                try:
                    for _ in range(args.workers * 4):
                        urllib.request.urlopen(base + url, timeout=30).read()
                except urllib.error.HTTPError as exc:
                    broken[url] = exc.code
            hellos = [wrk(base + "/__hello", args.seconds, args.connections)[0]]
            rows = []
            for label, url, target in URLS:
                if url in broken:
                    print(f"skipped {url}: it answers HTTP {broken[url]}")
                    continue
                rps, bad = wrk(base + url, args.seconds, args.connections)
                hellos.append(wrk(base + "/__hello", args.seconds, args.connections)[0])
                rows.append((label, url, rps, bad, target, (hellos[-2] + hellos[-1]) / 2))
            children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
            workers_mb = [rss_mb(int(p)) for p in children]
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"\ngunicorn {args.workers} sync workers, wrk -t1 -c{args.connections} -d{args.seconds}s, "
              f"Accept-Encoding: gzip, 127.0.0.1")
        print(f"hello-world measured before and after each URL: {min(hellos):.0f}-{max(hellos):.0f} req/s\n")
        print("| page | url | req/s | hello req/s | ratio | target | non-2xx |\n|---|---|---:|---:|---:|---:|---:|")
        failed = 0
        for label, url, rps, bad, target, hello in rows:
            ratio = rps / hello
            ok = ratio >= target and not bad
            failed += not ok
            print(f"| {label} | `{url}` | {rps:.0f} | {hello:.0f} | {ratio:.2f}{'' if ok else ' (below)'} | {target} "
                  f"| {bad} |")
        heavy = [m for m in workers_mb if m > MAX_WORKER_MB]
        print(f"\nworker RSS after the run: {', '.join(f'{m:.0f} MB' for m in workers_mb)} "
              f"(target <= {MAX_WORKER_MB} MB: {'not met' if heavy else 'met'})")
        print("all targets met" if not failed and not heavy else
              f"{failed} URL(s) below target" + (f"; {len(heavy)} worker(s) over {MAX_WORKER_MB} MB" if heavy else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
