"""A member's page view reads the login session and the page with plain Core queries (issue 6),
both rows kept under the data version: the rules still hold on every request. A session
revoked anywhere (logout elsewhere, password change, account disabled), a role change, leaving a
group, an edit, a deleted page or a draft take effect on the very next request, in every
worker; the objects built from those rows behave as ORM-loaded ones."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func
from support import PASSWORD

from wiki import create_app, pagecache
from wiki.auth import services as accounts
from wiki.auth.models import LoginSession, User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.pages.models import Page

SLUG = "forage-a-kati"
FIELDS = {"region": "Koulikoro", "commune": "Kati", "difficulties": "Pompes en panne."}


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def make_sheet(app, author: int, title: str = "Forage à Kati", **values) -> str:
    values.setdefault("fields", dict(FIELDS))
    with app.app_context():
        if isinstance(values.get("group"), str):  # a group's slug, found in this session
            values["group"] = groups.find_group(values["group"])
        return pages.create_page(author=_user(author), title=title, kind="fiche", themes=["eau-et-assainissement"],
                                 **values).slug


def reads(client, slug: str = SLUG) -> bool:
    """Two views: the second one is served with the sheet's fragments warm."""
    first, second = client.get(f"/p/{slug}"), client.get(f"/p/{slug}")
    assert first.status_code == second.status_code
    return second.status_code == 200


def test_logout_in_another_session_does_not_end_this_one_but_its_own_ends_at_once(app, make_user, login):
    member = make_user("lecteur", "sud")
    make_sheet(app, make_user())
    phone, laptop = login(member), login(member)
    assert reads(phone) and reads(laptop)
    assert laptop.post("/deconnexion").status_code in (302, 303)
    assert not reads(laptop)  # a members' sheet: 404 for a visitor
    assert reads(phone)


def test_password_change_ends_the_other_sessions_at_once(app, make_user, login):
    member = make_user("contributeur", "nord")
    make_sheet(app, member)
    phone, laptop = login(member), login(member)
    assert reads(phone) and reads(laptop)
    response = laptop.post("/compte/mot-de-passe", data={
        "current": PASSWORD, "password": "un nouveau mot de passe", "confirm": "un nouveau mot de passe"})
    assert response.status_code == 302
    assert not reads(phone)
    assert reads(laptop)
    with app.app_context():  # the password change went through the user built from the session row
        assert accounts.authenticate(_user(member).email, "un nouveau mot de passe") is not None


def test_disabled_account_is_logged_out_at_once(app, make_user, login):
    member, coordinator = make_user("lecteur", "sud"), make_user("coordinateur")
    make_sheet(app, coordinator)
    reader = login(member)
    assert reads(reader)
    with app.app_context():
        accounts.update_user(_user(member), by=_user(coordinator), is_enabled=False)
    assert not reads(reader)
    assert reader.get("/compte").status_code == 302


def test_disabled_flag_alone_is_enough(app, make_user, login):
    """Even with its session row still there (a manual edit), a disabled account reads nothing."""
    member = make_user("lecteur", "sud")
    make_sheet(app, make_user())
    reader = login(member)
    assert reads(reader)
    with app.app_context():
        db.session.execute(db.update(User).where(User.id == member).values(is_enabled=False))
        db.session.commit()
    assert not reads(reader)


def test_role_change_reaches_the_buttons_at_once(app, make_user, login):
    member, coordinator = make_user("contributeur", "sud"), make_user("coordinateur")
    make_sheet(app, coordinator)
    reader = login(member)
    assert reads(reader)
    assert f'href="/p/{SLUG}/modifier"' in reader.get(f"/p/{SLUG}").text
    with app.app_context():
        accounts.update_user(_user(member), by=_user(coordinator), role="lecteur")
    html = reader.get(f"/p/{SLUG}").text
    assert f'href="/p/{SLUG}/modifier"' not in html
    assert reader.get(f"/p/{SLUG}/modifier").status_code == 403


def test_leaving_a_group_hides_its_pages_at_once(app, make_user, login):
    member = make_user("lecteur", "sud", groups_=("eau",))
    author = make_user("contributeur", "nord", groups_=("eau",))
    slug = make_sheet(app, author, visibility="groupe", group="eau")
    reader = login(member)
    assert reads(reader, slug)
    with app.app_context():
        groups.remove_member(groups.find_group("eau"), _user(member), by=None)
    assert not reads(reader, slug)
    with app.app_context():
        groups.add_member(groups.find_group("eau"), _user(member), by=None)
    assert reads(reader, slug)


def test_deleted_sheet_and_drafts_follow_the_rules(app, make_user, login):
    author, coordinator, other = make_user("contributeur", "nord"), make_user("coordinateur"), make_user("lecteur")
    make_sheet(app, author)
    draft = make_sheet(app, author, title="Brouillon de Kati", status="brouillon")
    author_client, other_client, coordinator_client = login(author), login(other), login(coordinator)
    assert reads(author_client, draft) and reads(coordinator_client, draft)
    assert not reads(other_client, draft)
    assert reads(other_client)
    with app.app_context():
        pages.set_deleted(db.session.scalar(db.select(Page).where(Page.slug == SLUG)), True, by=_user(coordinator))
    assert not reads(other_client) and not reads(author_client)
    assert reads(coordinator_client)


def test_members_sheet_stays_no_store(app, make_user, login):
    make_sheet(app, make_user())
    reader = login(make_user("lecteur"))
    reads(reader)
    response = reader.get(f"/p/{SLUG}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_session_user_is_a_persistent_clean_instance(app, make_user, login, user_email):
    member = make_user("contributeur", "sud")
    login(member)
    with app.test_request_context():
        token = accounts.start_session(_user(member))
        db.session.remove()
        user = accounts.load_session_user(token)
        assert user is not None and user.id == member and user.login_token == token
        assert user in db.session and not db.session.dirty
        assert user.organisation is None  # relationships load lazily
        user.name = "Nouveau nom"
        db.session.commit()
        db.session.remove()
        assert _user(member).name == "Nouveau nom"
        assert accounts.load_session_user("jeton-inconnu") is None
        accounts.end_session(token)
        assert accounts.load_session_user(token) is None


def test_find_page_builds_loaded_instances_and_sees_pending_changes(app, make_user):
    make_sheet(app, make_user())
    with app.app_context():
        page, by_alias = pages.find_page(SLUG)
        assert not by_alias and page in db.session and not db.session.dirty
        assert page.current.fields["commune"] == "Kati" and page.themes == ["eau-et-assainissement"]
        assert page.current.page is page and page.current is page.revisions[-1]
        again, _ = pages.find_page(SLUG)
        assert again is page  # the identity map wins, as with an ORM query
        page.slug = "forage-a-kati-bis"  # not flushed yet
        assert pages.find_page("forage-a-kati-bis")[0] is page
        db.session.rollback()
        db.session.remove()
        assert pages.find_page("page-absente") == (None, False)


def statements_of(app) -> list[str]:
    """The SQL the app sends from now on."""
    queries = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: queries.append(args[2]))
    return queries


@pytest.fixture
def other_worker(app):
    """A second app on the same data folder, as another gunicorn worker: its own caches."""
    other = create_app({key: app.config[key] for key in (
        "TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "DATA_DIR", "SERVER_NAME",
        "ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")})
    yield other
    with other.app_context():
        db.engine.dispose()


def test_rows_are_kept_until_a_write_in_any_worker(app, make_user, login, other_worker):
    member = make_user("lecteur", "sud")
    author = make_user("contributeur", "nord", groups_=("eau",))
    make_sheet(app, author)
    reader = login(member)
    assert reads(reader)
    queries = statements_of(app)
    assert reader.get(f"/p/{SLUG}").status_code == 200
    assert queries == []  # the login and the page rows are kept

    with other_worker.app_context():  # an edit saved by the other worker: seen at once
        page = pages.find_page(SLUG)[0]
        pages.update_page(page, author=_user(author), base_revision=page.current.number, title=page.title,
                          body="Les pompes ont été réparées en mars.", fields=dict(FIELDS))
    assert "Les pompes ont été réparées en mars." in reader.get(f"/p/{SLUG}").text
    with other_worker.app_context():  # the sheet moved to a group the reader is not in: gone at once
        page = pages.find_page(SLUG)[0]
        pages.update_page(page, author=_user(author), base_revision=page.current.number, title=page.title,
                          body=page.current.body, fields=dict(FIELDS), visibility="groupe",
                          group=groups.find_group("eau"))
    assert not reads(reader)
    assert reads(login(author))


def test_kept_page_row_shares_no_mutable_value(app, make_user, login):
    """Instances built from a kept row get their own JSON values: a change made while serving
    one request (never saved) does not reach the next one."""
    make_sheet(app, make_user())
    with app.test_request_context(f"/p/{SLUG}"):
        pagecache.data_version()
        page, _ = pages.find_page(SLUG, kept=True)
        page.current.fields["commune"] = "Changée"
        page.themes.append("sante")
        db.session.rollback()
    with app.test_request_context(f"/p/{SLUG}"):
        pagecache.data_version()
        page, _ = pages.find_page(SLUG, kept=True)
        assert page.current.fields["commune"] == "Kati" and page.themes == ["eau-et-assainissement"]
        assert page in db.session and not db.session.dirty


def test_missing_pages_are_not_kept(app, make_user, login):
    """Made-up addresses (a crawler) must not push out what readers use."""
    make_sheet(app, make_user())
    reader = login(make_user("lecteur"))
    assert reads(reader)
    kept = app.extensions[pagecache.EXTENSION_KEY].fragments
    before = len(kept)
    assert all(reader.get(f"/p/adresse-inventee-{n}").status_code == 404 for n in range(20))
    assert len(kept) == before


def test_logout_in_another_worker_ends_the_session_in_this_one(app, make_user, login, other_worker):
    member = make_user("lecteur", "sud")
    make_sheet(app, make_user())
    reader = login(member)
    assert reads(reader)  # this worker keeps the login row
    other = other_worker.test_client()
    other.set_cookie("session", reader.get_cookie("session", domain="wiki.test").value, domain="wiki.test")
    assert reads(other)
    assert other.post("/deconnexion").status_code in (302, 303)
    assert not reads(reader)


def test_kept_login_notes_activity_once_a_minute_and_still_expires(app, make_user, login, monkeypatch):
    member = make_user("lecteur", "sud")
    make_sheet(app, make_user())
    reader = login(member)
    assert reads(reader)
    queries = statements_of(app)
    later = accounts.utcnow() + timedelta(seconds=70)
    monkeypatch.setattr(accounts, "utcnow", lambda: later)
    assert reads(reader) and reads(reader)
    noted_once = [q for q in queries if q.lstrip().upper().startswith("UPDATE LOGIN_SESSIONS")]
    assert len(noted_once) == 1  # the kept row has the new time
    with app.app_context():
        noted = db.session.scalar(db.select(LoginSession.last_seen_at))
        assert noted.replace(tzinfo=None) == later.replace(tzinfo=None)
    idle = later + app.config["SESSION_IDLE_TIMEOUT"] + timedelta(minutes=1)
    monkeypatch.setattr(accounts, "utcnow", lambda: idle)
    assert not reads(reader)  # expiry is checked on the kept row too
    with app.app_context():
        assert db.session.scalar(db.select(func.count()).select_from(LoginSession)) == 0
