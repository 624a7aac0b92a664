"""Layered fixtures: content_dir -> built -> app -> client / runner; live_server for the browser."""
from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest

from kb.build import build
from kb.web import create_app

FIXTURE = Path(__file__).parent / "fixtures" / "content"
REAL_CONTENT = Path(__file__).parent.parent / "content"
TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A fresh copy of the small fixture tree that tests may edit."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def built(content_dir, tmp_path) -> Path:
    out = tmp_path / "build"
    build(content_dir, out, today=TODAY)
    return out


@pytest.fixture
def app(built):
    return create_app({"BUILD_DIR": str(built), "TESTING": True, "TODAY": TODAY})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> Path:
    """The real content, built once per test session."""
    out = tmp_path_factory.mktemp("real") / "build"
    build(REAL_CONTENT, out)
    return out


def serve(app):
    """Serve `app` from a real server on 127.0.0.1 with a free port; return (url, stop)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_port}", server.shutdown
