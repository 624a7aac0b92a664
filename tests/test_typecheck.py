"""mypy (pinned in requirements-dev.txt, configured in pyproject.toml) finds no type error in kb/."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_type_error_in_kb():
    beside = Path(sys.executable).with_name("mypy")  # the virtualenv's own mypy
    mypy = str(beside) if beside.exists() else shutil.which("mypy")
    assert mypy, "mypy is not installed: pip install -r requirements-dev.txt"
    proc = subprocess.run([mypy, "--no-incremental", "--cache-dir", "/dev/null", "--no-error-summary"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"mypy found type errors (config in pyproject.toml [tool.mypy]):\n" \
                                 f"{proc.stdout}{proc.stderr}"
