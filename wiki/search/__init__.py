"""Search interface. Only this package knows about Whoosh; the index is derived from the
database (the page_changes feed) and catches up by itself."""
from __future__ import annotations

import threading

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..pages.models import Page, Revision
from .documents import SearchDoc, SearchHit, SearchPage  # noqa: F401  (the package's interface)
from . import feed
from .feed import changes_since, docs_for, latest_change_id, rebuild_docs
from .thesaurus import synonym_sets
from .searching import SearchIndex

EXTENSION_KEY = "wiki_search"


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = SearchIndex(app.config["SEARCH_INDEX_DIR"], app.config["SEARCH_STEMMER"])
    interval = app.config.get("SEARCH_CATCH_UP_INTERVAL", 0)
    if interval and not app.testing:
        started = threading.Lock()

        @app.before_request
        def start_follower():  # in serving processes only, not in CLI commands
            if started.acquire(blocking=False):
                _start_follower(app, interval)


def _start_follower(app: Flask, interval: float) -> None:
    """Each process follows the database on its own, so saves made elsewhere (another
    worker, another machine) reach its index within `interval` seconds."""
    def follow():
        while True:
            with app.app_context():
                catch_up()
            pause.wait(interval)

    pause = threading.Event()
    threading.Thread(target=follow, name="search-follower", daemon=True).start()


def get_index() -> SearchIndex:
    return current_app.extensions[EXTENSION_KEY]


def catch_up(wait: float = 0, background: bool = False) -> bool:
    """Bring the index up to the newest page change; never raises into a request.

    A missing or corrupt index is rebuilt from the database: in a background thread when
    `background` (the request answers at once, saying results are incomplete)."""
    index = get_index()
    if background and index.needs_rebuild():
        _rebuild_in_background(current_app._get_current_object())
        return False
    try:
        return index.catch_up(latest_change_id=latest_change_id(), changes_since=changes_since,
                                    docs_for=docs_for, all_docs=rebuild_docs, wait=wait)
    except Exception:  # the next request or save tries again; the database is the truth
        current_app.logger.exception("search index catch-up failed")
        return False


_rebuilding = threading.Lock()


def _rebuild_in_background(app: Flask) -> None:
    def rebuild():
        try:
            with app.app_context():
                catch_up()
        finally:
            _rebuilding.release()

    if _rebuilding.acquire(blocking=False):  # one rebuild thread per process
        threading.Thread(target=rebuild, name="search-rebuild", daemon=True).start()


def wait_for_rebuild() -> None:
    """Returns once this process's background rebuild, if any, has finished (tests, shutdown)."""
    with _rebuilding:
        pass


def changes_behind(newest: int) -> int:
    """How many page changes, up to `newest`, this server's index has not replayed (all of them
    while it has none)."""
    return max(0, newest - max(get_index().replayed_change(), 0))


def pages_left_out() -> int:
    """Pages this process could not index (see the log): a damaged row, not a full index."""
    return len(feed.left_out())


def reindex(wait: bool = True) -> int:
    """Rebuild the index beside the live one and swap it in; returns the number of pages
    (-1 when another rebuild is running and `wait` is False)."""
    return get_index().rebuild(rebuild_docs, latest_change_id(), wait=wait)


def search_pages(reader, text: str, *, filters: dict[str, str] | None = None, page: int = 1,
                 per_page: int = 20, sort: str = "relevance", correct: bool = True) -> SearchPage:
    """One page of results for `reader`. When the words find few pages and a word that finds
    nothing has a close spelling, the results are for the corrected words (unless not `correct`)."""
    # Wait a moment for another process that is writing the index; if it is still busy, its
    # catch-up or the followers index the newest saves within seconds.
    catch_up(wait=0.25, background=True)
    outcome = get_index().query(text, readable=policy.index_filter(reader), filters=filters or {}, page=page, per_page=per_page,
                                sort=sort, synonyms=synonym_sets(), correct=correct)
    if outcome is None:
        return SearchPage(total=0, hits=[], complete=False)
    return SearchPage(total=outcome.total, hits=[SearchHit(*hit) for hit in outcome.hits], facets=outcome.facets,
                      complete=not get_index().needs_rebuild(), suggestion=outcome.suggestion,
                      corrected_from=outcome.corrected_from)


def search_readable(user, text: str, *, filters: dict | None = None, page: int = 1, per_page: int = 20,
                    sort: str = "relevance", correct: bool = True):
    """Search as `user`: (SearchPage, [(Page, SearchHit)]) with rows reloaded from the database."""
    result = search_pages(user, text, filters=filters, page=page, per_page=per_page, sort=sort, correct=correct)
    ids = [h.page_id for h in result.hits]
    # The result list shows each page's current place, themes and author's side: loaded with
    # the pages in one query, not one per result.
    rows = {p.id: p for p in db.session.scalars(
        select(Page).where(Page.id.in_(ids)).options(
            selectinload(Page.current).load_only(Revision.fields, Revision.author_side)))}
    # The filter already ran inside the index query; this re-check guards against a stale index.
    pairs = [(rows[h.page_id], h) for h in result.hits if h.page_id in rows and policy.may(user, "read", rows[h.page_id])]
    return result, pairs
