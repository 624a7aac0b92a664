"""The read-only Flask site. It reads the current build only, never `content/`."""
from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, abort, current_app, g, jsonify, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

from kb import search, site, store

DEFAULT_BUILD = Path(__file__).resolve().parent.parent.parent / "build"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


# Hosts answered by default; set KB_TRUSTED_HOSTS (comma-separated; ".example.org" admits its
# subdomains, "*" any host) when the site is served under a domain name.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
DAMAGED = ("The current build cannot be read (its database is damaged or missing). Run `python -m kb build` "
           "to rebuild it; the site serves the new build as soon as it is published.")
NO_SEARCH = ("Search is unavailable: the search index of the current build cannot be read. Run `python -m kb "
             "build` to rebuild it; every other page still works.")


def trusted_hosts(value: str | None) -> list[str] | None:
    """Flask's TRUSTED_HOSTS from KB_TRUSTED_HOSTS: None (any host) for "*", loopback names if unset."""
    if value is None or not value.strip():
        return list(LOOPBACK_HOSTS)
    hosts = [h.strip() for h in value.split(",") if h.strip()]
    return None if "*" in hosts else hosts


class BuildNotFound(Exception):
    pass


class BuildUnreadable(Exception):
    """The current build's database does not open or does not answer."""


class SearchUnavailable(Exception):
    """The current build's search index does not open or does not answer."""


class LazySearcher:
    """Opens a build's search index on first use: pages that do not search never touch it, and an
    index that does not open, or fails while answering, breaks search only (SearchUnavailable)."""

    def __init__(self, path: Path):
        self.path = path
        self._searcher: search.Searcher | None = None
        self._lock = threading.Lock()

    def _open(self) -> search.Searcher:
        if self._searcher is None:
            with self._lock:
                if self._searcher is None:
                    if not store.intact(self.path.parent, under=self.path.name + "/"):
                        raise SearchUnavailable(f"{self.path}: the files differ from the build's manifest")
                    try:
                        self._searcher = search.guarded(search.Searcher, self.path)
                    except search.IndexUnreadable as exc:
                        raise SearchUnavailable(f"{self.path}: {exc}") from None
        return self._searcher

    def __getattr__(self, name):
        value = getattr(self._open(), name)
        if not callable(value):
            return value

        @functools.wraps(value)
        def call(*args, **kwargs):
            try:
                return search.guarded(value, *args, **kwargs)
            except search.IndexUnreadable as exc:
                raise SearchUnavailable(f"{self.path}: {exc}") from None

        return call


class Current:
    """Opens the current build once per build directory; a new build is picked up on the next request."""

    def __init__(self, build_dir: Path):
        self.build_dir = Path(build_dir)
        self.lock = threading.Lock()
        self.path: Path | None = None
        self.store: store.Store | None = None
        self.searcher: LazySearcher | None = None

    def get(self) -> tuple[store.Store | None, LazySearcher | None]:
        link = self.build_dir / "current"
        if not link.exists():
            raise BuildNotFound(str(self.build_dir))
        target = link.resolve()
        if target != self.path:
            with self.lock:
                if target != self.path:
                    try:
                        opened = store.Store(target / store.DB_NAME)
                        opened.meta()
                    except sqlite3.DatabaseError as exc:
                        raise BuildUnreadable(str(target)) from exc
                    self.store = opened
                    self.searcher = LazySearcher(target / "index")  # opened by the first search
                    self.path = target
        return self.store, self.searcher


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def respond_error(code: int, message: str, title: str | None = None, bare: bool = False):
    """The one error answer: JSON `{"error": {"status", "message"}}` under /api/ and for .json paths,
    else the error page (`bare`: without the navigation, for when there is no readable build).
    Renders even when the request has no URL adapter (a Host header that could not be bound, e.g.
    `a..b`): url_for then builds paths against a fixed name."""
    if request_ctx.url_adapter is None:
        request_ctx.url_adapter = current_app.url_map.bind(current_app.config.get("SERVER_NAME") or "localhost",
                                                           url_scheme="http")
    if wants_json():
        return jsonify({"error": {"status": code, "message": message}}), code
    return render_template("error.html", code=code, message=message, title=title or f"Error {code}", bare=bare), code


def preview(app: Flask) -> None:
    """The preview's banner: problems of the last failed rebuild (`<build>/problems.json`, see kb.watch)
    on every page. Pages are not kept by the page cache here: the banner changes without a new build."""
    from kb.watch import read_problems

    @app.context_processor
    def preview_problems():
        return {"preview_problems": read_problems(app.config["BUILD_DIR"])}

    @app.after_request
    def no_store(resp):
        resp.headers["Cache-Control"] = "no-store"
        return resp


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    # EDIT_URL: e.g. https://git.example.org/kb/edit/main/content/{path} adds "edit this page" to entries
    # (set KB_EDIT_URL in the environment); {path} is the entry's file under content/.
    # PREVIEW (set by `kb serve --watch` only): every HTML page shows the problems of the last failed rebuild.
    app.config.from_mapping(BUILD_DIR=str(DEFAULT_BUILD), TODAY=None, EDIT_URL=os.environ.get("KB_EDIT_URL", ""),
                            PREVIEW=False)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(os.environ.get("KB_TRUSTED_HOSTS"))
    if test_config:
        app.config.update(test_config)
    current = Current(Path(app.config["BUILD_DIR"]))
    from kb.web import cache

    cache.init_app(app, Path(app.config["BUILD_DIR"]), today=app.config["TODAY"])  # first after_request hook: runs last

    @app.before_request
    def open_build():
        if request.method not in ("GET", "HEAD"):
            abort(405)
        if request.endpoint == "static" or request.routing_exception is not None:
            return  # a 404, a slash redirect or a bad Host header needs no build
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
        location = resp.headers.get("Location")
        if location:  # a redirect stays on this site: never to a host taken from the request
            parts = urlsplit(location)
            if parts.scheme or parts.netloc:
                resp.headers["Location"] = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
        return resp

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {404: "There is no page at this address.",
                    405: "This site is read-only: only GET and HEAD requests are accepted.",
                    400: "The request could not be understood."}
        code = exc.code or 500
        description = exc.description or ""
        own = description != type(exc).description  # a sentence given by abort(..., description=)
        message = description if own else messages.get(code, description)
        return respond_error(code, message)

    @app.errorhandler(BuildNotFound)
    def no_build(exc):
        message = ("No build has been published yet. Run `python -m kb build` (or `python app.py`) "
                   "to build the site from content/.")
        return respond_error(503, message, "No build yet", bare=True)

    @app.errorhandler(BuildUnreadable)
    @app.errorhandler(sqlite3.DatabaseError)
    def damaged_build(exc):
        app.logger.error("the current build cannot be read: %s", exc)
        g.pop("store", None)
        return respond_error(503, DAMAGED, "Build damaged", bare=True)

    @app.errorhandler(SearchUnavailable)
    def no_search(exc):
        app.logger.error("the search index cannot be read: %s", exc)
        return respond_error(503, NO_SEARCH, "Search unavailable")

    @app.errorhandler(Exception)
    def server_error(exc):  # never show a stack trace
        app.logger.exception("unhandled error")
        message = "Something went wrong on our side. The error was logged; please try again."
        return respond_error(500, message, bare=True)

    if app.config["PREVIEW"]:
        preview(app)

    from kb.web import filters
    from kb.web.analyst import bp as analyst_bp
    from kb.web.api import bp as api_bp
    from kb.web.cards import bp as cards_bp
    from kb.web.compare import bp as compare_bp
    from kb.web.entries import bp as entries_bp
    from kb.web.pages import bp as pages_bp
    from kb.web.review import bp as review_bp
    from kb.web.route import bp as route_bp
    from kb.web.search_views import bp as search_bp

    filters.register(app)
    for bp in (pages_bp, entries_bp, search_bp, compare_bp, api_bp, route_bp, review_bp, analyst_bp, cards_bp):
        app.register_blueprint(bp)
    nav = [page for page in site.NAV if page.endpoint in app.view_functions]  # declared in kb/site.py

    @app.context_processor
    def navigation():
        return {"nav_pages": nav}

    return app
