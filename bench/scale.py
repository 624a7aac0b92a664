"""Beyond one machine: nginx in front of (a) the static export, (b) two app servers sharing one build.

Run:  apt-get install nginx wrk     (Debian's packages)
      .venv/bin/python bench/scale.py                     (builds content/; 10 s per scenario)
      .venv/bin/python bench/scale.py --build-dir build --seconds 6

Everything listens on 127.0.0.1 and stops at the end. Scenario (a) serves `python -m kb export`
with nginx alone. Scenario (b) starts two gunicorn app servers (2 workers each) on the same
`build/` and nginx balancing over them with retries to the other server; part-way through the
run one app server is killed (SIGKILL on its whole process group). wrk cycles through entry
pages, list pages, API entries and searches; the goal is 0 failed requests (non-2xx, connection
errors or timeouts).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APP_PATHS = ["/countries/de", "/countries/fr", "/providers/google", "/topics/mla", "/countries", "/providers",
             "/api/countries/fr", "/api/providers/meta", "/search?q=preservation+germany",
             "/api/search?q=24%2F7+japan", "/compare?countries=de,fr,nl", "/"]
STATIC_PATHS = ["/countries/de.html", "/countries/fr.html", "/providers/google.html", "/topics/mla.html",
                "/countries.html", "/providers.html", "/api/countries/fr.json", "/api/providers/meta.json",
                "/search.html", "/compare.html", "/index.html"]  # search-index.js: fetched once per visit

NGINX = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  gzip on; gzip_types text/css application/javascript application/json;
  {body}
}}
"""
STATIC = """server {{ listen 127.0.0.1:{port}; root {root}; index index.html;
  location / {{ try_files $uri $uri.html =404; }} }}"""
PROXY = """upstream kb {{ {servers} keepalive 16; }}
server {{ listen 127.0.0.1:{port};
  location / {{ proxy_pass http://kb; proxy_http_version 1.1; proxy_set_header Connection "";
    proxy_set_header Host $host; proxy_connect_timeout 1s; proxy_read_timeout 10s;
    proxy_next_upstream error timeout http_502 http_503; proxy_next_upstream_tries 2; }} }}"""
LUA = """paths = {{{paths}}}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {{["Accept-Encoding"] = "gzip"}})
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.1)


def nginx(tmp: Path, body: str) -> subprocess.Popen:
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX.format(tmp=tmp, body=body), encoding="utf-8")
    return subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"], start_new_session=True)


def app_server(build_dir: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, KB_BUILD_DIR=str(build_dir), PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", "app:app"], env=env, cwd=ROOT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wrk(url: str, paths: list[str], seconds: int, tmp: Path) -> dict:
    script = tmp / "paths.lua"
    script.write_text(LUA.format(paths=", ".join(f'"{p}"' for p in paths)), encoding="utf-8")
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "5s", "-s", str(script), url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = sum(int(x) for x in sock.groups()) if sock else 0
    return {"requests": total, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "non2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors,
            "socket_detail": sock.group(0) if sock else ""}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--build-dir", type=Path)
    ap.add_argument("--content", type=Path, default=ROOT / "content")
    args = ap.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed; install Debian's package with `apt-get install {tool}`.")
    tmp = Path(tempfile.mkdtemp(prefix="kb-scale-"))
    os.chmod(tmp, 0o755)
    rows = []
    try:
        build_dir = args.build_dir
        if build_dir is None:
            from kb.build import build

            build_dir = tmp / "build"
            build(args.content, build_dir)
        build_dir = Path(build_dir).resolve()
        from kb.export import export

        site = tmp / "site"
        export(build_dir, site)
        for p in [site, *site.rglob("*")]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)

        # (a) the static export behind nginx
        port = free_port()
        web = nginx(tmp, STATIC.format(port=port, root=site))
        try:
            wait_for(f"http://127.0.0.1:{port}/index.html")
            wrk(f"http://127.0.0.1:{port}", STATIC_PATHS, 2, tmp)  # warm the page cache
            rows.append(("(a) nginx + static export", wrk(f"http://127.0.0.1:{port}", STATIC_PATHS, args.seconds, tmp),
                         ""))
        finally:
            stop(web)

        # (b) two app servers sharing one build behind nginx; one is killed mid-run
        ports = [free_port(), free_port()]
        apps = [app_server(build_dir, p) for p in ports]
        port = free_port()
        servers = " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;" for p in ports)
        web = nginx(tmp, PROXY.format(port=port, servers=servers))
        try:
            for p in ports:
                wait_for(f"http://127.0.0.1:{p}/")
            wait_for(f"http://127.0.0.1:{port}/")
            wrk(f"http://127.0.0.1:{port}", APP_PATHS, 3, tmp)  # every worker renders each page once
            rows.append(("(b) nginx + 2 app servers", wrk(f"http://127.0.0.1:{port}", APP_PATHS, args.seconds, tmp),
                         "both up"))
            killed_at = args.seconds / 3

            def kill():
                time.sleep(killed_at)
                os.killpg(apps[0].pid, signal.SIGKILL)

            threading.Thread(target=kill, daemon=True).start()
            rows.append(("(b) nginx + 2 app servers", wrk(f"http://127.0.0.1:{port}", APP_PATHS, args.seconds, tmp),
                         f"one app server killed (SIGKILL) after {killed_at:.0f} s"))
        finally:
            stop(web)
            for a in apps:
                stop(a)
        print(f"\nwrk -t2 -c16 -d{args.seconds}s, cycling through {len(APP_PATHS)} addresses, 127.0.0.1\n")
        print("| setup | event | requests | req/s | non-2xx | socket errors |\n|---|---|---:|---:|---:|---:|")
        failed = 0
        for label, r, event in rows:
            failed += r["non2xx"] + r["socket_errors"]
            print(f"| {label} | {event} | {r['requests']} | {r['rps']:.0f} | {r['non2xx']} | {r['socket_errors']} |")
        for label, r, event in rows:
            if r["socket_detail"]:
                print(f"{label}, {event or 'static'}: {r['socket_detail']}")
        print("\n0 failed requests:", "met" if not failed else f"NOT met ({failed} failed)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
