"""Fixtures: a fresh app per test with a real database (a SQLite file in tmp_path, or a
PostgreSQL database of its own: see databases.py) and a real Whoosh index in tmp_path."""
from __future__ import annotations

import os

import pytest
from databases import ON_POSTGRESQL, drop_databases, fresh_database
from support import PASSWORD

from wiki import create_app, search
from wiki.auth import accounts, tokens
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.search.thesaurus import seed_thesaurus
from wiki.sheets.themes import seed_themes
from wiki.policy import SYSTEM

os.environ["FLASK_SKIP_DOTENV"] = "1"  # a developer's .env never reaches the tests (nor their servers)


@pytest.fixture(scope="session", autouse=True)
def databases_dropped_at_the_end():
    yield
    if ON_POSTGRESQL:
        drop_databases()


@pytest.fixture(autouse=True)
def database(monkeypatch):
    """On PostgreSQL, every app and process of the test uses a database of its own."""
    if not ON_POSTGRESQL:
        yield
        return
    with fresh_database() as url:
        monkeypatch.setenv("WIKI_DATABASE_URL", url)
        yield


@pytest.fixture
def another_database():
    """A second empty database for the test (a restore's target): its URL on PostgreSQL; None
    on SQLite, where the new data folder's own file is the empty database."""
    if not ON_POSTGRESQL:
        yield None
        return
    with fresh_database("other") as url:
        yield url


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                      "DATA_DIR": str(tmp_path / "data"), "SERVER_NAME": "wiki.test",
                      # Cheap hashes keep the suite fast; production cost is tested in test_auth.
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1})
    with app.app_context():
        db.create_all()
        seed_themes()  # as `flask --app wiki init` does
        seed_thesaurus()
        search.catch_up()  # builds the (empty) index
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user("contributeur", "sud") → the user's id (rows are re-fetched per request)."""
    counter = iter(range(1, 10_000))

    def make(role: str = "contributeur", side: str = "nord", *, email: str | None = None,
             groups_: tuple[str, ...] = ()) -> int:
        n = next(counter)
        with app.app_context():
            user = accounts.create_user(email=email or f"{role}{n}-{side}@example.org", name=f"{role.title()} {n}",
                                        side=side, role=role, password=PASSWORD, by=SYSTEM)
            for slug in groups_:
                group = groups.find_group(slug) or groups.create_group(name=slug, by=SYSTEM)
                groups.add_member(group, user, by=SYSTEM)
            return user.id
    return make


@pytest.fixture
def user_email(app):
    def email(user_id: int) -> str:
        from wiki.auth.models import User
        with app.app_context():
            return db.session.get(User, user_id).email
    return email


class Auth:
    def __init__(self, client, email_of):
        self.client, self.email_of = client, email_of

    def login(self, user_id: int, remember: bool = False):
        response = self.client.post("/connexion", data={"email": self.email_of(user_id), "password": PASSWORD,
                                                         "remember": "y" if remember else ""})
        assert response.status_code == 302, response.text
        return response

    def logout(self):
        return self.client.post("/deconnexion")


@pytest.fixture
def auth(client, user_email):
    return Auth(client, user_email)


@pytest.fixture
def login(app, user_email):
    """login(user_id) → a test client of its own, logged in (one login session per reader)."""
    def make(user_id: int):
        client = app.test_client()
        Auth(client, user_email).login(user_id)
        return client
    return make


@pytest.fixture
def token_for(app):
    def token(user_id: int) -> str:
        from wiki.auth.models import User
        with app.app_context():
            return tokens.create_api_token(db.session.get(User, user_id), "tests")
    return token


@pytest.fixture
def api(client, token_for):
    """api("GET", "/pages", user_id=None, json=None) → response, with a bearer token for user_id."""
    tokens: dict[int, str] = {}

    def call(method: str, path: str, user_id: int | None = None, json=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if user_id is not None:
            if user_id not in tokens:
                tokens[user_id] = token_for(user_id)
            headers["Authorization"] = f"Bearer {tokens[user_id]}"
        return client.open("/api/v1" + path, method=method, json=json, headers=headers, **kwargs)
    return call


