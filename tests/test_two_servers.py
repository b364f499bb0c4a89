"""Two gunicorn servers, each with its own data folder (its own caches and search index), on
one database and one shared uploads folder, as behind a load balancer: what is done through
one is seen through the other on the next request, and its search finds new text within
3 seconds. On PostgreSQL (the deployment this is for) and on a SQLite file both servers open."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import ExitStack

import pytest
from databases import ON_POSTGRESQL
from servers import flask, gunicorn

PASSWORD = "mot-de-passe-solide"
SEARCH_DELAY = 3  # seconds for the other server's index to follow a save


class Browser:
    """Cookies shared by both servers (same host, other port), as one browser behind a balancer."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect)

    def request(self, method: str, url: str, *, form: dict | None = None, body: bytes | None = None,
                headers: dict | None = None):
        data = urllib.parse.urlencode(form).encode() if form is not None else body
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def form_token(self, url: str) -> str:
        status, page, _ = self.request("GET", url)
        assert status == 200, url
        return re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1).decode()

    def login(self, base: str, email: str) -> None:
        token = self.form_token(base + "/connexion")
        status, _, _ = self.request("POST", base + "/connexion",
                                    form={"csrf_token": token, "email": email, "password": PASSWORD})
        assert status == 302


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def api(method: str, url: str, token: str, payload: dict | None = None):
    request = urllib.request.Request(url, method=method, data=json.dumps(payload).encode() if payload else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def upload(url: str, token: str, name: str, content: bytes):
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, method="POST", data=body, headers={
        "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


@pytest.fixture
def two_servers(tmp_path):
    """(url of A, url of B, tokens by person): both servers started on a database set up by `init`."""
    database = os.environ["WIKI_DATABASE_URL"] if ON_POSTGRESQL else f"sqlite:///{tmp_path / 'shared.sqlite'}"
    env = {name: value for name, value in os.environ.items() if not name.startswith("WIKI_")}
    env.update(WIKI_DATABASE_URL=database, WIKI_UPLOADS_DIR=str(tmp_path / "shared-uploads"),
               WIKI_SECRET_KEY="one-key-for-every-server", WIKI_SEARCH_CATCH_UP_INTERVAL="0.5",
               WIKI_ARGON2_TIME_COST="1", WIKI_ARGON2_MEMORY_COST="1024", WIKI_ARGON2_PARALLELISM="1")
    envs = {name: {**env, "WIKI_DATA_DIR": str(tmp_path / f"data-{name}")} for name in "ab"}
    flask("init", envs["a"])
    tokens = {}
    for email, role in (("coord@example.org", "coordinateur"), ("awa@example.ml", "contributeur")):
        flask("user", {**envs["a"], "WIKI_PASSWORD": PASSWORD}, "add", email, "--name", email.split("@")[0],
              "--side", "sud", "--role", role)
        tokens[email] = flask("token", envs["a"], "create", email).strip()
    with ExitStack() as stack:
        a = stack.enter_context(gunicorn(envs["a"], tmp_path / "a.log", workers=1))
        b = stack.enter_context(gunicorn(envs["b"], tmp_path / "b.log", workers=1))
        yield a, b, tokens


def test_what_is_done_through_one_server_is_seen_through_the_other(two_servers):
    a, b, tokens = two_servers
    coord, awa = tokens["coord@example.org"], tokens["awa@example.ml"]
    visitor = Browser()

    # A save through A: the other server's cached copy for visitors is not served again.
    status, page = api("POST", a + "/api/v1/pages", coord, {"title": "Forage de Kati", "body": "Premier essai.",
                                                              "visibility": "public"})
    assert status == 201
    slug = page["slug"]
    assert b"Premier essai." in visitor.request("GET", f"{b}/p/{slug}")[1]  # B keeps it for visitors
    assert api("PUT", f"{a}/api/v1/pages/{slug}", coord, {"body": "Pompe solaire posée.", "base_revision": 1})[0] == 200
    assert b"Pompe solaire" in visitor.request("GET", f"{b}/p/{slug}")[1]

    # B's search finds the new text within a few seconds (its index follows the change feed).
    deadline = time.monotonic() + SEARCH_DELAY
    while api("GET", f"{b}/api/v1/search?q=solaire", coord)[1]["total"] != 1:
        assert time.monotonic() < deadline, "B's search did not find the save made through A"
        time.sleep(0.2)

    # A visibility change through A: B stops showing the page to visitors at once.
    assert api("PUT", f"{a}/api/v1/pages/{slug}", coord, {"body": "Pompe solaire posée.", "base_revision": 2,
                                                          "visibility": "membres"})[0] == 200
    assert visitor.request("GET", f"{b}/p/{slug}")[0] == 404
    assert json.loads(visitor.request("GET", f"{b}/api/v1/search?q=solaire")[1])["total"] == 0

    # An upload through A is served by B (the uploads folder is shared).
    assert upload(f"{a}/api/v1/pages/{slug}/attachments", coord, "plan.pdf", b"%PDF-1.4\n% plan\n") == 201
    status, files = api("GET", f"{b}/api/v1/pages/{slug}/attachments", coord)
    assert status == 200 and [f["name"] for f in files["attachments"]] == ["plan.pdf"]
    member = Browser()
    member.login(b, "coord@example.org")
    status, content, _ = member.request("GET", f"{b}/p/{slug}/fichiers/plan.pdf")
    assert status == 200 and content.startswith(b"%PDF-1.4")

    # A logout through A ends the session on B too.
    assert member.request("GET", f"{b}/compte")[0] == 200
    logout_token = member.form_token(a + "/compte")
    assert member.request("POST", f"{a}/deconnexion", form={"csrf_token": logout_token})[0] == 302
    assert member.request("GET", f"{b}/compte")[0] == 302  # to the login page

    # A role change through A: B refuses the next save of the demoted contributor.
    assert api("PUT", f"{b}/api/v1/pages/{slug}", awa, {"body": "Awa complète.", "base_revision": 2})[0] == 200
    coordinator = Browser()
    coordinator.login(a, "coord@example.org")
    status, users, _ = coordinator.request("GET", f"{a}/admin/utilisateurs")
    user_id = re.search(rb'href="/admin/utilisateurs/(\d+)">awa<', users).group(1).decode()
    token = coordinator.form_token(f"{a}/admin/utilisateurs/{user_id}")
    status, _, _ = coordinator.request("POST", f"{a}/admin/utilisateurs/{user_id}", form={
        "csrf_token": token, "name": "awa", "side": "sud", "role": "lecteur", "organisation": "", "is_enabled": "y"})
    assert status == 302
    assert api("PUT", f"{b}/api/v1/pages/{slug}", awa, {"body": "Encore.", "base_revision": 3})[0] == 403


def test_a_mount_point_header_does_not_poison_what_later_visitors_get(two_servers):
    """gunicorn turns a SCRIPT_NAME request header into the mount point (issue 21's attack)."""
    a, _b, tokens = two_servers
    status, page = api("POST", a + "/api/v1/pages", tokens["coord@example.org"],
                       {"title": "Accueil public", "body": "Bienvenue.", "visibility": "public"})
    assert status == 201
    attacker, visitor = Browser(), Browser()
    for _ in range(3):
        attacker.request("GET", f"{a}//evil.example/p/{page['slug']}", headers={"SCRIPT_NAME": "//evil.example"})
    status, html, _ = visitor.request("GET", f"{a}/p/{page['slug']}")
    assert status == 200 and b"Bienvenue." in html
    assert b'="//evil.example' not in html and b"evil.example" not in html
