"""Responses rendered once per build and kept, with HTTP validators and gzip.

A published build never changes, so a page is a function of (build, day, path + query):
the first request renders it, later ones are answered from memory. The key holds the build
stamp (the target of `build/current`, read with one `readlink` per request), so publishing a
new build invalidates every entry at once; it also holds today's date because pages show how
many days ago each fact was verified.

Hits are answered by a small WSGI layer in front of Flask (no request context, no routing):
the stored response already holds every header the app's hooks added (security headers
included), so a hit costs a dictionary look-up. Misses go through Flask as usual and the last
`after_request` hook stores the finished response. What is kept is a function of build, day,
Host header, path and query only: a view or hook whose answer depends on anything else (cookies,
other headers, typed text) must send `Cache-Control: no-store`, which is never kept.

Every cached response carries a strong ETag (build stamp + day + hash of the path and query),
Last-Modified (the build time, or midnight if later: ages change at midnight) and
Cache-Control; a matching If-None-Match or If-Modified-Since gets a 304. Bodies of text types are
gzipped once, when stored, and only the gzip bytes are kept (a third to a tenth of the page): they
are sent as they are to clients that accept gzip (every browser) and decompressed for the rare
client that does not.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, Response, g, request
from werkzeug.http import http_date

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CACHE_CONTROL = "public, max-age=60, must-revalidate"
# Per worker, as kept (gzipped): least recently used pages are dropped beyond it. 16 MB of gzip holds
# about 2,000 entry pages (100+ MB of HTML), more than the earlier 48 MB of plain + gzip copies did.
MAX_BYTES = 16 * 1024 * 1024
MAX_ITEM = 4 * 1024 * 1024  # larger bodies (as kept: gzipped) are not kept
COMPRESS_MIN = 512
COMPRESSIBLE = ("text/", "application/json", "application/javascript")
DROPPED_HEADERS = {"content-length", "content-encoding", "etag", "last-modified", "cache-control", "vary"}


Headers = list[tuple[str, str]]


@dataclass(slots=True)
class Entry:
    data: bytes  # the body: gzip-compressed when `gzipped`, else as the app made it
    gzipped: bool
    headers: Headers  # every header of the finished response but length, encoding and validators
    etag: str
    last_modified: dt.datetime
    last_modified_http: str

    @property
    def size(self) -> int:
        return len(self.data)

    def validators(self) -> Headers:
        return [("ETag", self.etag), ("Last-Modified", self.last_modified_http), ("Cache-Control", CACHE_CONTROL),
                ("Vary", "Accept-Encoding")]

    def not_modified(self, if_none_match: str | None, if_modified_since: str | None) -> bool:
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return self.etag in tags or "*" in tags
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError, IndexError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=dt.timezone.utc)
            return self.last_modified <= since
        return False

    def answer(self, environ: WSGIEnvironment) -> tuple[str, Headers, bytes]:
        """Status, headers and body for this request (304, gzip or plain)."""
        headers = self.validators()
        if self.not_modified(environ.get("HTTP_IF_NONE_MATCH"), environ.get("HTTP_IF_MODIFIED_SINCE")):
            return "304 NOT MODIFIED", headers + [h for h in self.headers if h[0].lower() != "content-type"], b""
        body = self.data
        if self.gzipped:
            if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
                headers.append(("Content-Encoding", "gzip"))
            else:
                body = gzip.decompress(body)
        headers += self.headers
        headers.append(("Content-Length", str(len(body))))
        return "200 OK", headers, body


class PageCache:
    """An in-process LRU of whole responses, keyed by build stamp, day, host and full path."""

    def __init__(self, build_dir: Path, max_bytes: int = MAX_BYTES, today=None):
        self.link = str(Path(build_dir) / "current")
        self.max_bytes = max_bytes
        self.today = today  # fixed day (tests), else the real date
        self.items: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        self.stamp: str | None = None
        self.built_at: dt.datetime | None = None
        self.hits = self.misses = 0

    # -- keys and validators ------------------------------------------------------------------
    def current_stamp(self) -> str | None:
        try:
            stamp = os.readlink(self.link)
        except OSError:
            return None
        if stamp != self.stamp:  # a new build was published: drop everything of the old one
            with self.lock:
                self.items.clear()
                self.size = 0
                self.stamp = stamp
                self.built_at = None
        return stamp

    def key(self, stamp: str, environ) -> tuple:
        """The Host header is part of the key: a hit is only served to a host that Flask already
        accepted for that page (TRUSTED_HOSTS), so the cache never bypasses the host check."""
        day = self.today or dt.date.today()
        return (stamp, day.isoformat(), environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
                environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", ""))

    def last_modified(self, day: str) -> dt.datetime:
        if self.built_at is None:
            built = None
            store = getattr(g, "store", None)
            if store is not None:
                with contextlib.suppress(ValueError, TypeError, OSError):
                    built = dt.datetime.fromisoformat(store.meta().get("built_at", ""))
            if built is None:
                with contextlib.suppress(ValueError, TypeError, OSError):
                    built = dt.datetime.fromtimestamp(os.lstat(self.link).st_mtime, dt.timezone.utc)
            if built is None:
                built = dt.datetime.now(dt.timezone.utc)
            if built.tzinfo is None:
                built = built.replace(tzinfo=dt.timezone.utc)
            self.built_at = built.replace(microsecond=0)
        midnight = dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc)
        return max(self.built_at, midnight)

    @staticmethod
    def etag_for(key: tuple) -> str:
        stamp, day, _host, path = key
        digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=10).hexdigest()
        return f'"{stamp}-{day.replace("-", "")}-{digest}"'

    # -- storing and answering ----------------------------------------------------------------
    def get(self, key: tuple) -> Entry | None:
        with self.lock:
            entry = self.items.get(key)
            if entry is not None:
                self.items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if entry.size > MAX_ITEM or key[0] != self.stamp:
            return
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= old.size
            self.items[key] = entry
            self.size += entry.size
            while self.size > self.max_bytes and self.items:
                _, dropped = self.items.popitem(last=False)
                self.size -= dropped.size

    def store(self, key: tuple, resp: Response) -> Entry:
        body = resp.get_data()
        gzipped = len(body) >= COMPRESS_MIN and (resp.mimetype or "").startswith(COMPRESSIBLE)
        if gzipped:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        lm = self.last_modified(key[1])
        headers = [(k, v) for k, v in resp.headers.items() if k.lower() not in DROPPED_HEADERS]
        entry = Entry(body, gzipped, headers, self.etag_for(key), lm, http_date(lm))
        self.put(key, entry)
        return entry

    def middleware(self, wsgi_app: WSGIApplication) -> WSGIApplication:
        """Answer hits before Flask sees the request; pass everything else through."""
        def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            method = environ.get("REQUEST_METHOD")
            if method == "GET" or method == "HEAD":
                stamp = self.current_stamp()
                if stamp is not None:
                    key = self.key(stamp, environ)
                    entry = self.get(key)
                    if entry is not None:
                        status, headers, body = entry.answer(environ)
                        start_response(status, headers)
                        return [b"" if method == "HEAD" else body]
                    environ["kb.cache_key"] = key
            return wsgi_app(environ, start_response)

        return serve


def init_app(app: Flask, build_dir: Path, today=None) -> PageCache:
    """Put the cache in front of `app` and register the hook that stores finished responses.

    Call it before registering other `after_request` hooks: this one must run last, when every
    header is set."""
    cache = PageCache(build_dir, today=today)
    app.extensions["kb_cache"] = cache
    # Flask documents wrapping `app.wsgi_app` for WSGI middleware; mypy sees it as replacing a method.
    app.wsgi_app = cache.middleware(app.wsgi_app)  # type: ignore[method-assign, assignment]

    @app.after_request
    def keep(resp: Response):
        key = request.environ.get("kb.cache_key")
        if (key is None or request.endpoint in (None, "static") or resp.status_code != 200
                or resp.direct_passthrough or resp.is_streamed or "Set-Cookie" in resp.headers
                or "no-store" in resp.headers.get("Cache-Control", "")):  # e.g. drafts: typed text is never kept
            return resp
        entry = cache.store(key, resp)
        status, headers, body = entry.answer(request.environ)
        resp.status = status
        resp.headers.clear()
        for k, v in headers:
            resp.headers.add(k, v)
        resp.set_data(body)
        if status.startswith("304"):
            resp.headers.pop("Content-Length", None)
        return resp

    return cache
