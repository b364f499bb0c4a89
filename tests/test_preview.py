"""The editor's live preview (POST /apercu) and fetch-submitted forms (wiki/editor.py)."""
import pytest

from wiki.auth import accounts
from wiki.editor import MAX_PREVIEW_BYTES
from wiki.extensions import db
from wiki.markup import render_markdown

from support import csrf_token_from, make_csrf_app
from wiki.policy import SYSTEM

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[clic](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<p style="color:red" onclick="x()">x</p>',
    "<iframe src=//evil.example></iframe>",
    "![pisteur](https://evil.example/p.png)",
]


def preview(client, text, **headers):
    return client.post("/apercu", data={"text": text}, headers=headers)


def test_preview_renders_markdown_like_a_saved_page(client, auth, make_user):
    auth.login(make_user())
    text = "## Puits\n\nLes **margelles** de [[Page absente]]."
    response = preview(client, text)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert '<h2 id="puits">Puits</h2>' in response.text
    assert "<strong>margelles</strong>" in response.text
    # [[links]] get the same « à créer » marking as on the page itself.
    assert 'class="wikilink missing" href="/pages/nouvelle?titre=Page%20absente"' in response.text


def test_preview_marks_existing_pages_as_plain_links(client, auth, make_user):
    auth.login(make_user())
    client.post("/pages/nouvelle", data={"title": "Comité de pilotage", "body": "x", "visibility": "membres"})
    response = preview(client, "Voir le [[Comité de pilotage]].")
    assert '<a class="wikilink" href="/p/comite-de-pilotage"' in response.text


def test_preview_links_the_attachments_of_the_page_being_edited(client, auth, make_user):
    auth.login(make_user())
    client.post("/pages/nouvelle", data={"title": "Budget du forage", "body": "x", "visibility": "membres"})
    text = "[le budget](fichier:budget.pdf)"
    assert 'href="/p/budget-du-forage/fichiers/budget.pdf"' in client.post(
        "/apercu?page=budget-du-forage", data={"text": text}).text
    # A new page has no files yet; a page one cannot edit lends none.
    assert "fichiers" not in preview(client, text).text
    auth.logout()
    auth.login(make_user("contributeur", "sud", groups_=("eau",)))
    response = client.post("/pages/nouvelle", data={"title": "Cachée", "body": "x", "visibility": "groupe",
                                                    "group": "eau"})
    assert response.headers["Location"].endswith("/p/cachee")
    assert "/p/cachee/fichiers/" in client.post("/apercu?page=cachee", data={"text": text}).text
    auth.logout()
    auth.login(make_user("contributeur", "nord"))
    assert "fichiers" not in client.post("/apercu?page=cachee", data={"text": text}).text


@pytest.mark.parametrize("payload", XSS)
def test_preview_is_sanitized(client, auth, make_user, payload):
    auth.login(make_user())
    response = preview(client, f"Avant\n\n{payload}\n\nAprès")
    assert response.status_code == 200
    html = response.text.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style=", "evil.example"):
        assert bad not in html, (payload, response.text)
    assert response.text == str(render_markdown(f"Avant\n\n{payload}\n\nAprès"))


def test_visitor_and_reader_are_refused(client, auth, make_user):
    response = preview(client, "**x**")
    assert response.status_code == 401
    assert response.mimetype == "text/plain"
    assert "reconnectez-vous" in response.text
    auth.login(make_user("lecteur"))
    response = preview(client, "**x**")
    assert response.status_code == 403
    assert "pas le droit" in response.text
    assert "<strong>" not in response.text


def test_preview_is_post_only(client, auth, make_user):
    auth.login(make_user())
    response = client.get("/apercu")
    assert response.status_code == 405


def test_preview_limits_the_size(app, client, auth, make_user):
    auth.login(make_user())
    too_long = "a" * (app.config["MAX_BODY_LENGTH"] + 1)
    response = preview(client, too_long)
    assert response.status_code == 413
    assert response.text == "Texte trop long pour l'aperçu."
    response = client.post("/apercu", data=b"text=" + b"a" * MAX_PREVIEW_BYTES,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_hostile_bytes_are_refused(client, auth, make_user):
    auth.login(make_user())
    assert preview(client, "a\x00b").status_code == 400


# With CSRF on, as in production -------------------------------------------------------------

@pytest.fixture
def csrf_app(tmp_path):
    app = make_csrf_app(tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_csrf_token_required_in_header(csrf_app):
    password = "aperçu-du-texte-en-direct"
    with csrf_app.app_context():
        accounts.create_user(email="c@example.org", name="C", side="sud", role="contributeur", password=password, by=SYSTEM)
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/connexion").text)
    assert client.post("/connexion", data={"email": "c@example.org", "password": password,
                                           "csrf_token": token}).status_code == 302

    refused = preview(client, "**x**")
    assert refused.status_code == 400
    assert refused.mimetype == "text/plain"
    assert "expiré" in refused.text
    assert preview(client, "**x**", **{"X-CSRFToken": "faux"}).status_code == 400

    token = csrf_token_from(client.get("/pages/nouvelle").text)
    response = preview(client, "**x**", **{"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.text == "<p><strong>x</strong></p>"


# Forms sent by editor.js ---------------------------------------------------------------------

EDITOR = {"X-Passerelle-Editor": "1"}


def test_editor_submit_gets_the_redirect_as_a_header(client, auth, make_user):
    auth.login(make_user())
    response = client.post("/pages/nouvelle", headers=EDITOR,
                           data={"title": "Puits de Ségou", "body": "Texte.", "visibility": "membres"})
    assert response.status_code == 204
    assert response.data == b""
    assert "Location" not in response.headers
    assert response.headers["X-Passerelle-Location"].endswith("/p/puits-de-segou")
    # The flash message waits for the page the browser loads next.
    assert "Page créée." in client.get("/p/puits-de-segou").text


def test_editor_submit_errors_are_answered_as_usual(client, auth, make_user):
    auth.login(make_user())
    response = client.post("/pages/nouvelle", headers=EDITOR, data={"title": "", "body": "x", "visibility": "membres"})
    assert response.status_code == 200
    assert "Le titre est obligatoire." in response.text
    assert "X-Passerelle-Location" not in response.headers
    assert "data-unsaved" in response.text  # editor.js keeps this text as unsaved


def test_plain_submit_still_redirects(client, auth, make_user):
    auth.login(make_user())
    response = client.post("/pages/nouvelle", data={"title": "Puits", "body": "x", "visibility": "membres"})
    assert response.status_code == 302
    assert "X-Passerelle-Location" not in response.headers
    form = client.get("/p/puits/modifier").text
    assert "data-editor=" in form and "data-unsaved" not in form
    assert "/static/js/editor." in form


def test_editor_submit_after_the_session_ended_points_to_the_login(client):
    response = client.post("/pages/nouvelle", headers=EDITOR, data={"title": "Perdu ?", "body": "Non."})
    assert response.status_code == 204
    assert "/connexion?next=" in response.headers["X-Passerelle-Location"]
