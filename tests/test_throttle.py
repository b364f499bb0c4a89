"""Login throttling (shared by every worker through the database), unlocking by a coordinator,
the invitation links' throttle, and answers that do not reveal which emails have an account."""
import re
import statistics
import time
from datetime import timedelta

import pytest

from wiki import create_app
from wiki.audit.models import AuditEvent
from wiki.auth import accounts, invitations
from wiki.auth import throttle
from wiki.auth.models import LoginFailure, User
from wiki.extensions import db
from wiki.models import utcnow

from support import PASSWORD, csrf_token_from
from wiki.policy import SYSTEM, PermissionDenied

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.9"}


def post_login(client, email, password="pas le bon mot", address=ATTACKER, **kwargs):
    return client.post("/connexion", data={"email": email, "password": password}, environ_base=address, **kwargs)


def assert_throttled(response, minutes: int = 15):
    assert response.status_code == 429, response.status_code
    assert f"Trop de tentatives. Réessayez dans {minutes} minutes." in response.text
    assert 0 < int(response.headers["Retry-After"]) <= minutes * 60


def logged_in(client) -> bool:
    return client.get("/compte").status_code == 200


def same_database_app(app, **overrides):
    """A second app on the same database and data folder: another gunicorn worker."""
    keys = ("TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "DATA_DIR", "SERVER_NAME", "ARGON2_TIME_COST",
            "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")
    other = create_app({**{key: app.config[key] for key in keys}, **overrides})
    assert other.config["SQLALCHEMY_DATABASE_URI"] == app.config["SQLALCHEMY_DATABASE_URI"]
    return other


def failures(app) -> list[LoginFailure]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(LoginFailure)))
        db.session.expunge_all()
        return rows


# Per account ------------------------------------------------------------------

def test_account_is_locked_after_five_failures_even_with_the_right_password(client, make_user, user_email):
    email = user_email(make_user())
    for _ in range(5):
        assert post_login(client, email).status_code == 200
    assert_throttled(post_login(client, email, PASSWORD))
    assert_throttled(post_login(client, email.upper(), PASSWORD, address=ELSEWHERE))  # normalised email
    assert not logged_in(client)


def test_unknown_email_is_locked_the_same_way(client):
    for _ in range(5):
        assert post_login(client, "personne@example.org").status_code == 200
    assert_throttled(post_login(client, "personne@example.org"))


def test_locked_known_and_unknown_accounts_answer_the_same(client, make_user, user_email):
    email = user_email(make_user())
    for _ in range(5):
        post_login(client, email)
        post_login(client, "personne@example.org", address=ELSEWHERE)
    known, unknown = post_login(client, email), post_login(client, "personne@example.org", address=ELSEWHERE)
    assert known.status_code == unknown.status_code == 429
    assert known.text == unknown.text
    assert abs(int(known.headers["Retry-After"]) - int(unknown.headers["Retry-After"])) <= 2


def test_other_accounts_are_not_affected(client, make_user, user_email):
    victim, other = make_user(), make_user()
    for _ in range(5):
        post_login(client, user_email(victim))
    response = post_login(client, user_email(other), PASSWORD)
    assert response.status_code == 302


def test_successful_login_clears_the_account_failures(client, auth, make_user, user_email):
    email = user_email(make_user())
    for _ in range(4):
        post_login(client, email)
    assert post_login(client, email, PASSWORD).status_code == 302
    auth.logout()
    for _ in range(4):
        assert post_login(client, email).status_code == 200
    assert post_login(client, email, PASSWORD).status_code == 302


def test_failures_older_than_the_window_do_not_count_and_are_pruned(app, client, make_user, user_email):
    email = user_email(make_user())
    for _ in range(5):
        post_login(client, email)
    with app.app_context():
        for row in db.session.scalars(db.select(LoginFailure)):
            row.created_at = utcnow() - timedelta(minutes=15, seconds=1)
        db.session.commit()
    assert post_login(client, "autre@example.org").status_code == 200  # records one, prunes the old
    assert [row.email for row in failures(app)] == ["autre@example.org"]
    assert post_login(client, email, PASSWORD).status_code == 302


def test_retry_moment_follows_the_oldest_counted_failure(app, client, make_user, user_email):
    email = user_email(make_user())
    for _ in range(5):
        post_login(client, email)
    with app.app_context():  # the failures happened 10 minutes ago: 5 minutes left
        for row in db.session.scalars(db.select(LoginFailure)):
            row.created_at -= timedelta(minutes=10)
        db.session.commit()
    assert_throttled(post_login(client, email), minutes=5)


def test_long_lock_gives_the_time_to_come_back(app, client):
    app.config["LOGIN_FAILURE_WINDOW"] = timedelta(hours=3)
    for _ in range(5):
        post_login(client, "personne@example.org")
    response = post_login(client, "personne@example.org")
    assert response.status_code == 429
    assert re.search(r"Trop de tentatives\. Réessayez après \d{1,2} h \d\d \(heure UTC\)\.", response.text)
    assert 2 * 3600 < int(response.headers["Retry-After"]) <= 3 * 3600


def test_retry_messages():
    now = utcnow().replace(hour=14, minute=0, second=0, microsecond=0)
    assert throttle.retry_message(now + timedelta(seconds=20), now) == "Trop de tentatives. Réessayez dans 1 minute."
    assert throttle.retry_message(now + timedelta(minutes=11, seconds=5), now) == \
        "Trop de tentatives. Réessayez dans 12 minutes."
    assert throttle.retry_message(now + timedelta(hours=2, minutes=34, seconds=10), now) == \
        "Trop de tentatives. Réessayez après 16 h 35 (heure UTC)."


# Per address ------------------------------------------------------------------

def test_address_is_locked_after_twenty_failures_on_any_accounts(client, make_user, user_email):
    email = user_email(make_user())
    for n in range(20):
        assert post_login(client, f"inconnu{n}@example.org").status_code == 200
    assert_throttled(post_login(client, email, PASSWORD))
    assert post_login(client, email, PASSWORD, address=ELSEWHERE).status_code == 302


# Across workers ----------------------------------------------------------------

def test_throttle_holds_across_two_app_instances(app, make_user, user_email):
    email = user_email(make_user())
    worker_a, worker_b = app.test_client(), same_database_app(app).test_client()
    for n in range(5):
        post_login(worker_a if n % 2 else worker_b, email)
    assert_throttled(post_login(worker_a, email, PASSWORD))
    assert_throttled(post_login(worker_b, email, PASSWORD))
    for n in range(15):  # the address too: 5 + 15 failures, split over both workers
        post_login(worker_a if n % 2 else worker_b, f"inconnu{n}@example.org")
    assert_throttled(post_login(worker_b, "encore@example.org"))


# Unlocking ---------------------------------------------------------------------

def lock(client, email):
    for _ in range(5):
        post_login(client, email)
    assert post_login(client, email, PASSWORD).status_code == 429


def test_coordinator_unlocks_an_account_and_it_is_audited(app, client, make_user, user_email):
    user, coordinator = make_user(), make_user("coordinateur")
    lock(client, user_email(user))
    admin = app.test_client()
    post_login(admin, user_email(coordinator), PASSWORD, address=ELSEWHERE)
    page = admin.get(f"/admin/utilisateurs/{user}")
    assert "Connexion bloquée" in page.text and "203.0.113.66" in page.text
    response = admin.post(f"/admin/utilisateurs/{user}/debloquer", environ_base=ELSEWHERE)
    assert response.status_code == 302
    assert post_login(client, user_email(user), PASSWORD).status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "login.unlock"))
        assert (event.actor_id, event.target) == (coordinator, f"user:{user}")
        assert event.address == ELSEWHERE["REMOTE_ADDR"]


def test_coordinator_unlocks_an_address(app, client, make_user, user_email):
    user, coordinator = make_user(), make_user("coordinateur")
    for n in range(20):
        post_login(client, user_email(user) if n < 3 else f"inconnu{n}@example.org")
    assert_throttled(post_login(client, "quelquun@example.org"))
    admin = app.test_client()
    post_login(admin, user_email(coordinator), PASSWORD, address=ELSEWHERE)
    admin.post(f"/admin/utilisateurs/{user}/debloquer", data={"address": ATTACKER["REMOTE_ADDR"]})
    assert post_login(client, "quelquun@example.org").status_code == 200
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "login.unlock"))
        assert event.details == {"address": ATTACKER["REMOTE_ADDR"]}


def test_unlock_needs_a_coordinator(client, make_user, user_email):
    user, contributor = make_user(), make_user()
    lock(client, user_email(user))
    other = client.application.test_client()
    post_login(other, user_email(contributor), PASSWORD, address=ELSEWHERE)
    assert other.post(f"/admin/utilisateurs/{user}/debloquer").status_code == 403
    assert post_login(client, user_email(user), PASSWORD).status_code == 429


def test_unlock_form_needs_its_csrf_token(app, make_user, user_email):
    user, coordinator = make_user(), make_user("coordinateur")
    lock(app.test_client(), user_email(user))
    protected = same_database_app(app, WTF_CSRF_ENABLED=True)
    admin = protected.test_client()
    token = csrf_token_from(admin.get("/connexion").text)
    admin.post("/connexion", data={"email": user_email(coordinator), "password": PASSWORD, "csrf_token": token})
    assert admin.post(f"/admin/utilisateurs/{user}/debloquer").status_code == 400
    assert len(failures(app)) == 5
    token = csrf_token_from(admin.get(f"/admin/utilisateurs/{user}").text)
    assert admin.post(f"/admin/utilisateurs/{user}/debloquer", data={"csrf_token": token}).status_code == 302
    assert failures(app) == []


def test_unlock_service_checks_the_role(app, make_user):
    user, contributor = make_user(), make_user()
    with app.app_context():
        with pytest.raises(PermissionDenied):
            accounts.unlock_login(db.session.get(User, user), by=db.session.get(User, contributor))


# Invitations -------------------------------------------------------------------

def test_wrong_invitation_links_are_throttled_per_address(app, client, make_user):
    with app.app_context():
        invited = accounts.create_user(email="awa@example.ml", name="Awa Traoré", side="sud", role="contributeur", by=SYSTEM)
        token = invitations.create_invitation(invited, by=SYSTEM, validity=timedelta(days=7))
    choose = {"password": "le fleuve Niger", "confirm": "le fleuve Niger"}
    for n in range(20):
        assert client.post(f"/invitation/faux-jeton-{n}", data=choose, environ_base=ATTACKER).status_code == 404
    assert_throttled(client.get(f"/invitation/{token}", environ_base=ATTACKER))
    assert_throttled(client.post(f"/invitation/{token}", environ_base=ATTACKER, data=choose))
    assert client.get(f"/invitation/{token}", environ_base=ELSEWHERE).status_code == 200


def test_expired_and_used_links_sent_with_a_password_count_as_failures(app, client, auth, make_user):
    with app.app_context():
        invited = accounts.create_user(email="awa@example.ml", name="Awa Traoré", side="sud", role="contributeur", by=SYSTEM)
        token = invitations.create_invitation(invited, by=SYSTEM, validity=timedelta(seconds=-1))
    assert client.get(f"/invitation/{token}", environ_base=ATTACKER).status_code == 404
    assert failures(app) == []  # opening a link is what an image can make a browser do
    assert client.post(f"/invitation/{token}", data={"password": "le fleuve Niger", "confirm": "le fleuve Niger"},
                       environ_base=ATTACKER).status_code == 404
    assert [(f.email, f.address) for f in failures(app)] == [("", ATTACKER["REMOTE_ADDR"])]


def test_reading_a_page_full_of_bad_invitation_links_locks_nobody_out(app, client, api, make_user, user_email):
    """The attack: 22 images `![](/invitation/piegeN)` on a page. Markdown drops them, and
    even opened directly, bad links neither count nor share a counter with logins."""
    author, reader = make_user("coordinateur"), make_user()
    trap = "".join(f"![](/invitation/piege{n})\n" for n in range(22))
    slug = api("POST", "/pages", author, json={"title": "Piège", "body": trap, "visibility": "public"}).json["slug"]
    assert "/invitation/" not in client.get(f"/p/{slug}").text
    for n in range(22):
        client.get(f"/invitation/piege{n}", environ_base=ELSEWHERE)
    assert failures(app) == []
    # Failed invitation attempts (with a password) do not block a correct login from that address.
    for n in range(25):
        client.post(f"/invitation/piege{n}", data={"password": "le fleuve Niger", "confirm": "le fleuve Niger"},
                    environ_base=ELSEWHERE)
    assert post_login(client, user_email(reader), PASSWORD, address=ELSEWHERE).status_code == 302


def test_invalid_invitation_links_all_answer_the_same(app, client):
    with app.app_context():
        invited = accounts.create_user(email="awa@example.ml", name="Awa Traoré", side="sud", role="contributeur", by=SYSTEM)
        expired = invitations.create_invitation(invited, by=SYSTEM, validity=timedelta(seconds=-1))
    unknown = client.get("/invitation/jeton-inconnu")
    stale = client.get(f"/invitation/{expired}")
    assert unknown.status_code == stale.status_code == 404
    assert unknown.text == stale.text.replace(expired, "jeton-inconnu")  # the path is in the login link


# No user enumeration -----------------------------------------------------------

def test_unknown_email_and_wrong_password_take_similar_time(tmp_path):
    """With the production argon2 cost, both answers verify one hash: compare medians of five
    tries each with a loose factor, so that the test is not flaky on a busy machine."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                      "DATA_DIR": str(tmp_path), "LOGIN_MAX_FAILURES_PER_ACCOUNT": 0,
                      "LOGIN_MAX_FAILURES_PER_ADDRESS": 0})
    assert app.config["ARGON2_MEMORY_COST"] == 65536  # the production cost
    with app.app_context():
        db.create_all()
        accounts.create_user(email="awa@example.ml", name="Awa", side="sud", role="lecteur", password=PASSWORD, by=SYSTEM)
    client = app.test_client()

    def timed(email: str) -> float:
        start = time.perf_counter()
        response = post_login(client, email)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200 and "Adresse ou mot de passe incorrect." in response.text
        return elapsed

    timed("awa@example.ml"), timed("personne@example.org")  # warm-up
    known, unknown = [], []
    for _ in range(5):
        known.append(timed("awa@example.ml"))
        unknown.append(timed("personne@example.org"))
    slow, fast = max(statistics.median(known), statistics.median(unknown)), \
        min(statistics.median(known), statistics.median(unknown))
    assert slow < 3 * fast, (known, unknown)
    with app.app_context():
        db.engine.dispose()
