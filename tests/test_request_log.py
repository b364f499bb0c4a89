"""One JSON line per request: the route, never the address (slugs, tokens), nor any person."""
import json
import logging
import threading
import urllib.error
import urllib.request

import pytest
from werkzeug.serving import make_server

from wiki.request_log import logger


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger=logger.name)
    logger.addHandler(caplog.handler)
    yield lambda: [json.loads(record.getMessage()) for record in caplog.records if record.name == logger.name]
    logger.removeHandler(caplog.handler)


def test_each_request_is_one_line_naming_its_route_not_its_address(client, api, auth, make_user, lines):
    author = make_user("coordinateur")
    slug = api("POST", "/pages", author, json={"title": "Partenaire de Tombouctou", "body": "Nom protégé.",
                                               "visibility": "public"}).json["slug"]
    client.get(f"/p/{slug}?q=secret")
    client.get("/invitation/jeton-secret-d-invitation")
    auth.login(author)
    client.get("/compte")
    logged = lines()
    assert {"method": "POST", "route": "/api/v1/pages", "status": 201, "reader": "api"}.items() \
        <= logged[0].items()
    assert [(line["route"], line["status"], line["reader"]) for line in logged[1:3]] == [
        ("/p/<slug>", 200, "visitor"), ("/invitation/<token>", 404, "visitor")]
    assert logged[-1]["route"] == "/compte" and logged[-1]["reader"] == "member"
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in logged)
    text = json.dumps(logged).lower()
    for private in ("tombouctou", "secret", "jeton", "example.org", "coordinateur"):
        assert private not in text


def test_the_servers_access_lines_hide_secret_addresses(app, caplog):
    """`./dev serve` (werkzeug's server) writes each address asked: not an invitation's or a
    personal feed's token."""
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in ("/flux/jeton-du-flux-personnel/fil.atom", "/invitation/jeton-d-invitation",
                     "/flux/modifications.atom"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=10).read()
            except urllib.error.HTTPError:
                pass  # 404 for the unknown tokens
    finally:
        server.shutdown()
        thread.join(10)
    access = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert len(access) == 3 and "/flux/…/fil.atom" in access[0] and "/invitation/…" in access[1]
    assert "/flux/modifications.atom" in access[2]
    assert "jeton" not in " ".join(access)
