"""Whole-page cache for anonymous visitors (wiki/cache/pages.py) under the data version
(wiki/cache/version.py): served from memory until a write that readers see, never stale
after one, never a member's page or a flashed message."""
from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from flask import request
from sqlalchemy import create_engine, delete, event, select, text, update
from sqlalchemy.pool import NullPool
from support import PASSWORD, make_csrf_app

from wiki import search
from wiki.audit import services as audit
from wiki.audit.models import AuditEvent
from wiki.auth import accounts, sessions
from wiki.auth.models import ApiToken, LoginFailure, LoginSession, User
from wiki.cache import pages as pagecache
from wiki.cache import version
from wiki.cache.models import DataVersion
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.pages.models import Page
from wiki.policy import SYSTEM

ORIGINAL = "Texte d'origine."


@pytest.fixture
def public_page(app, make_user):
    coordinator = make_user("coordinateur", "nord")
    with app.app_context():
        page = pages.create_page(author=db.session.get(User, coordinator), title="Puits de Kalabougou",
                                 body=ORIGINAL, visibility="public")
        return page.slug, coordinator


def _page(slug: str) -> Page:
    return db.session.scalar(select(Page).where(Page.slug == slug))


def _edit(app, slug, user_id, body, **values):
    with app.app_context():
        page = _page(slug)
        pages.update_page(page, author=db.session.get(User, user_id), base_revision=None,
                          title=page.title, body=body, **values)


def _entries(app):
    return app.extensions[pagecache.EXTENSION_KEY].entries


def _token(app) -> str:
    """The data version as a new request would read it (outside a request: read afresh)."""
    with app.app_context():
        return version.current()


def _warm(client, path: str):
    """The first visitor view writes the revision's HTML cache (a write: a new version), the
    second one is stored; the third is served from memory."""
    client.get(path)
    response = client.get(path)
    assert response.status_code == 200
    return response


def _tamper(app, path: str, old: str, new: str) -> None:
    """Change the kept bytes: a page served with them came from memory, not from a rendering."""
    cache = app.extensions[pagecache.EXTENSION_KEY]
    keys = [key for key in cache.entries if key[0] == path]
    assert keys, "nothing kept for " + path
    for key in keys:
        data_version, stored_at, headers, body = cache.entries[key]
        assert old.encode() in body
        cache.entries[key] = (data_version, stored_at, headers, body.replace(old.encode(), new.encode()))


class Statements:
    """The SQL the app sends while the block runs."""

    def __init__(self, app):
        self.app, self.seen = app, []

    def _note(self, _conn, _cursor, statement, *_args):
        self.seen.append(statement)

    def __enter__(self):
        with self.app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._note)
        return self.seen

    def __exit__(self, *_exc):
        with self.app.app_context():
            event.remove(db.engine, "before_cursor_execute", self._note)


# Served from memory ---------------------------------------------------------------------

def test_visitor_page_is_served_from_memory(app, client, public_page):
    slug, _ = public_page
    first = _warm(client, f"/p/{slug}")
    assert ORIGINAL in first.text
    assert len(_entries(app)) == 1
    with Statements(app) as queries:
        second = client.get(f"/p/{slug}")
    # The only statement: the data version, read once (nothing of the page, no user).
    assert len(queries) == 1 and "data_version" in queries[0], queries
    assert second.data == first.data
    assert second.headers["Cache-Control"] == "no-cache" and "no-store" not in second.headers["Cache-Control"]
    assert second.headers["ETag"] == first.headers["ETag"]
    assert client.get(f"/p/{slug}", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_home_and_group_pages_are_kept_too(app, client, public_page):
    with app.app_context():
        slug = groups.create_group(name="Eau potable", by=SYSTEM).slug
    for path in ("/", f"/groupes/{slug}"):
        _warm(client, path)
        assert any(key[0] == path for key in _entries(app)), path
        with Statements(app) as queries:
            assert client.get(path).status_code == 200
        assert len(queries) == 1, (path, queries)


def test_pages_not_in_the_list_are_not_kept(app, client, public_page):
    slug, _ = public_page
    for path in (f"/p/{slug}/historique", "/pages", f"/p/{slug}/source", "/p/page-absente"):
        client.get(path)
        client.get(path)
    assert not _entries(app)


def test_visitor_sheet_is_served_from_memory_without_a_cookie(app, client, make_user):
    with app.app_context():
        author = db.session.get(User, make_user("coordinateur", "sud"))
        slug = pages.create_page(author=author, title="Jardin de Sanankoroba", kind="fiche", body="Des planches.",
                                 visibility="public", themes=["agriculture"], fields={"region": "Koulikoro"}).slug
    first = _warm(client, f"/p/{slug}")
    assert "Des planches." in first.text
    assert "Set-Cookie" not in first.headers and 'name="csrf_token"' not in first.text
    assert len(_entries(app)) == 1
    _tamper(app, f"/p/{slug}", "Des planches.", "Servi de la mémoire.")
    assert "Servi de la mémoire." in client.get(f"/p/{slug}").text


def test_visitor_pages_of_a_csrf_protected_app_are_kept(tmp_path):
    """With CSRF on (production), a visitor's page makes no form token: no cookie, kept. A
    visitor who opened the login form (a session with a token) gets the same kept page."""
    app = make_csrf_app(tmp_path / "csrf")
    try:
        with app.app_context():
            search.catch_up()  # the index exists: no rebuild in the background
            coordinator = accounts.create_user(email="coord@example.org", name="Coordination", side="nord",
                                               role="coordinateur", password=PASSWORD, by=SYSTEM)
            slug = pages.create_page(author=coordinator, title="Puits de Ségou", body=ORIGINAL,
                                     visibility="public").slug
        visitor = app.test_client()
        for path in ("/", f"/p/{slug}"):
            response = _warm(visitor, path)
            assert "Set-Cookie" not in response.headers and "csrf_token" not in response.text
            assert any(key[0] == path for key in _entries(app)), path
        _tamper(app, f"/p/{slug}", ORIGINAL, "Copie gardée.")
        other = app.test_client()
        assert 'name="csrf_token"' in other.get("/connexion").text
        assert "Copie gardée." in other.get(f"/p/{slug}").text
    finally:
        with app.app_context():
            db.engine.dispose()


def test_gzip_and_plain_are_distinct_entries(app, client, public_page):
    slug, _ = public_page
    client.get(f"/p/{slug}")  # the revision's HTML cache
    plain = client.get(f"/p/{slug}")
    packed = client.get(f"/p/{slug}", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    assert len(_entries(app)) == 2
    assert client.get(f"/p/{slug}").data == plain.data
    again = client.get(f"/p/{slug}", headers={"Accept-Encoding": "gzip"})
    assert again.data == packed.data and again.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in again.headers["Vary"] and again.headers["ETag"] == packed.headers["ETag"]
    assert gzip.decompress(again.data) == plain.data
    # The weak ETag names the page, sent gzipped or not: a 304 either way.
    assert packed.headers["ETag"] == plain.headers["ETag"] and packed.headers["ETag"].startswith("W/")
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        revalidated = client.get(f"/p/{slug}", headers={**headers, "If-None-Match": plain.headers["ETag"]})
        assert revalidated.status_code == 304 and not revalidated.data


def test_query_string_is_part_of_the_key(app, client, public_page):
    _warm(client, "/")
    _warm(client, "/?x=1")
    assert {key[1] for key in _entries(app) if key[0] == "/"} == {"", "x=1"}


def test_ttl_bounds_what_the_version_does_not_see(app, client, public_page, monkeypatch):
    slug, _ = public_page
    _warm(client, f"/p/{slug}")
    _tamper(app, f"/p/{slug}", ORIGINAL, "Ancien.")
    assert "Ancien." in client.get(f"/p/{slug}").text  # served from memory
    monkeypatch.setattr(pagecache, "TTL", -1.0)  # every entry is now too old
    html = client.get(f"/p/{slug}").text
    assert ORIGINAL in html and "Ancien." not in html


# A write readers see replaces the version -----------------------------------------------

def test_edit_is_seen_at_once(app, client, public_page):
    slug, coordinator = public_page
    _warm(client, f"/p/{slug}")
    before = _token(app)
    _edit(app, slug, coordinator, "Texte corrigé.")
    assert _token(app) != before
    html = client.get(f"/p/{slug}").text
    assert "Texte corrigé." in html and ORIGINAL not in html


def test_page_made_private_disappears_at_once(app, client, public_page):
    slug, coordinator = public_page
    _warm(client, f"/p/{slug}")
    with app.app_context():
        page = _page(slug)
        pages.update_page(page, author=db.session.get(User, coordinator), base_revision=None,
                          title=page.title, body=page.current.body, visibility="membres")
    assert client.get(f"/p/{slug}").status_code == 404
    assert "Puits de Kalabougou" not in client.get("/").text


def test_orm_flush_replaces_the_version(app, client, public_page):
    """Any change of a model readers see, flushed by hand or by the commit, is counted."""
    slug, _ = public_page
    _warm(client, f"/p/{slug}")
    before = _token(app)
    with app.app_context():
        _page(slug).current.title = "Puits rénové de Kalabougou"
        db.session.flush()
        assert version.current() == before  # not committed: nothing changed for readers yet
        db.session.commit()
    assert _token(app) != before
    assert "Puits rénové de Kalabougou" in client.get(f"/p/{slug}").text
    before = _token(app)
    with app.app_context():
        _page(slug).current.title = "Puits de Kalabougou"  # pending: the commit flushes it
        db.session.commit()
    assert _token(app) != before
    assert "Puits rénové" not in client.get(f"/p/{slug}").text


def test_bulk_statement_replaces_the_version(app, client, public_page):
    slug, _ = public_page
    _warm(client, f"/p/{slug}")
    before = _token(app)
    with app.app_context():
        db.session.execute(update(Page).where(Page.slug == slug).values(visibility="membres"))
        db.session.commit()
    after = _token(app)
    assert after != before
    assert client.get(f"/p/{slug}").status_code == 404
    with app.app_context():
        db.session.execute(update(Page).where(Page.slug == slug).values(visibility="public"))
        db.session.commit()
    assert _token(app) != after
    assert client.get(f"/p/{slug}").status_code == 200


def written_elsewhere(app, statement: str) -> None:
    """A commit by another worker: its own connection to the database, outside the app."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    with engine.begin() as other:
        other.execute(text(statement))
    engine.dispose()


def test_write_by_another_process_is_seen(app, client, public_page):
    """Another worker's commit shows only as a new token in the database."""
    slug, _ = public_page
    _warm(client, f"/p/{slug}")
    _tamper(app, f"/p/{slug}", ORIGINAL, "Ancien.")
    assert "Ancien." in client.get(f"/p/{slug}").text  # served from memory
    written_elsewhere(app, "UPDATE data_version SET token = 'written-by-another-worker' WHERE id = 1")
    assert _token(app) == "written-by-another-worker"
    html = client.get(f"/p/{slug}").text
    assert ORIGINAL in html and "Ancien." not in html


def test_invalidate_for_changes_outside_the_orm(app, client, public_page):
    """A plain SQL statement (a restored database, a manual fix) is not seen by the unit of
    work: `version.invalidate()` is what makes it visible."""
    slug, _ = public_page
    _warm(client, f"/p/{slug}")
    before = _token(app)
    with app.app_context():
        version.invalidate()
    assert _token(app) != before
    _warm(client, f"/p/{slug}")  # stored again under the new version
    assert any(entry[0] == _token(app) for entry in _entries(app).values())


# Writes readers do not see keep the version ---------------------------------------------

def test_login_activity_failures_and_audit_keep_the_version(app, client, auth, make_user, public_page):
    slug, _ = public_page
    member = make_user("contributeur", "sud")
    visitor = app.test_client()
    _warm(visitor, f"/p/{slug}")
    auth.login(member)  # a login session row, failures of the account cleared
    before = _token(app)
    _tamper(app, f"/p/{slug}", ORIGINAL, "Toujours en mémoire.")
    with app.app_context():  # the activity of a login (what load_session_user writes)
        login = db.session.scalar(select(LoginSession))
        login.last_seen_at = moved_back = login.last_seen_at - timedelta(minutes=5)
        db.session.commit()
    assert _token(app) == before
    assert client.get("/compte").status_code == 200  # notes the activity through the app
    with app.app_context():
        assert db.session.scalar(select(LoginSession)).last_seen_at > moved_back
    assert _token(app) == before
    failing = app.test_client()  # a failed login: a LoginFailure row, committed
    assert failing.post("/connexion", data={"email": "personne@example.org", "password": "non"}).status_code != 302
    with app.app_context():
        assert db.session.scalar(select(db.func.count(LoginFailure.id))) == 1
    assert _token(app) == before
    with app.app_context():
        audit.record(None, "test.lecture", "page:" + slug)
        db.session.add(LoginFailure(email="autre@example.org", address="192.0.2.1"))
        db.session.commit()
        assert db.session.scalar(select(db.func.count(AuditEvent.id))) >= 1
    assert _token(app) == before
    with app.app_context():  # bulk statements on those models too
        db.session.execute(update(LoginSession).values(is_remembered=True))
        db.session.execute(delete(LoginFailure))
        db.session.commit()
    assert _token(app) == before
    assert "Toujours en mémoire." in visitor.get(f"/p/{slug}").text  # the visitors' page was kept


def test_api_token_use_keeps_the_version(app, api, make_user, public_page):
    slug, _ = public_page
    reader = make_user("lecteur", "sud")
    assert api("GET", f"/pages/{slug}", user_id=reader).status_code == 200  # the revision's HTML cache, once
    before = _token(app)
    with app.app_context():  # the last use, moved back: the next call notes it again
        db.session.execute(update(ApiToken).values(last_used_at=None))
        db.session.commit()
    assert _token(app) == before
    assert api("GET", f"/pages/{slug}", user_id=reader).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None
    assert _token(app) == before


def test_a_visible_write_with_invisible_ones_counts(app, public_page):
    slug, _ = public_page
    before = _token(app)
    with app.app_context():
        db.session.add(LoginFailure(email="x@example.org", address="192.0.2.2"))
        _page(slug).current.summary = "Résumé revu"
        db.session.commit()
    assert _token(app) != before


def test_rolled_back_writes_keep_the_version(app, client, public_page):
    slug, _ = public_page
    _warm(client, f"/p/{slug}")
    before = _token(app)
    with app.app_context():
        _page(slug).current.title = "Jamais enregistré"
        db.session.flush()
        db.session.rollback()
        db.session.execute(update(Page).where(Page.slug == slug).values(visibility="membres"))
        db.session.rollback()
        # What the rolled back transactions noted is forgotten: an invisible write alone next.
        db.session.add(LoginFailure(email="x@example.org", address="192.0.2.3"))
        db.session.commit()
    assert _token(app) == before
    html = client.get(f"/p/{slug}").text
    assert "Jamais enregistré" not in html and ORIGINAL in html


def test_the_token_row_is_one_row(app, public_page):
    slug, coordinator = public_page
    for n in range(3):
        _edit(app, slug, coordinator, f"Texte {n}.")
    with app.app_context():
        assert [row.id for row in db.session.scalars(select(DataVersion))] == [1]


# The version is read once per request, first ---------------------------------------------

def test_data_version_is_read_once_per_request_and_again_after_its_own_write(app, public_page):
    slug, coordinator = public_page
    with app.test_request_context("/"):
        first = version.current()
        written_elsewhere(app, "UPDATE data_version SET token = 'changed-by-another-worker' WHERE id = 1")
        # Data read by this request may predate that write: keep the version read first.
        assert version.current() == first
        _edit(app, slug, coordinator, "Écrit pendant la requête.")
        # This request wrote (and replaced the token): what it renders from now on is newer.
        assert version.current() not in (first, "changed-by-another-worker")
    with app.test_request_context("/"):
        assert version.current() != first


def test_version_is_read_before_the_reader_is_loaded(app, client, auth, make_user, monkeypatch):
    """Kept parts depend on the reader's row: the version must be read before it, or a role
    changed in between could be stored as new."""
    auth.login(make_user("contributeur", "nord"))
    seen = []
    real = sessions.load_session_user

    def spy(token):
        seen.append(request.environ.get(version._REQUEST_KEY))
        return real(token)

    monkeypatch.setattr(sessions, "load_session_user", spy)
    for path in ("/", "/p/nulle-part"):
        client.get(path)
    assert len(seen) == 2 and all(seen)


# Members and messages ----------------------------------------------------------------------

def test_member_page_never_cached_nor_served_cached(app, client, auth, make_user, public_page):
    slug, _ = public_page
    member = make_user("contributeur", "sud")
    _warm(client, f"/p/{slug}")  # a visitor's copy in the cache
    auth.login(member)
    html = client.get(f"/p/{slug}").text
    assert "Se déconnecter" in html and "Se connecter" not in html  # not the visitor's copy
    _entries(app).clear()
    member_view = client.get(f"/p/{slug}")
    assert "Se déconnecter" in member_view.text and not _entries(app)
    assert member_view.headers["Cache-Control"] == "no-store" and "ETag" not in member_view.headers
    auth.logout()
    visitor = app.test_client().get(f"/p/{slug}").text
    assert "Se déconnecter" not in visitor and "Contributeur" not in visitor


def test_member_home_never_served_from_the_visitors_copy(app, client, auth, make_user, public_page):
    member = make_user("contributeur", "sud")
    _warm(client, "/")
    _tamper(app, "/", "Dernières modifications", "Copie des visiteurs")
    auth.login(member)
    html = client.get("/").text
    assert "Copie des visiteurs" not in html and "Se déconnecter" in html
    assert not any(key[0] == "/" and entry[3].find(b"Se d") >= 0 for key, entry in _entries(app).items())


def test_flash_message_never_cached(app, client, auth, make_user, public_page):
    slug, _ = public_page
    member = make_user("contributeur", "sud")
    auth.login(member)
    auth.logout()  # flashes « Vous êtes déconnecté. » for the next page, to a visitor again
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Message pour une seule personne.")]
    assert "Message pour une seule personne." in client.get(f"/p/{slug}").text
    assert not _entries(app)
    assert "Message pour une seule personne." not in client.get(f"/p/{slug}").text  # shown once
    assert "Message pour une seule personne." not in app.test_client().get(f"/p/{slug}").text


def test_flash_waiting_bypasses_a_cached_copy(app, client, public_page):
    slug, _ = public_page
    _warm(client, f"/p/{slug}")
    assert _entries(app)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Bienvenue.")]
    assert "Bienvenue." in client.get(f"/p/{slug}").text
    assert "Bienvenue." not in client.get(f"/p/{slug}").text
    assert not any(b"Bienvenue." in entry[3] for entry in _entries(app).values())


def test_the_first_view_of_a_revision_fills_its_html_without_emptying_the_caches(app, client, public_page):
    """The rendered HTML is kept on the revision row at its first view: a cache column
    (Revision.cache_columns), not a change readers see."""
    slug, coordinator = public_page
    with app.app_context():
        other = pages.create_page(author=db.session.get(User, coordinator), title="Mare de Djenné",
                                  body="Une mare.", visibility="public").slug
    _warm(client, f"/p/{slug}")
    before = _token(app)
    assert client.get(f"/p/{other}").status_code == 200  # renders and stores Mare de Djenné's HTML
    with app.app_context():
        assert _page(other).current.html is not None
    assert _token(app) == before
    with app.app_context():  # a visible change of the same row still counts
        revision = _page(other).current
        revision.summary = "corrigé"
        db.session.commit()
    assert _token(app) != before
