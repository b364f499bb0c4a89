"""Login sessions (renewal at login, idle and absolute timeouts, cookie flags, replayed cookies)
and password rules (common passwords, personal data, rehash of old hashes at login)."""
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from wiki import create_app
from wiki.auth import passwords
from wiki.auth import accounts, invitations
from wiki.auth.models import LoginSession, User
from wiki.errors import ValidationError
from wiki.extensions import db
from wiki.models import utcnow

from support import PASSWORD
from wiki.policy import SYSTEM


def logged_in(client) -> bool:
    return client.get("/compte").status_code == 200


def login(client, email, remember=False):
    response = client.post("/connexion", data={"email": email, "password": PASSWORD,
                                                "remember": "y" if remember else ""})
    assert response.status_code == 302, response.text
    return response


def cookies(client) -> dict:
    return {c.key: c.value for c in client._cookies.values()}


def restore_cookies(client, saved: dict) -> None:
    client._cookies.clear()
    for key, value in saved.items():
        client.set_cookie(key, value, domain="wiki.test")


def sessions_of(app, user_id) -> list[LoginSession]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(LoginSession).where(LoginSession.user_id == user_id)))
        db.session.expunge_all()
        return rows


def shift_session(app, user_id, **moves: timedelta) -> None:
    """Move the user's sessions back in time: shift_session(app, id, created_at=timedelta(hours=13))."""
    with app.app_context():
        for row in db.session.scalars(db.select(LoginSession).where(LoginSession.user_id == user_id)):
            for column, delta in moves.items():
                setattr(row, column, getattr(row, column) - delta)
        db.session.commit()


# Renewal at login (fixation) ---------------------------------------------------

def test_login_starts_from_a_fresh_session(client, make_user, user_email):
    email = user_email(make_user())
    with client.session_transaction() as session:
        session["planted"] = "avant la connexion"
        session["_user_id"] = "jeton-choisi-par-un-attaquant"
    login(client, email)
    assert logged_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] != "jeton-choisi-par-un-attaquant"


def test_each_login_gets_a_new_token_and_the_old_one_dies(app, client, auth, make_user, user_email):
    user = make_user()
    login(client, user_email(user))
    with client.session_transaction() as session:
        first = session["_user_id"]
    before = cookies(client)
    auth.logout()
    login(client, user_email(user))
    with client.session_transaction() as session:
        assert session["_user_id"] != first
    restore_cookies(client, before)
    assert not logged_in(client)


# Timeouts -----------------------------------------------------------------------

def test_idle_session_expires_and_its_row_is_deleted(app, client, make_user, user_email):
    user = make_user()
    login(client, user_email(user))
    shift_session(app, user, last_seen_at=timedelta(hours=8, minutes=1))
    assert not logged_in(client)
    assert sessions_of(app, user) == []


def test_activity_keeps_a_session_alive(app, client, make_user, user_email):
    user = make_user()
    login(client, user_email(user))
    shift_session(app, user, last_seen_at=timedelta(hours=7, minutes=59))
    assert logged_in(client)
    assert utcnow() - sessions_of(app, user)[0].last_seen_at < timedelta(seconds=30)


def test_last_seen_is_written_at_most_once_a_minute(app, client, make_user, user_email):
    user = make_user()
    login(client, user_email(user))
    shift_session(app, user, last_seen_at=timedelta(seconds=30))
    noted = sessions_of(app, user)[0].last_seen_at
    assert logged_in(client)
    assert sessions_of(app, user)[0].last_seen_at == noted
    shift_session(app, user, last_seen_at=timedelta(seconds=40))  # now 70 s ago
    assert logged_in(client)
    assert sessions_of(app, user)[0].last_seen_at > noted


def test_absolute_timeout_ends_even_an_active_session(app, client, make_user, user_email):
    user = make_user()
    login(client, user_email(user))
    shift_session(app, user, created_at=timedelta(hours=11, minutes=59))
    assert logged_in(client)
    shift_session(app, user, created_at=timedelta(minutes=2))
    assert not logged_in(client)
    assert sessions_of(app, user) == []


def test_remembered_session_lasts_thirty_days(app, client, make_user, user_email):
    user = make_user()
    login(client, user_email(user), remember=True)
    assert sessions_of(app, user)[0].is_remembered
    shift_session(app, user, created_at=timedelta(days=29), last_seen_at=timedelta(days=3))
    assert client._cookies.pop(("wiki.test", "/", "session"))  # browser closed: the remember cookie only
    assert logged_in(client)
    shift_session(app, user, created_at=timedelta(days=1, minutes=1))
    assert not logged_in(client)


def test_expired_sessions_are_cleaned_at_the_next_login(app, make_user, user_email):
    user = make_user()
    login(app.test_client(), user_email(user))
    shift_session(app, user, created_at=timedelta(hours=13))
    login(app.test_client(), user_email(user))
    assert len(sessions_of(app, user)) == 1


# Cookies -----------------------------------------------------------------------

def set_cookie_headers(app, email) -> dict[str, str]:
    with app.app_context():
        db.create_all()
        accounts.create_user(email=email, name="Awa", side="sud", role="lecteur", password=PASSWORD, by=SYSTEM)
    response = login(app.test_client(), email, remember=True)
    headers = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    with app.app_context():
        db.engine.dispose()
    return headers


def https_app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                       "DATA_DIR": str(tmp_path), "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,
                       "ARGON2_PARALLELISM": 1})


def test_cookies_are_secure_with_wiki_https(tmp_path, monkeypatch):
    monkeypatch.setenv("WIKI_HTTPS", "1")
    headers = set_cookie_headers(https_app(tmp_path), "awa@example.ml")
    assert set(headers) >= {"session", "remember_token"}
    for header in headers.values():
        assert "; Secure" in header and "; HttpOnly" in header and "SameSite=Lax" in header


def test_cookies_are_not_secure_without_wiki_https(tmp_path, monkeypatch):
    monkeypatch.delenv("WIKI_HTTPS", raising=False)
    headers = set_cookie_headers(https_app(tmp_path), "awa@example.ml")
    for header in headers.values():
        assert "Secure" not in header and "; HttpOnly" in header and "SameSite=Lax" in header


# Replayed cookies ----------------------------------------------------------------

def test_cookie_from_before_a_password_change_is_dead_on_the_same_device(client, make_user, user_email):
    login(client, user_email(make_user()), remember=True)
    before = cookies(client)
    response = client.post("/compte/mot-de-passe", data={
        "current": PASSWORD, "password": "un nouveau mot de passe", "confirm": "un nouveau mot de passe"})
    assert response.status_code == 302
    assert logged_in(client)
    after = cookies(client)
    assert after["remember_token"] != before["remember_token"]  # still "rester connecté", new token
    restore_cookies(client, before)
    assert not logged_in(client)


def test_remember_me_survives_a_password_change(app, client, make_user, user_email):
    user = make_user()
    login(client, user_email(user), remember=True)
    client.post("/compte/mot-de-passe", data={
        "current": PASSWORD, "password": "un nouveau mot de passe", "confirm": "un nouveau mot de passe"})
    assert [row.is_remembered for row in sessions_of(app, user)] == [True]


def test_reenabled_account_does_not_revive_old_cookies(app, client, make_user, user_email):
    user, coordinator = make_user(), make_user("coordinateur")
    login(client, user_email(user), remember=True)
    before = cookies(client)
    with app.app_context():
        by, target = db.session.get(User, coordinator), db.session.get(User, user)
        accounts.update_user(target, by=by, is_enabled=False)
        accounts.update_user(target, by=by, is_enabled=True)
    restore_cookies(client, before)
    assert not logged_in(client)


def test_wrong_current_password_is_throttled(client, make_user, user_email):
    login(client, user_email(make_user()))
    for _ in range(5):
        response = client.post("/compte/mot-de-passe", data={
            "current": "pas le bon", "password": "un nouveau mot de passe", "confirm": "un nouveau mot de passe"})
        assert "Mot de passe actuel incorrect." in response.text
    response = client.post("/compte/mot-de-passe", data={
        "current": PASSWORD, "password": "un nouveau mot de passe", "confirm": "un nouveau mot de passe"})
    assert response.status_code == 429 and "Retry-After" in response.headers


# Password rules ----------------------------------------------------------------

@pytest.mark.parametrize("password", ["password123", "QWERTYUIOP", "1234567890", "motdepasse", "Soleil2024!!",
                                      "passerelle", "azertyuiop", "Dragon12345"])
def test_common_passwords_are_refused(password):
    with pytest.raises(ValidationError) as caught:
        passwords.check_password(password)
    assert "trop courant" in caught.value.errors["password"]


@pytest.mark.parametrize("password", [PASSWORD, "le fleuve Niger", "passerelle-demo", "Sikasso a 12 puits"])
def test_uncommon_passwords_are_accepted(password):
    passwords.check_password(password, email="awa.traore@example.ml", name="Awa Traoré")


@pytest.mark.parametrize("password", ["Awa.Traore12@example.ml", "awa.traore12@EXAMPLE.ML", "awa.traore12",
                                      "Aminata Traoré"])
def test_password_equal_to_email_or_name_is_refused(password):
    with pytest.raises(ValidationError) as caught:
        passwords.check_password(password, email="awa.traore12@example.ml", name="Aminata Traoré")
    assert "adresse e-mail ni votre nom" in caught.value.errors["password"]


def test_common_password_list_ships_with_the_app():
    listed = passwords.common_passwords()
    assert len(listed) > 3000
    assert all(p == p.lower() and not p.startswith("#") for p in listed)
    header = passwords.COMMON_PASSWORDS_FILE.read_text().splitlines()[:8]
    assert any("zxcvbn" in line and "MIT" in line for line in header if line.startswith("#"))


def test_common_password_is_refused_by_the_forms(client, make_user, user_email):
    login(client, user_email(make_user()))
    response = client.post("/compte/mot-de-passe", data={
        "current": PASSWORD, "password": "Password123", "confirm": "Password123"})
    assert response.status_code == 200
    assert "Ce mot de passe est trop courant" in response.text


def test_invitation_refuses_a_common_password(app, client):
    with app.app_context():
        invited = accounts.create_user(email="awa@example.ml", name="Awa Traoré", side="sud", role="contributeur", by=SYSTEM)
        token = invitations.create_invitation(invited, by=SYSTEM, validity=timedelta(days=7))
    response = client.post(f"/invitation/{token}", data={"password": "qwerty123456", "confirm": "qwerty123456"})
    assert response.status_code == 200 and "trop courant" in response.text
    assert not logged_in(client)


# Hashes ------------------------------------------------------------------------

def test_weaker_hash_is_upgraded_at_login(app, client, make_user, user_email):
    user = make_user()
    weak = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1).hash(PASSWORD)
    with app.app_context():
        db.session.get(User, user).password_hash = weak
        db.session.commit()
    login(client, user_email(user))
    with app.app_context():
        upgraded = db.session.get(User, user).password_hash
    assert upgraded != weak and upgraded.startswith("$argon2id$")
    assert "m=1024,t=1,p=1" in upgraded  # the app's configured cost (cheap in tests)
    assert not PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).check_needs_rehash(upgraded)


def test_wrong_password_does_not_touch_an_old_hash(app, client, make_user, user_email):
    user = make_user()
    weak = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1).hash(PASSWORD)
    with app.app_context():
        db.session.get(User, user).password_hash = weak
        db.session.commit()
    client.post("/connexion", data={"email": user_email(user), "password": "pas le bon"})
    with app.app_context():
        assert db.session.get(User, user).password_hash == weak
