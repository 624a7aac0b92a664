"""The read-only Flask site. It reads the current build only, never `content/`."""
from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

from flask import Flask, abort, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kb import search, store

DEFAULT_BUILD = Path(__file__).resolve().parent.parent.parent / "build"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class BuildNotFound(Exception):
    pass


class Current:
    """Opens the current build once per build directory; a new build is picked up on the next request."""

    def __init__(self, build_dir: Path):
        self.build_dir = Path(build_dir)
        self.lock = threading.Lock()
        self.path: Path | None = None
        self.store: store.Store | None = None
        self.searcher: search.Searcher | None = None

    def get(self):
        link = self.build_dir / "current"
        if not link.exists():
            raise BuildNotFound(str(self.build_dir))
        target = link.resolve()
        if target != self.path:
            with self.lock:
                if target != self.path:
                    self.store = store.Store(target / store.DB_NAME)
                    self.searcher = search.Searcher(target / "index")
                    self.path = target
        return self.store, self.searcher


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    # EDIT_URL: e.g. https://git.example.org/kb/edit/main/content/{path} adds "edit this page" to entries
    # (set KB_EDIT_URL in the environment); {path} is the entry's file under content/.
    app.config.from_mapping(BUILD_DIR=str(DEFAULT_BUILD), TODAY=None, EDIT_URL=os.environ.get("KB_EDIT_URL", ""))
    if test_config:
        app.config.update(test_config)
    current = Current(Path(app.config["BUILD_DIR"]))
    from kb.web import cache

    cache.init_app(app, Path(app.config["BUILD_DIR"]), today=app.config["TODAY"])  # first after_request hook: runs last

    @app.before_request
    def open_build():
        if request.method not in ("GET", "HEAD"):
            abort(405)
        if request.endpoint == "static":
            return
        g.store, g.searcher = current.get()
        g.today = app.config["TODAY"] or dt.date.today()

    @app.after_request
    def headers(resp):
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()"
        if resp.status_code == 405:
            resp.headers["Allow"] = "GET, HEAD"
        return resp

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {404: "There is no page at this address.",
                    405: "This site is read-only: only GET and HEAD requests are accepted.",
                    400: "The request could not be understood."}
        own = exc.description != type(exc).description  # a sentence given by abort(..., description=)
        message = exc.description if own else messages.get(exc.code, exc.description)
        if wants_json():
            resp = jsonify({"error": {"status": exc.code, "message": message}})
            resp.status_code = exc.code
            return resp
        return render_template("error.html", code=exc.code, message=message, title=f"Error {exc.code}"), exc.code

    @app.errorhandler(BuildNotFound)
    def no_build(exc):
        message = ("No build has been published yet. Run `python -m kb build` (or `python app.py`) "
                   "to build the site from content/.")
        if wants_json():
            return jsonify({"error": {"status": 503, "message": message}}), 503
        return render_template("error.html", code=503, message=message, title="No build yet", bare=True), 503

    @app.errorhandler(Exception)
    def server_error(exc):  # never show a stack trace
        app.logger.exception("unhandled error")
        message = "Something went wrong on our side. The error was logged; please try again."
        if wants_json():
            return jsonify({"error": {"status": 500, "message": message}}), 500
        return render_template("error.html", code=500, message=message, title="Error 500", bare=True), 500

    from kb.web import filters
    from kb.web.analyst import bp as analyst_bp
    from kb.web.api import bp as api_bp
    from kb.web.compare import bp as compare_bp
    from kb.web.entries import bp as entries_bp
    from kb.web.pages import bp as pages_bp
    from kb.web.review import bp as review_bp
    from kb.web.route import bp as route_bp
    from kb.web.search_views import bp as search_bp

    filters.register(app)
    for bp in (pages_bp, entries_bp, search_bp, compare_bp, api_bp, route_bp, review_bp, analyst_bp):
        app.register_blueprint(bp)
    return app
