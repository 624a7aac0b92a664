"""The package installs as `legal-channels-kb` with a `kb` command (pyproject.toml)."""
from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

import click

ROOT = Path(__file__).parent.parent


def test_pyproject_declares_the_kb_command_and_it_resolves():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    module, _, attr = project["scripts"]["kb"].partition(":")
    command = getattr(importlib.import_module(module), attr)
    assert isinstance(command, click.Group) and {"check", "build", "serve", "review"} <= set(command.commands)


def test_every_runtime_requirement_is_pinned():
    lines = [x.strip() for x in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    reqs = [x for x in lines if x and not x.startswith("#")]
    assert reqs and all("==" in x for x in reqs), [x for x in reqs if "==" not in x]
