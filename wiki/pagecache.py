"""Whole-page cache for anonymous visitors (issue 6: a sheet view at a quarter of a bare Flask
app's throughput).

What may be cached: a GET of a few reading pages (CACHED_ENDPOINTS), by a visitor who is not
logged in and has no flashed message waiting, answered 200 with the security headers'
`no-cache` verdict (wiki/security.py: no form token, no cookie set, not a private
blueprint). Such a page is the same for every anonymous visitor, so it is stored once per
process under (path, query string, gzip or not), with its final headers and bytes (already
gzipped, ETag set), and answered from memory to the next visitor.

Why it cannot serve stale or someone else's content:
- Logged-in members never read or fill the cache (their pages hold their name, a CSRF token,
  permissions); a session carrying a flash message neither (the message is for one person).
- Every entry carries the wiki's *data version*, a random token in a file of the data folder
  (shared by all workers, and by every machine sharing the data folder). Any SQL write
  committed through SQLAlchemy (views, CLI, any worker) replaces the token after its commit;
  an entry whose version is not the current one is never served. So an edit, a page made
  private, a renamed group, a new attachment… reach visitors at once. The token is read
  before rendering, so a page rendered while a write commits is stored under the old token
  and dropped. Writes that change nothing a page shows (a new login, a login's last
  activity, failed logins, the audit log) do not count; ending a login does.
- A TTL bounds whatever does not go through SQLAlchemy (a static file replaced in place, a
  manual edit of the database): at most TTL seconds.

Members' pages never come from that cache, but `fragment()` keeps, under the same version
(and FRAGMENT_TTL), pieces of HTML that are the same for every reader (a sheet's sections, a
page's list of files), kept per reader class with slots for what is personal (a member's
sheet page: name, form tokens) or kept per reader (the home page's lists), and rows: a page
with its current revision (the reading views) and a login session with its user. The view
still checks the read permission on every request with those rows, decides the rights, and
puts in each reader's name and form tokens; a login's expiry is checked on every request.
`data_version()` is read once per request, before the user or any row is loaded
(FRAGMENT_ENDPOINTS; elsewhere when the user is loaded), so a fragment is never stored under
a version newer than its data.
"""
from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections import OrderedDict

from flask import Flask, Response, current_app, g, has_request_context, request, session

CACHED_ENDPOINTS = frozenset({"pages.view", "pages.home", "groups.view"})
FRAGMENT_ENDPOINTS = frozenset({"pages.view", "pages.revision", "pages.home"})  # see fragment()
TTL = 10.0  # seconds; the version check makes changes visible at once, this is the backstop
MAX_ENTRIES = 2000  # about 10 KB each (gzipped): a few tens of MB at most per worker
MAX_FRAGMENTS = 4000  # pieces of pages, a few KB each
# Fragments hold only database content (no static file addresses), and every write through
# SQLAlchemy or `invalidate()` replaces the version: the TTL only bounds a manual edit of the
# database. Longer than TTL because each worker re-renders every fragment it keeps once per
# FRAGMENT_TTL, Markdown of the sections included.
FRAGMENT_TTL = 60.0
VERSION_FILE = "page-cache.version"
EXTENSION_KEY = "wiki_page_cache"

# Statements that write nothing; anything else (INSERT, UPDATE, DELETE, DDL…) makes the
# transaction "dirty" and its commit bumps the version.
_READ_ONLY = ("SELECT", "PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "EXPLAIN")
# Writes no page shows must not empty the cache: a new login, a login's last activity
# (written once a minute per logged-in member), failed logins, the audit log. Ending a login
# does count: the kept login rows (wiki/auth/services.py) must not outlive it.
_INVISIBLE_WRITE = re.compile(
    r'\s*(?:(?:INSERT\s+INTO|UPDATE)\s+"?login_sessions|(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?'
    r'(?:login_failures|audit_events))\b', re.I)
_DIRTY, _COMMITTED = "wiki_page_cache_dirty", "wiki_page_cache_committed"
_VERSION_KEY = "wiki.data_version"  # in the WSGI environ: one read per request
_SKIP = object()  # g marker: not a candidate / answered from the cache


class PageCache:
    def __init__(self, version_path: str):
        self.version_path = version_path
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.memos: dict[str, tuple[str, object]] = {}
        self.fragments: OrderedDict = OrderedDict()

    def version(self) -> str:
        # Read on every request: bare system calls take a third of the time of open() and its file objects.
        try:
            descriptor = os.open(self.version_path, os.O_RDONLY)
        except FileNotFoundError:
            return ""
        try:
            return os.read(descriptor, 256).decode("ascii")
        finally:
            os.close(descriptor)

    def bump(self) -> None:
        """A new random token, replaced atomically (readers see the old or the new one)."""
        temporary = f"{self.version_path}.{os.getpid()}.{threading.get_ident()}"
        with open(temporary, "w", encoding="ascii") as handle:
            handle.write(uuid.uuid4().hex)
        os.replace(temporary, self.version_path)
        if has_request_context():  # this request wrote: what it renders next needs the new token
            request.environ.pop(_VERSION_KEY, None)

    def get(self, key, version: str):
        entry = self.entries.get(key)
        if entry is None:
            return None
        entry_version, stored_at, headers, body = entry
        if entry_version != version or time.monotonic() - stored_at > TTL:
            with self.lock:
                self.entries.pop(key, None)
            return None
        return headers, body

    def put(self, key, version: str, headers: list, body: bytes) -> None:
        with self.lock:
            self.entries[key] = (version, time.monotonic(), headers, body)
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


def _cache() -> PageCache:
    return current_app.extensions[EXTENSION_KEY]


def invalidate() -> None:
    """For changes made outside SQLAlchemy's sessions (a restored database)."""
    _cache().bump()


def data_version() -> str:
    """The data version, read once per request (the first call) and kept with the request
    (not in `g`: an app context may outlive many requests). Read first thing for
    FRAGMENT_ENDPOINTS: data read afterwards is at least as new as this version, so storing
    under it never serves stale content (at worst an entry is stored under a version already
    replaced, and never read)."""
    if not has_request_context():  # CLI, tests: no request to scope it to
        return _cache().version()
    version = request.environ.get(_VERSION_KEY)
    if version is None:
        version = request.environ[_VERSION_KEY] = _cache().version()
    return version


def memo(name: str, compute):
    """compute(), kept until the data version changes: for small lists every page shows
    (the theme names) that would otherwise cost a query per request."""
    cache = _cache()
    version = data_version()  # read before computing, as for pages
    kept = cache.memos.get(name)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = compute()
    cache.memos[name] = (version, value)
    return value


def fragment(key, compute, *, keep_none: bool = True):
    """compute() (HTML or data the same for every reader, nothing about the user: no name,
    no form token, no button that depends on rights; or else keyed by the reader), kept per
    process under the data version, at most FRAGMENT_TTL seconds. `key` must name everything
    the result depends on besides the database (e.g. ("sheet", revision id)). Call it only
    where the version is read before any row: FRAGMENT_ENDPOINTS, or the user loading (the
    first read of every request). keep_none=False: a None is not kept (e.g. a missing page:
    addresses made up by a crawler must not push out what readers use)."""
    cache = _cache()
    version = data_version()
    kept = cache.fragments.get(key)
    if kept is not None and kept[0] == version and time.monotonic() - kept[1] <= FRAGMENT_TTL:
        return kept[2]
    value = compute()
    if value is None and not keep_none:
        return value
    _keep(cache, key, version, value)
    return value


def replace_fragment(key, value) -> None:
    """Keep `value` under `key` in place of what fragment() kept: for a row this request
    changed by a write that leaves the data version as it was (a login's last activity)."""
    _keep(_cache(), key, data_version(), value)


def _keep(cache: PageCache, key, version: str, value) -> None:
    with cache.lock:
        cache.fragments[key] = (version, time.monotonic(), value)
        cache.fragments.move_to_end(key)
        while len(cache.fragments) > MAX_FRAGMENTS:
            cache.fragments.popitem(last=False)


def _anonymous_without_messages() -> bool:
    if "_flashes" in session:
        return False
    from flask_login import current_user

    try:
        return not current_user.is_authenticated
    except Exception:  # noqa: BLE001  (a broken session or database: no cache)
        return False


def serve_cached():
    """before_request (after the input checks and the user loading)."""
    if request.method != "GET" or request.endpoint not in CACHED_ENDPOINTS or not _anonymous_without_messages():
        g.page_cache = _SKIP
        return None
    cache = _cache()
    key = (request.environ.get("PATH_INFO", ""), request.environ.get("QUERY_STRING", ""),
           request.accept_encodings["gzip"] > 0)
    version = data_version()
    hit = cache.get(key, version)
    if hit is None:
        g.page_cache = (key, version)  # after_request stores the answer under the version read now
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
    key, version = candidate
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    _cache().put(key, version, headers, response.get_data())
    return response


def _watch_writes(app: Flask, cache: PageCache) -> None:
    """Bump the version after each commit of a transaction that wrote something visible."""
    from sqlalchemy import event

    from .extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "after_cursor_execute")
    def note_write(conn, _cursor, statement, _params, _context, _many):
        if not statement.lstrip()[:9].upper().startswith(_READ_ONLY) and not _INVISIBLE_WRITE.match(statement):
            conn.info[_DIRTY] = True

    @event.listens_for(engine, "commit")
    def committing(conn):  # fired just before the COMMIT: bump only once it is done (checkin)
        if conn.info.pop(_DIRTY, False):
            conn.info[_COMMITTED] = True

    @event.listens_for(engine, "rollback")
    def rolled_back(conn):
        conn.info.pop(_DIRTY, None)

    @event.listens_for(engine.pool, "checkin")
    def released(_dbapi_connection, record):
        # The session gives its connection back right after its commit. A connection that
        # commits and stays checked out (rare: CLI) bumps when released; the TTL bounds it.
        if record is not None:
            record.info.pop(_DIRTY, None)  # rolled back on return
            if record.info.pop(_COMMITTED, False):
                cache.bump()


def init_app(app: Flask) -> None:
    """Call before registering the delivery hooks: its after_request must run after theirs."""
    os.makedirs(app.instance_path, exist_ok=True)
    cache = app.extensions[EXTENSION_KEY] = PageCache(os.path.join(app.instance_path, VERSION_FILE))
    _watch_writes(app, cache)
    app.before_request(serve_cached)
    app.after_request(store)
    # Ahead of the user loading (and of every hook but the input checks, which security.py
    # puts first later): fragments may depend on the reader's row (role, groups).
    app.before_request_funcs.setdefault(None, []).insert(0, _read_version_first)


def _read_version_first():
    if request.endpoint in FRAGMENT_ENDPOINTS:
        data_version()
