"""Whole pages for anonymous visitors.

What may be kept: a GET of a few reading pages (CACHED_ENDPOINTS) by a visitor who is not
logged in and has no flashed message waiting, answered 200 with the security headers'
`no-cache` verdict (wiki/security.py: no form token, no cookie set, not a private
blueprint). Such a page is the same for every anonymous visitor, so it is kept once per
process under (path, query string, gzip or not), with its final headers and bytes, under
the data version (wiki/cache/version.py): any write that readers see makes it unreachable.
A TTL bounds what does not go through the database (a static file replaced in place)."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

from ..i18n import language
from . import version

CACHED_ENDPOINTS = frozenset({"pages.view", "pages.home", "groups.view"})
TTL = 10.0  # seconds: the version makes changes visible at once, this is the backstop
MAX_ENTRIES = 2000  # about 10 KB each (gzipped): a few tens of MB at most per worker
EXTENSION_KEY = "wiki_page_cache"
_SKIP = object()  # g marker: not a candidate / answered from the cache


class PageCache:
    def __init__(self):
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, data_version: str):
        entry = self.entries.get(key)
        if entry is None:
            return None
        entry_version, stored_at, headers, body = entry
        if entry_version != data_version or time.monotonic() - stored_at > TTL:
            with self.lock:
                self.entries.pop(key, None)
            return None
        return headers, body

    def put(self, key, data_version: str, headers: list, body: bytes) -> None:
        with self.lock:
            self.entries[key] = (data_version, time.monotonic(), headers, body)
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


def _anonymous_without_messages() -> bool:
    if "_flashes" in session:
        return False
    try:
        return not current_user.is_authenticated
    except Exception:  # noqa: BLE001  (a broken session or database: no cache)
        return False


def serve_cached():
    """before_request (after the input checks and the user loading)."""
    if request.method != "GET" or request.endpoint not in CACHED_ENDPOINTS or not _anonymous_without_messages():
        g.page_cache = _SKIP
        return None
    cache = current_app.extensions[EXTENSION_KEY]
    key = (request.environ.get("PATH_INFO", ""), request.environ.get("QUERY_STRING", ""),
           request.accept_encodings["gzip"] > 0, language())
    data_version = version.current()
    hit = cache.get(key, data_version)
    if hit is None:
        g.page_cache = (key, data_version)  # store() keeps the answer under the version read now
        return None
    g.page_cache = _SKIP
    headers, body = hit
    # The after_request hooks still run: they answer 304 to a matching If-None-Match.
    return Response(body, status=200, headers=headers)


def store(response):
    """after_request, run last: the final bytes and headers."""
    candidate = g.pop("page_cache", _SKIP)
    if candidate is _SKIP or response.status_code != 200 or response.direct_passthrough \
            or response.is_streamed:
        return response
    if "no-store" in response.headers.get("Cache-Control", "no-store") or "Set-Cookie" in response.headers \
            or session.modified or "_flashes" in session:
        return response
    key, data_version = candidate
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    current_app.extensions[EXTENSION_KEY].put(key, data_version, headers, response.get_data())
    return response


def _read_version_first():
    """Before any row of a reading request: what it renders is at least as new as the version."""
    if request.method in ("GET", "HEAD") and request.endpoint not in ("static", "health.healthz"):
        version.current()


def init_app(app: Flask) -> None:
    """Call before registering the delivery hooks: its after_request must run after theirs."""
    app.extensions[EXTENSION_KEY] = PageCache()
    app.before_request(serve_cached)
    app.after_request(store)
    # Ahead of the user loading and of every hook but the input checks (security.py puts them first later).
    app.before_request_funcs.setdefault(None, []).insert(0, _read_version_first)
