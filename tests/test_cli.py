"""The command-line contract of DESIGN.md."""
from wiki.auth import accounts
from wiki.extensions import db
from wiki.pages.models import Page


def test_user_add_and_token_create(app, runner, api, monkeypatch):
    monkeypatch.setenv("WIKI_PASSWORD", "un mot de passe sûr")
    result = runner.invoke(args=["user", "add", "Fatou@Example.ml", "--name", "Fatou", "--side", "sud",
                                 "--role", "contributeur"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert accounts.authenticate("fatou@example.ml", "un mot de passe sûr") is not None
    duplicate = runner.invoke(args=["user", "add", "fatou@example.ml", "--name", "F", "--side", "sud",
                                    "--role", "lecteur"])
    assert duplicate.exit_code != 0 and "existe déjà" in duplicate.output
    token = runner.invoke(args=["token", "create", "fatou@example.ml"]).output.strip()
    response = api("POST", "/pages", json={"title": "Par la ligne de commande"},
                   headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    missing = runner.invoke(args=["token", "create", "personne@example.org"])
    assert missing.exit_code != 0


def test_user_add_rejects_short_password(runner, monkeypatch):
    monkeypatch.setenv("WIKI_PASSWORD", "court")
    result = runner.invoke(args=["user", "add", "a@example.org", "--name", "A", "--side", "nord",
                                 "--role", "lecteur"])
    assert result.exit_code != 0 and "10 caractères" in result.output


def test_user_add_rejects_unknown_role(runner, monkeypatch):
    monkeypatch.setenv("WIKI_PASSWORD", "un mot de passe sûr")
    result = runner.invoke(args=["user", "add", "a@example.org", "--name", "A", "--side", "nord",
                                 "--role", "roi"])
    assert result.exit_code != 0


def test_demo_is_idempotent_and_linked(app, runner, client):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "chargé" in first.output
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(Page.id)))
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "déjà" in second.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Page.id))) == count
    home = client.get("/p/accueil")
    assert home.status_code == 200
    assert '<a class="wikilink" href="/p/premiere-rencontre-des-acteurs-de-la-cooperation-avec-le-mali"' in home.text
    assert "2015" in client.get("/p/premiere-rencontre-des-acteurs-de-la-cooperation-avec-le-mali").text


def test_search_reindex_rebuilds(app, runner, api, make_user):
    user = make_user()
    api("POST", "/pages", user, json={"title": "Maraîchage à Ségou", "body": "Des oignons et des tomates."})
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "1 pages" in result.output
    assert api("GET", "/search?q=oignon", user).json["total"] == 1
