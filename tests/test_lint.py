"""ruff (pinned in requirements-dev.txt, configured in pyproject.toml) finds nothing in the code."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    beside = Path(sys.executable).with_name("ruff")  # the virtualenv's own ruff
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ruff")
    assert found, "ruff is not installed: pip install -r requirements-dev.txt"
    return [found]


def test_ruff_finds_nothing_in_the_code():
    proc = subprocess.run(_ruff() + ["check", "--no-cache", "--output-format", "concise", "kb", "tests", "bench",
                                     "app.py"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"ruff check found problems (fix them, or run ruff check --fix):\n" \
                                 f"{proc.stdout}{proc.stderr}"
