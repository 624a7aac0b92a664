"""Load plus a rebuild plus a failing rebuild: the site keeps answering, with no error.

Run:  .venv/bin/python bench/load.py                      (real content, 30 s, 16 connections)
      .venv/bin/python bench/load.py --seconds 20 --clients 8 --max-requests 20000

It copies content/ to a temp folder, builds it, starts gunicorn (2 sync workers) on 127.0.0.1
serving that build, and sends requests from `--clients` threads over a mix of pages, search, the
API and compare for `--seconds` (stopping early at `--max-requests`). A third of the way in it
edits an entry and rebuilds (`python -m kb build`, a separate process as in production), and
measures how long until the new text is served; two thirds in it introduces a content problem
(an unknown region) and rebuilds, which must fail and leave the previous build serving. It
prints requests, errors (any 5xx, 4xx on a known-good URL, or failed connection), latency p50 /
p99 / max, and both rebuilds. Loopback only, bounded in time and count.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
URLS = ["/", "/countries", "/countries/de", "/countries/fr", "/countries/nl", "/providers", "/providers/google",
        "/topics", "/topics/mla", "/sources", "/coverage", "/about", "/api/countries", "/api/countries/fr",
        "/search?q=preservation+germany", "/search?q=24/7+contact+point", "/api/search?q=emergency+meta",
        "/api/search?q=retention", "/compare?countries=de,fr,nl", "/compare.csv?countries=de,fr"]
MARK_ENTRY = "countries/nl.md"  # edited by the rebuild; its page shows the new text once it is live


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", url, headers={"Host": "127.0.0.1"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def build(content: Path, out: Path) -> tuple[int, float, str]:
    started = time.monotonic()
    proc = subprocess.run([PY, "-m", "kb", "build", "--content", str(content), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    return proc.returncode, time.monotonic() - started, lines[-1] if lines else ""


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=30.0, help="length of the load (at most 300)")
    ap.add_argument("--clients", type=int, default=16, help="concurrent connections (at most 64)")
    ap.add_argument("--max-requests", type=int, default=50_000, help="stop after this many requests")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = ap.parse_args()
    seconds, clients = min(args.seconds, 300.0), max(1, min(args.clients, 64))

    tmp = Path(tempfile.mkdtemp(prefix="kb-load-"))
    content, out = tmp / "content", tmp / "build"
    shutil.copytree(ROOT / "content", content)
    code, took, line = build(content, out)
    if code:
        print(f"the first build failed: {line}")
        return 1
    print(f"first build: {took:.1f}s")
    port = free_port()
    env = dict(os.environ, KB_BUILD_DIR=str(out))
    server = subprocess.Popen([str(Path(PY).parent / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                               "--log-level", "warning", "--chdir", str(ROOT), "app:app"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):  # wait for the server, at most 10 s
            try:
                get(port, "/about", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for url in URLS:  # warm up every URL once
            get(port, url)

        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()
        counted = [0]

        def client(seed: int):
            rnd = random.Random(seed)
            while not stop.is_set():
                url = rnd.choice(URLS)
                t0 = time.perf_counter()
                try:
                    status, _ = get(port, url)
                    ok = status < 400
                    what = f"{status} {url}"
                except OSError as exc:
                    ok, what = False, f"{type(exc).__name__} {url}"
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    counted[0] += 1
                    if not ok:
                        errors.append(what)
                    if counted[0] >= args.max_requests:
                        stop.set()

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()

        time.sleep(seconds / 3)
        marker = f"Load-test revision {int(time.time())}."
        entry = content / MARK_ENTRY
        original = entry.read_text(encoding="utf-8")
        entry.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
        code, took, line = build(content, out)
        published = time.monotonic()
        live_after = None
        while time.monotonic() - published < 30:
            status, body = get(port, "/countries/nl")
            if marker.encode() in body:
                live_after = time.monotonic() - published
                break
            time.sleep(0.05)
        rebuild = (code, took, live_after, line)

        time.sleep(max(0.0, started + 2 * seconds / 3 - time.monotonic()))
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace("region: Europe", "region: Atlantis", 1), encoding="utf-8")
        fcode, ftook, fline = build(content, out)
        status, body = get(port, "/countries/nl")
        still_serving = status == 200 and marker.encode() in body
        entry.write_text(text, encoding="utf-8")

        time.sleep(max(0.0, started + seconds - time.monotonic()))
        stop.set()
        for t in threads:
            t.join(timeout=15)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    n = len(latencies)
    ms = [x * 1000 for x in latencies]
    print(f"load: {n} requests in {elapsed:.1f}s ({n / elapsed:.0f}/s) from {clients} connections, "
          f"{args.workers} gunicorn workers, {len(URLS)} URLs")
    print(f"errors: {len(errors)}" + (f" (first: {', '.join(errors[:5])})" if errors else ""))
    print(f"latency ms: p50 {percentile(ms, 50):.1f}, p99 {percentile(ms, 99):.1f}, max {max(ms, default=0):.1f}")
    code, took, live_after, line = rebuild
    print(f"rebuild: exit {code} in {took:.1f}s; new text live "
          + (f"{live_after:.2f}s after the build returned" if live_after is not None else "NOT within 30 s"))
    print(f"failing rebuild: exit {fcode} in {ftook:.1f}s ({fline[:100]}); previous build still serving: "
          f"{'yes' if still_serving else 'NO'}")
    ok = not errors and code == 0 and live_after is not None and fcode != 0 and still_serving
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
