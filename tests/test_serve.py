"""`python -m kb serve` runs gunicorn by default; a taken port is a sentence with the option to change."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from kb.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_with_gunicorn_and_its_workers(content_dir, tmp_path):
    port = free_port()
    out = tmp_path / "served"
    proc = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--content", str(content_dir), "--out", str(out),
                             "--port", str(port), "--workers", "2"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/countries/de", timeout=5) as resp:
                    body, server = resp.read(), resp.headers.get("Server", "")
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()[0].decode()
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.2)
        assert b"Germany" in body
        assert "gunicorn" in server
        workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert len(workers) == 2
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0].decode()
    assert "gunicorn, 2 workers" in output


def test_taken_port_is_reported_with_the_option_to_change_it(runner, built):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--out", str(built), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "--port" in result.output
    assert "Traceback" not in result.output


def test_serve_help_documents_host_port_and_workers(runner):
    result = runner.invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--workers", "--dev"):
        assert option in result.output


def test_every_page_has_a_description_and_a_favicon(client):
    for url in ("/", "/countries", "/countries/de", "/providers/example-mail", "/topics/mla", "/search?q=x",
                "/about"):
        html = client.get(url).data.decode()
        start = html.index('<meta name="description" content="') + len('<meta name="description" content="')
        assert len(html[start:html.index('"', start)]) > 40, url
        assert 'rel="icon"' in html
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.data.startswith(b"<svg")
    icon.close()
    de = client.get("/countries/de").data.decode()
    assert '<meta name="description" content="Germany' in de
