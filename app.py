"""Run the site: `python app.py` builds when content changed, then serves on http://127.0.0.1:5000
with gunicorn (options as for `python -m kb serve`: --host, --port, --workers, --dev, --watch).

`gunicorn app:app` serves the current build as it is (run `python -m kb build` first).
"""
import os
import sys

from kb.web import create_app

app = create_app({"BUILD_DIR": os.environ.get("KB_BUILD_DIR", os.path.join(os.path.dirname(__file__), "build"))})

if __name__ == "__main__":
    from kb.cli import cli

    sys.exit(cli(["serve", *sys.argv[1:]], prog_name="python app.py"))
