"""Accounts: login, revocable sessions, invitations, password change, deactivation, tokens."""
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from wiki.auth import accounts, invitations
from wiki.auth.models import ApiToken, Invitation, User
from wiki.extensions import db
from wiki.models import utcnow

from support import PASSWORD
from wiki.policy import SYSTEM


def get_user(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def session_cookies(client) -> dict:
    return {c.key: c.value for c in client._cookies.values()}


def restore_cookies(client, cookies: dict) -> None:
    client._cookies.clear()
    for key, value in cookies.items():
        client.set_cookie(key, value, domain="wiki.test")


def logged_in(client) -> bool:
    return client.get("/compte").status_code == 200


def test_login_and_logout(client, auth, make_user):
    user = make_user()
    assert not logged_in(client)
    auth.login(user)
    assert logged_in(client)
    auth.logout()
    assert not logged_in(client)


def test_wrong_password_and_unknown_email_answer_the_same(client, make_user, user_email):
    user = make_user()
    wrong = client.post("/connexion", data={"email": user_email(user), "password": "pas le bon mot"})
    unknown = client.post("/connexion", data={"email": "personne@example.org", "password": "pas le bon mot"})
    assert wrong.status_code == unknown.status_code == 200
    assert "Adresse ou mot de passe incorrect." in wrong.text
    assert wrong.text == unknown.text.replace("personne@example.org", user_email(user))


def test_email_is_case_insensitive(client, make_user):
    make_user(email="Awa.Traore@Example.ml")
    response = client.post("/connexion", data={"email": "awa.traore@example.ML", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_ends_the_session_for_good(client, auth, make_user):
    auth.login(make_user(), remember=True)
    stolen = session_cookies(client)
    auth.logout()
    restore_cookies(client, stolen)  # a copied cookie, session and remember-me alike
    assert not logged_in(client)


def test_password_change_ends_every_other_session(app, make_user, user_email):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        device.post("/connexion", data={"email": user_email(user), "password": PASSWORD, "remember": "y"})
    response = laptop.post("/compte/mot-de-passe", data={
        "current": PASSWORD, "password": "un nouveau mot de passe", "confirm": "un nouveau mot de passe"})
    assert response.status_code == 302
    assert logged_in(laptop)  # the device that changed it stays in
    assert not logged_in(phone)
    assert accounts_login_works(app, user_email(user), "un nouveau mot de passe")


def accounts_login_works(app, email, password) -> bool:
    with app.app_context():
        return accounts.authenticate(email, password) is not None


def test_password_change_requires_current_password(client, auth, make_user):
    auth.login(make_user())
    response = client.post("/compte/mot-de-passe", data={
        "current": "mauvais mot de passe", "password": "un nouveau mot de passe",
        "confirm": "un nouveau mot de passe"})
    assert response.status_code == 200
    assert "Mot de passe actuel incorrect." in response.text


def test_deactivation_cuts_access_at_next_request(app, client, auth, make_user):
    user, coordinator = make_user(), make_user("coordinateur")
    auth.login(user, remember=True)
    cookies = session_cookies(client)
    admin = app.test_client()
    admin.post("/connexion", data={"email": get_user(app, coordinator).email, "password": PASSWORD})
    response = admin.post(f"/admin/utilisateurs/{user}", data={
        "name": "Désactivé", "side": "nord", "role": "contributeur", "organisation": ""})  # box unticked
    assert response.status_code == 302
    assert not get_user(app, user).is_enabled
    assert not logged_in(client)
    restore_cookies(client, cookies)
    assert not logged_in(client)
    retry = client.post("/connexion", data={"email": get_user(app, user).email, "password": PASSWORD})
    assert retry.status_code == 200  # the form again, not a redirect


def create_invited(client, auth, make_user, email="awa@example.ml"):
    auth.login(make_user("coordinateur"))
    response = client.post("/admin/utilisateurs", data={
        "email": email, "name": "Awa Traoré", "side": "sud", "role": "contributeur", "organisation": ""})
    assert response.status_code == 200
    start = response.text.index("http://wiki.test/invitation/")
    url = response.text[start:response.text.index("<", start)]
    auth.logout()
    return url.removeprefix("http://wiki.test")


def test_invitation_sets_password_once(app, client, auth, make_user):
    path = create_invited(client, auth, make_user)
    assert "Bienvenue, Awa Traoré" in client.get(path).text
    response = client.post(path, data={"password": "le fleuve Niger", "confirm": "le fleuve Niger"})
    assert response.status_code == 302
    assert logged_in(client)
    assert accounts_login_works(app, "awa@example.ml", "le fleuve Niger")
    auth.logout()
    again = client.post(path, data={"password": "autre mot de passe", "confirm": "autre mot de passe"})
    assert again.status_code == 404
    assert "plus valable" in again.text
    assert not accounts_login_works(app, "awa@example.ml", "autre mot de passe")


def test_invitation_expires_after_seven_days(app, client, auth, make_user):
    path = create_invited(client, auth, make_user)
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
        assert invitation.expires_at - utcnow() > timedelta(days=6, hours=23)
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(path).status_code == 404


def test_new_invitation_replaces_old_one(app, client, auth, make_user):
    path = create_invited(client, auth, make_user)
    with app.app_context():
        user = accounts.get_user_by_email("awa@example.ml")
        invitations.create_invitation(user, by=SYSTEM, validity=timedelta(days=7))
    assert client.get(path).status_code == 404


def test_invitation_password_rules(client, auth, make_user):
    path = create_invited(client, auth, make_user)
    response = client.post(path, data={"password": "court", "confirm": "court"})
    assert response.status_code == 200 and "Entre 10 et 128 caractères." in response.text


def test_invited_user_cannot_log_in_before_accepting(client, auth, make_user):
    create_invited(client, auth, make_user)
    response = client.post("/connexion", data={"email": "awa@example.ml", "password": ""})
    assert response.status_code == 200


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)", " //evil.example"])
def test_next_parameter_stays_on_site(client, make_user, user_email, target):
    user = make_user()
    response = client.post("/connexion", query_string={"next": target},
                           data={"email": user_email(user), "password": PASSWORD})
    assert response.headers["Location"] in ("/", "http://wiki.test/")


def test_next_parameter_keeps_local_path(client, make_user, user_email):
    user = make_user()
    response = client.post("/connexion?next=/pages", data={"email": user_email(user), "password": PASSWORD})
    assert response.headers["Location"] == "/pages"


def test_admin_pages_need_coordinator(client, auth, make_user):
    assert client.get("/admin/utilisateurs").status_code == 302
    auth.login(make_user("contributeur"))
    assert client.get("/admin/utilisateurs").status_code == 403


def test_coordinator_changes_role_and_side(app, client, auth, make_user):
    user = make_user("lecteur", "nord")
    auth.login(make_user("coordinateur"))
    client.post(f"/admin/utilisateurs/{user}", data={"name": "Moussa", "side": "sud", "role": "contributeur",
                                                     "organisation": "", "is_enabled": "y"})
    changed = get_user(app, user)
    assert (changed.side, changed.role, changed.is_enabled) == ("sud", "contributeur", True)


def test_api_token_page_creates_and_revokes(app, client, auth, api, make_user):
    auth.login(make_user())
    response = client.post("/compte/jetons", data={"name": "Mon script"})
    token = response.text.split('<p class="token">')[1].split("<")[0]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/pages", headers=headers).status_code == 200
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    client.post(f"/compte/jetons/{token_id}/supprimer")
    revoked = client.get("/api/v1/pages", headers=headers)
    assert revoked.status_code == 401 and revoked.json["error"] == "unauthorized"


def test_production_hashes_are_argon2id_with_owasp_cost(tmp_path):
    from wiki import create_app
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)})
    with app.app_context():
        stored = accounts.hash_password("un mot de passe")
    assert stored.startswith("$argon2id$")
    params = PasswordHasher().check_needs_rehash(stored)
    assert params is False  # the library's RFC 9106 profile: t=3, m=64 MiB, p=4
