"""With CSRF protection on (as in production), a POST without its token changes nothing."""
import pytest

from wiki.extensions import db
from wiki.pages.models import Page

from support import PASSWORD, csrf_token_from, make_csrf_app


@pytest.fixture
def app(tmp_path):
    return make_csrf_app(tmp_path)


def login(client, email):
    token = csrf_token_from(client.get("/connexion").text)
    response = client.post("/connexion", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_login_without_token_is_refused(client, make_user, user_email):
    response = client.post("/connexion", data={"email": user_email(make_user()), "password": PASSWORD})
    assert response.status_code == 400
    assert "formulaire a expiré" in response.text
    assert client.get("/compte").status_code == 302


def test_page_creation_without_token_is_refused(app, client, make_user, user_email):
    login(client, user_email(make_user()))
    response = client.post("/pages/nouvelle", data={"title": "Sans jeton", "body": "x", "visibility": "membres"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Page.id))) == 0
    token = csrf_token_from(client.get("/pages/nouvelle").text)
    response = client.post("/pages/nouvelle", data={"title": "Avec jeton", "body": "x", "visibility": "membres",
                                                    "csrf_token": token})
    assert response.status_code == 302


def test_logout_without_token_keeps_session(client, make_user, user_email):
    login(client, user_email(make_user()))
    assert client.post("/deconnexion").status_code == 400
    assert client.get("/compte").status_code == 200


def test_state_changes_refuse_get(client, make_user, user_email):
    login(client, user_email(make_user("coordinateur")))
    assert client.get("/deconnexion").status_code == 405
    assert client.get("/p/x/supprimer").status_code == 405


def test_api_needs_no_csrf_token_but_ignores_cookies(client, make_user, user_email):
    login(client, user_email(make_user()))
    # The browser session does not authenticate API calls: a cross-site POST cannot use it.
    response = client.post("/api/v1/pages", json={"title": "Par cookie"})
    assert response.status_code == 401


def test_a_form_opened_hours_ago_still_saves(app, client, make_user, user_email, monkeypatch):
    """Writing a long text on a slow link takes time: the token lives as long as the session."""
    import time as time_module

    login(client, user_email(make_user()))
    token = csrf_token_from(client.get("/pages/nouvelle").text)
    three_hours_later = time_module.time() + 3 * 3600
    monkeypatch.setattr(time_module, "time", lambda: three_hours_later)
    response = client.post("/pages/nouvelle", data={"title": "Longue rédaction", "body": "x",
                                                     "visibility": "membres", "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Page.id))) == 1


def test_sheet_buttons_kept_per_reader_class_carry_each_readers_working_token(app, make_user, user_email):
    """Two members with the same rights share the kept sheet content (wiki/sheets/views.py);
    each gets forms with a token of their own session, which the server accepts."""
    from wiki.auth.models import User
    from wiki.pages import services as pages

    with app.app_context():
        author = db.session.get(User, make_user("contributeur", "nord"))
        slug = pages.create_page(author=author, title="Puits à Kati", kind="fiche", body="Un puits.",
                                 themes=["eau-et-assainissement"], fields={"region": "Koulikoro"}).slug
    first, second = app.test_client(), app.test_client()
    login(first, user_email(make_user("contributeur", "sud")))
    login(second, user_email(make_user("contributeur", "sud")))
    first.get(f"/p/{slug}")
    html = second.get(f"/p/{slug}").text
    assert f'action="/p/{slug}/valider"' in html
    token = csrf_token_from(html)
    assert token != csrf_token_from(first.get(f"/p/{slug}").text)
    assert second.post(f"/p/{slug}/valider", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Page).where(Page.slug == slug)).status == "validee"


def test_following_without_token_is_refused(app, client, make_user, user_email):
    login(client, user_email(make_user()))
    client.post("/pages/nouvelle", data={"title": "Suivie", "body": "x", "visibility": "membres",
                                         "csrf_token": csrf_token_from(client.get("/pages/nouvelle").text)})
    assert client.post("/ne-plus-suivre/page/suivie").status_code == 400
    assert "Ne plus suivre" in client.get("/p/suivie").text  # created, so followed, and still followed
