"""Whole-page cache for anonymous visitors (wiki/pagecache.py): served from memory, never
stale after a write, never a member's page or a flashed message."""
import pytest

from wiki import pagecache
from wiki.auth.models import User
from wiki.extensions import db
from wiki.pages import services as pages
from wiki.pages.models import Page


@pytest.fixture
def public_page(app, make_user):
    coordinator = make_user("coordinateur", "nord")
    with app.app_context():
        page = pages.create_page(author=db.session.get(User, coordinator), title="Puits de Kalabougou",
                                 body="Texte d'origine.", visibility="public")
        return page.slug, coordinator


def _edit(app, slug, user_id, body):
    with app.app_context():
        page = db.session.scalar(db.select(Page).where(Page.slug == slug))
        pages.update_page(page, author=db.session.get(User, user_id), base_revision=None,
                          title=page.title, body=body)


def _entries(app):
    return app.extensions[pagecache.EXTENSION_KEY].entries


def test_visitor_page_is_served_from_memory(app, client, public_page):
    slug, _ = public_page
    client.get(f"/p/{slug}")  # the first view writes the revision's HTML cache: a new version
    first = client.get(f"/p/{slug}")
    assert first.status_code == 200 and "Texte d'origine." in first.text
    assert len(_entries(app)) == 1
    queries = []
    from sqlalchemy import event
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
    second = client.get(f"/p/{slug}")
    assert second.data == first.data and not queries
    assert second.headers["Cache-Control"] == "no-cache" and "no-store" not in second.headers["Cache-Control"]
    assert second.headers["ETag"] == first.headers["ETag"]
    assert client.get(f"/p/{slug}", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_visitor_sheet_is_served_from_memory_without_a_cookie(app, client, make_user):
    """The sheet view keeps its content per reader class with a slot for form tokens: a
    visitor's has no form, so no token is made, no session cookie set, and the page is shared."""
    with app.app_context():
        author = db.session.get(User, make_user("coordinateur", "sud"))
        slug = pages.create_page(author=author, title="Jardin de Sanankoroba", kind="fiche", body="Des planches.",
                                 visibility="public", themes=["agriculture"], fields={"region": "Koulikoro"}).slug
    client.get(f"/p/{slug}")
    first = client.get(f"/p/{slug}")
    assert first.status_code == 200 and "Des planches." in first.text
    assert "Set-Cookie" not in first.headers and 'name="csrf_token"' not in first.text
    assert len(_entries(app)) == 1


def test_gzip_and_plain_are_distinct_entries(app, client, public_page):
    slug, _ = public_page
    plain = client.get(f"/p/{slug}")
    packed = client.get(f"/p/{slug}", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    assert client.get(f"/p/{slug}").data == plain.data
    assert client.get(f"/p/{slug}", headers={"Accept-Encoding": "gzip"}).data == packed.data


def test_edit_is_seen_at_once(app, client, public_page):
    slug, coordinator = public_page
    assert "Texte d'origine." in client.get(f"/p/{slug}").text
    _edit(app, slug, coordinator, "Texte corrigé.")
    html = client.get(f"/p/{slug}").text
    assert "Texte corrigé." in html and "Texte d'origine." not in html


def test_page_made_private_disappears_at_once(app, client, public_page):
    slug, coordinator = public_page
    assert client.get(f"/p/{slug}").status_code == 200
    with app.app_context():
        page = db.session.scalar(db.select(Page).where(Page.slug == slug))
        pages.update_page(page, author=db.session.get(User, coordinator), base_revision=None,
                          title=page.title, body=page.current.body, visibility="membres")
    assert client.get(f"/p/{slug}").status_code == 404


def test_write_by_another_process_is_seen(app, client, public_page):
    """Another worker's commit only shows as a new version token in the data folder."""
    slug, _ = public_page
    client.get(f"/p/{slug}")  # writes the revision's HTML cache
    client.get(f"/p/{slug}")
    cache = app.extensions[pagecache.EXTENSION_KEY]
    key = next(iter(cache.entries))
    version, stored_at, headers, body = cache.entries[key]
    cache.entries[key] = (version, stored_at, headers, body.replace("Texte d'origine.".encode(), b"Ancien."))
    assert "Ancien." in client.get(f"/p/{slug}").text  # served from memory
    cache.bump()  # what any commit elsewhere does
    assert "Texte d'origine." in client.get(f"/p/{slug}").text


def test_member_page_never_cached_nor_served_cached(app, client, auth, make_user, public_page):
    slug, _ = public_page
    member = make_user("contributeur", "sud")
    client.get(f"/p/{slug}")  # a visitor's copy in the cache
    auth.login(member)
    html = client.get(f"/p/{slug}").text
    assert "Se déconnecter" in html and "Se connecter" not in html  # not the visitor's copy
    _entries(app).clear()
    member_view = client.get(f"/p/{slug}")
    assert "Se déconnecter" in member_view.text and not _entries(app)
    assert member_view.headers["Cache-Control"] == "no-store"
    auth.logout()
    visitor = app.test_client().get(f"/p/{slug}").text
    assert "Se déconnecter" not in visitor and "Contributeur" not in visitor


def test_flash_message_never_cached(app, client, auth, make_user, public_page):
    slug, _ = public_page
    member = make_user("contributeur", "sud")
    auth.login(member)
    auth.logout()  # flashes a message for the next page, to a visitor again
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Message pour une seule personne.")]
    assert "Message pour une seule personne." in client.get(f"/p/{slug}").text
    assert not _entries(app)
    assert "Message pour une seule personne." not in client.get(f"/p/{slug}").text  # shown once
    assert "Message pour une seule personne." not in app.test_client().get(f"/p/{slug}").text


def test_flash_waiting_bypasses_a_cached_copy(app, client, public_page):
    slug, _ = public_page
    client.get(f"/p/{slug}")
    assert _entries(app)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Bienvenue.")]
    assert "Bienvenue." in client.get(f"/p/{slug}").text


def test_login_session_activity_keeps_the_cache(app, client, public_page):
    """Writes no visitor sees (a member's last activity) do not empty the cache."""
    slug, _ = public_page
    cache = app.extensions[pagecache.EXTENSION_KEY]
    before = cache.version()
    with app.app_context():
        db.session.execute(db.text("DELETE FROM login_failures"))
        db.session.commit()
    assert cache.version() == before
    with app.app_context():
        db.session.execute(db.text("UPDATE pages SET title = title"))
        db.session.commit()
    assert cache.version() != before


# Fragments: pieces of members' pages kept under the data version -------------------------

def test_fragment_is_kept_until_the_version_changes(app, public_page):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with app.test_request_context("/"):
        assert pagecache.fragment(("test", 1), compute) == 1
        assert pagecache.fragment(("test", 1), compute) == 1  # same request, same version
        assert pagecache.fragment(("test", 2), compute) == 2  # another key
    with app.test_request_context("/"):
        assert pagecache.fragment(("test", 1), compute) == 1  # next request, nothing written
    with app.app_context():
        pagecache.invalidate()
    with app.test_request_context("/"):
        assert pagecache.fragment(("test", 1), compute) == 3


def test_fragment_expires_after_the_ttl(app, public_page, monkeypatch):
    calls = []
    with app.test_request_context("/"):
        assert pagecache.fragment("k", lambda: calls.append(1) or len(calls)) == 1
    monkeypatch.setattr(pagecache, "FRAGMENT_TTL", -1.0)
    with app.test_request_context("/"):
        assert pagecache.fragment("k", lambda: calls.append(1) or len(calls)) == 2


def test_data_version_is_read_once_per_request_and_again_after_its_own_write(app, public_page):
    with app.test_request_context("/"):
        first = pagecache.data_version()
        with open(app.extensions[pagecache.EXTENSION_KEY].version_path, "w") as handle:
            handle.write("changed-by-another-worker")
        # Data read by this request may predate that write: keep the version read first.
        assert pagecache.data_version() == first
        _edit(app, public_page[0], public_page[1], "Écrit pendant la requête.")
        # This request wrote (and bumped): what it renders from now on is newer.
        assert pagecache.data_version() not in (first, "changed-by-another-worker")
    with app.test_request_context("/"):
        assert pagecache.data_version() != first


def test_version_is_read_before_the_reader_is_loaded(app, client, make_user, monkeypatch):
    """A fragment kept per reader (the home page's lists) may depend on the reader's row: the
    version must be read before it, or a role changed in between could be stored as new."""
    from flask import request
    from support import PASSWORD

    from wiki.auth import services as accounts

    user_id = make_user("contributeur", "nord")
    with app.app_context():
        email = db.session.get(User, user_id).email
    assert client.post("/connexion", data={"email": email, "password": PASSWORD}).status_code == 302
    seen = []
    real = accounts.load_session_user

    def spy(token):
        seen.append(request.environ.get("wiki.data_version"))
        return real(token)

    monkeypatch.setattr(accounts, "load_session_user", spy)
    for path in ("/", "/p/nulle-part"):
        client.get(path)
    assert len(seen) == 2 and all(seen)
