#!/usr/bin/env bash
# Set up a virtualenv with the runtime dependencies, build the content and serve the site
# with gunicorn on http://127.0.0.1:5000 (SQLite + Whoosh: nothing else to install).
# Options go to `python -m kb serve`: --host ADDR, --port N, --workers N, --dev.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
exec .venv/bin/python app.py "$@"
