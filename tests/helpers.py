"""Shared test helpers and constants (imported by tests as `from helpers import ...`, not from conftest)."""
from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "content"
REAL_CONTENT = Path(__file__).parent.parent / "content"
TODAY = dt.date(2026, 11, 28)

# Debian's Chromium, driven by Playwright (../shared/BROWSER_TESTS.md): without the background-
# networking flags it keeps trying to reach the internet.
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
AXE = Path(__file__).parent.parent / "node_modules" / "axe-core" / "axe.min.js"
needs_browser = pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                   reason="Debian's chromium is not installed (scripts/setup-tests.sh installs it)")


def serious_accessibility_violations(browser, url: str) -> list:
    """axe-core's serious and critical violations on the page at `url` (the CSP is bypassed for axe only)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (scripts/setup-tests.sh does)")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    page.evaluate(AXE.read_text())
    violations = page.evaluate("async () => (await axe.run()).violations")
    context.close()
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")]


def serve(app):
    """Serve `app` from a real server on 127.0.0.1 with a free port; return (url, stop)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_port}", server.shutdown
