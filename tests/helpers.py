"""Shared test helpers and constants (imported by tests as `from helpers import ...`, not from conftest)."""
from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "content"
REAL_CONTENT = Path(__file__).parent.parent / "content"
TODAY = dt.date(2026, 11, 28)


def serve(app):
    """Serve `app` from a real server on 127.0.0.1 with a free port; return (url, stop)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_port}", server.shutdown
