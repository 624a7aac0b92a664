"""Layered fixtures: content_dir -> built -> app -> client / runner; live_server for the browser."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.build import build
from kb.web import create_app

from helpers import ARGS, CHROMIUM, FIXTURE, REAL_CONTENT, TODAY


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


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
