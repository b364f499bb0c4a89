"""`GET /healthz`: for load balancers and monitoring, nothing private in it."""
import shutil

from wiki import create_app


def test_healthy_with_the_index_caught_up_then_behind(app, client, api, make_user):
    author = make_user("coordinateur")
    api("POST", "/pages", author, json={"title": "Secret du groupe", "body": "Forage.", "visibility": "membres"})
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.json == {"status": "ok", "database": "ok", "search": {"changes_behind": 0, "pages_left_out": 0}}
    assert "Set-Cookie" not in response.headers and "Secret" not in response.text
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])  # an index to rebuild: every change is behind
    assert client.get("/healthz").json["search"]["changes_behind"] == 1


def test_unavailable_when_the_database_does_not_answer(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'absent' / 'wiki.sqlite'}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}


def test_pages_say_the_wiki_is_unavailable_when_the_database_does_not_answer(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'absent' / 'wiki.sqlite'}"})
    response = app.test_client().get("/p/accueil")
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "momentanément indisponible" in response.text
    api = app.test_client().get("/api/v1/pages", headers={"Accept": "application/json"})
    assert api.status_code == 503 and api.json["error"] == "unavailable"
