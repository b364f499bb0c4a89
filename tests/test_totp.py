"""Two-factor login: setup under « Mon compte », login with a TOTP code or a recovery code,
throttled wrong codes, the coordinators' requirement, disabling and resetting."""
import re
import time

import pyotp
import pytest

from wiki.audit.models import AuditEvent
from wiki.auth import two_factor
from wiki.auth import totp
from wiki.auth.models import LoginSession, RecoveryCode, User
from wiki.extensions import db

from support import PASSWORD

SETUP = "/compte/double-authentification"


class Clock:
    """Pins the TOTP time step the server sees; codes come from pyotp for the same step."""

    def __init__(self, monkeypatch):
        self.step = totp.current_step()
        monkeypatch.setattr(totp, "current_step", lambda now=None: self.step)

    def code(self, secret: str, offset: int = 0) -> str:
        return pyotp.TOTP(secret).at((self.step + offset) * totp.PERIOD)

    def tick(self, steps: int = 1) -> None:
        self.step += steps


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def logged_in(client) -> bool:
    return client.get("/compte").status_code == 200


def password_step(client, email, remember=False, next_=None):
    return client.post("/connexion", query_string={"next": next_} if next_ else None,
                       data={"email": email, "password": PASSWORD, "remember": "y" if remember else ""})


def enable(client, email, clock) -> tuple[str, list[str]]:
    """Log in, set up two-factor login from the page's secret, log out; returns (secret, codes)."""
    assert password_step(client, email).status_code == 302
    page = client.get(SETUP)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    grouped = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    secret = grouped.replace(" ", "")
    assert len(secret) == 32 and grouped.count(" ") == 7
    uri = re.search(r"<code>(otpauth://[^<]+)</code>", page.text).group(1).replace("&amp;", "&")
    assert pyotp.parse_uri(uri).secret == secret
    assert "issuer=Passerelle" in uri
    response = client.post(SETUP, data={"code": clock.code(secret), "password": PASSWORD})
    assert response.status_code == 200 and "Codes de secours" in response.text
    codes = re.findall(r'<li class="token">([a-z0-9-]+)</li>', response.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    client.post("/deconnexion")
    clock.tick()
    return secret, codes


def is_enabled(app, user_id) -> bool:
    with app.app_context():
        return db.session.get(User, user_id).is_totp_enabled


# Setup -------------------------------------------------------------------------

def test_setup_needs_a_matching_first_code(app, client, make_user, user_email, clock):
    user = make_user()
    password_step(client, user_email(user))
    page = client.get(SETUP)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    wrong = "000000" if clock.code(secret) != "000000" else "111111"
    response = client.post(SETUP, data={"code": wrong, "password": PASSWORD})
    assert response.status_code == 200 and "Code incorrect" in response.text
    assert not is_enabled(app, user)
    assert secret in client.get(SETUP).text.replace(" ", "")  # same secret until confirmed
    response = client.post(SETUP, data={"code": clock.code(secret), "password": "pas le bon"})
    assert "Mot de passe actuel incorrect." in response.text  # a stolen session is not enough
    assert not is_enabled(app, user)
    client.post(SETUP, data={"code": clock.code(secret), "password": PASSWORD})
    assert is_enabled(app, user)
    with app.app_context():
        stored = db.session.get(User, user)
        assert stored.totp_secret == secret
        hashes = db.session.scalars(db.select(RecoveryCode.code_hash).where(RecoveryCode.used_at.is_(None)))
        assert all(re.fullmatch("[0-9a-f]{64}", h) for h in hashes)  # stored hashed
        assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.actor_id == user)) == \
            "user.totp_enable"


def test_enabling_ends_the_other_sessions(app, make_user, user_email, clock):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    password_step(phone, user_email(user))
    enable(laptop, user_email(user), clock)
    assert not logged_in(phone)


# Login --------------------------------------------------------------------------

def test_login_asks_for_the_code_before_opening_a_session(app, client, make_user, user_email, clock):
    user = make_user()
    secret, _ = enable(client, user_email(user), clock)
    response = password_step(client, user_email(user), next_="/pages")
    assert response.headers["Location"] == "/connexion/code"
    assert not logged_in(client)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LoginSession.id))) == 0
    assert "code à 6 chiffres" in client.get("/connexion/code").text
    response = client.post("/connexion/code", data={"code": clock.code(secret)})
    assert response.headers["Location"] == "/pages"
    assert logged_in(client)
    with client.session_transaction() as session:
        assert "pending_login" not in session


def test_code_of_the_neighbouring_step_is_accepted_but_not_further(client, make_user, user_email, clock):
    user = make_user()
    secret, _ = enable(client, user_email(user), clock)
    clock.tick(5)
    password_step(client, user_email(user))
    assert client.post("/connexion/code", data={"code": clock.code(secret, offset=-2)}).status_code == 200
    assert client.post("/connexion/code", data={"code": clock.code(secret, offset=-1)}).status_code == 302


def test_a_code_is_accepted_only_once(app, client, make_user, user_email, clock):
    user = make_user()
    secret, _ = enable(client, user_email(user), clock)
    code = clock.code(secret)
    password_step(client, user_email(user))
    assert client.post("/connexion/code", data={"code": code}).status_code == 302
    other = app.test_client()
    password_step(other, user_email(user))
    response = other.post("/connexion/code", data={"code": code})
    assert response.status_code == 200 and "Code incorrect ou déjà utilisé." in response.text
    assert not logged_in(other)


def test_the_setup_code_cannot_be_replayed_at_login(client, make_user, user_email, clock):
    user = make_user()
    secret, _ = enable(client, user_email(user), clock)
    clock.tick(-1)  # back to the step whose code confirmed the setup
    password_step(client, user_email(user))
    assert client.post("/connexion/code", data={"code": clock.code(secret)}).status_code == 200


def test_recovery_code_works_once(app, client, make_user, user_email, clock):
    user = make_user()
    _, codes = enable(client, user_email(user), clock)
    password_step(client, user_email(user))
    response = client.post("/connexion/code", data={"code": codes[3].upper().replace("-", " ")}, follow_redirects=True)
    assert "il vous en reste 9" in response.text
    assert logged_in(client)
    client.post("/deconnexion")
    password_step(client, user_email(user))
    assert client.post("/connexion/code", data={"code": codes[3]}).status_code == 200
    assert not logged_in(client)


def test_remember_me_is_kept_through_the_second_step(app, client, make_user, user_email, clock):
    user = make_user()
    secret, _ = enable(client, user_email(user), clock)
    password_step(client, user_email(user), remember=True)
    response = client.post("/connexion/code", data={"code": clock.code(secret)})
    assert any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))
    with app.app_context():
        assert db.session.scalar(db.select(LoginSession.is_remembered))


def test_pending_login_expires(client, make_user, user_email, clock):
    user = make_user()
    secret, _ = enable(client, user_email(user), clock)
    password_step(client, user_email(user))
    with client.session_transaction() as session:
        session["pending_login"] = {**session["pending_login"], "until": time.time() - 1}
    response = client.post("/connexion/code", data={"code": clock.code(secret)})
    assert response.headers["Location"] == "/connexion"
    assert not logged_in(client)


def test_code_page_without_a_password_step_goes_back_to_login(client):
    assert client.get("/connexion/code").headers["Location"] == "/connexion"
    with client.session_transaction() as session:
        session["planted"] = 1
    assert client.post("/connexion/code", data={"code": "123456"}).headers["Location"] == "/connexion"


def test_wrong_codes_are_throttled(client, make_user, user_email, clock):
    user = make_user()
    secret, codes = enable(client, user_email(user), clock)
    password_step(client, user_email(user))
    for _ in range(3):
        assert client.post("/connexion/code", data={"code": "999999"}).status_code == 200
    # The right password again does not reset the count: the code stays out of reach.
    assert password_step(client, user_email(user)).headers["Location"] == "/connexion/code"
    client.post("/connexion/code", data={"code": "aaaa-bbbb-cccc-dddd"})
    client.post("/connexion/code", data={"code": "999999"})
    response = client.post("/connexion/code", data={"code": clock.code(secret)})
    assert response.status_code == 429
    assert "Trop de tentatives. Réessayez dans 15 minutes." in response.text
    assert int(response.headers["Retry-After"]) > 0
    assert password_step(client, user_email(user)).status_code == 429
    assert not logged_in(client)


# Disabling, recovery codes, reset --------------------------------------------------

def log_in_with_code(client, email, secret, clock):
    password_step(client, email)
    assert client.post("/connexion/code", data={"code": clock.code(secret)}).status_code == 302
    clock.tick()


def test_disabling_needs_the_password(app, client, make_user, user_email, clock):
    user = make_user()
    secret, _ = enable(client, user_email(user), clock)
    log_in_with_code(client, user_email(user), secret, clock)
    response = client.post(f"{SETUP}/desactiver", data={"password": "pas le bon"})
    assert response.status_code == 200 and "Mot de passe actuel incorrect." in response.text
    assert is_enabled(app, user)
    assert client.post(f"{SETUP}/desactiver", data={"password": PASSWORD}).status_code == 302
    assert not is_enabled(app, user)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(RecoveryCode.id))) == 0
    client.post("/deconnexion")
    assert password_step(client, user_email(user)).headers["Location"] == "/"


def test_new_recovery_codes_replace_the_old_ones(client, make_user, user_email, clock):
    user = make_user()
    secret, old_codes = enable(client, user_email(user), clock)
    log_in_with_code(client, user_email(user), secret, clock)
    response = client.post(f"{SETUP}/codes", data={"password": PASSWORD})
    new_codes = re.findall(r'<li class="token">([a-z0-9-]+)</li>', response.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    client.post("/deconnexion")
    password_step(client, user_email(user))
    assert client.post("/connexion/code", data={"code": old_codes[0]}).status_code == 200
    assert client.post("/connexion/code", data={"code": new_codes[0]}).status_code == 302


def test_coordinator_resets_someones_two_factor_login(app, client, make_user, user_email, clock):
    user, coordinator = make_user(), make_user("coordinateur")
    enable(client, user_email(user), clock)
    admin = app.test_client()
    password_step(admin, user_email(coordinator))
    assert "Réinitialiser la double authentification" in admin.get(f"/admin/utilisateurs/{user}").text
    assert admin.post(f"/admin/utilisateurs/{user}/double-authentification").status_code == 302
    assert not is_enabled(app, user)
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.totp_reset"))
        assert (event.actor_id, event.target) == (coordinator, f"user:{user}")
    assert password_step(client, user_email(user)).headers["Location"] == "/"


def test_reset_is_for_coordinators_and_not_for_oneself(app, client, make_user, user_email, clock):
    user, contributor = make_user("coordinateur"), make_user()
    secret, _ = enable(client, user_email(user), clock)
    other = app.test_client()
    password_step(other, user_email(contributor))
    assert other.post(f"/admin/utilisateurs/{user}/double-authentification").status_code == 403
    log_in_with_code(client, user_email(user), secret, clock)
    client.post(f"/admin/utilisateurs/{user}/double-authentification")
    assert is_enabled(app, user)


# Required for coordinators ------------------------------------------------------------

def test_coordinator_must_set_up_two_factor_login_when_required(app, client, make_user, user_email, clock):
    app.config["REQUIRE_2FA_FOR_COORDINATORS"] = True
    coordinator = make_user("coordinateur")
    assert password_step(client, user_email(coordinator)).status_code == 302
    for path in ("/", "/admin/", "/compte", "/pages", "/compte/jetons"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == SETUP, path
    assert client.post("/compte/jetons", data={"name": "x"}).headers["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200 and "Votre rôle de coordination l'exige" in page.text
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    client.post(SETUP, data={"code": clock.code(secret), "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
    refused = client.post(f"{SETUP}/desactiver", data={"password": PASSWORD})
    assert "obligatoire pour les coordinateurs" in refused.text
    assert is_enabled(app, coordinator)


def test_requirement_leaves_other_roles_and_logout_alone(app, client, make_user, user_email):
    app.config["REQUIRE_2FA_FOR_COORDINATORS"] = True
    contributor, coordinator = make_user(), make_user("coordinateur")
    password_step(client, user_email(contributor))
    assert client.get("/compte").status_code == 200
    client.post("/deconnexion")
    password_step(client, user_email(coordinator))
    assert client.post("/deconnexion").headers["Location"] == "/"
    assert client.get("/").status_code == 200  # anonymous again


def test_requirement_is_off_by_default(client, make_user, user_email):
    password_step(client, user_email(make_user("coordinateur")))
    assert client.get("/admin/").status_code == 200


def test_second_factor_service_refuses_garbage(app, make_user, clock):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 10
    user = make_user()
    with app.app_context():
        account = db.session.get(User, user)
        secret = two_factor.new_totp_secret()
        two_factor.enable_totp(account, secret=secret, code=clock.code(secret), password=PASSWORD)
        clock.tick()
        for garbage in ("", "12345", "1234567", "abcdef", "----", "x" * 40):
            assert two_factor.check_second_factor(account, garbage, address="192.0.2.1") is None
        assert two_factor.check_second_factor(account, clock.code(secret), address="192.0.2.1").kind == "totp"
