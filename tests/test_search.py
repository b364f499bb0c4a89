"""Search: French matching, permission filter inside the query, index catching up by itself."""
import shutil
from pathlib import Path

import pytest

from wiki import search


@pytest.fixture
def people(make_user):
    return {"lecteur": make_user("lecteur"), "membre_eau": make_user("contributeur", "sud", groups_=("eau",)),
            "coordinateur": make_user("coordinateur")}


def post(api, user, title, body, **extra):
    response = api("POST", "/pages", user, json={"title": title, "body": body, **extra})
    assert response.status_code == 201, response.json
    return response.json["slug"]


def test_accents_plurals_and_case_meet(api, people):
    post(api, people["membre_eau"], "Maternité de Ségou", "Les forages et les pompes du CSCOM.")
    for query in ("maternite", "SEGOU", "forage", "pompe", "Maternités"):
        result = api("GET", f"/search?q={query}", people["lecteur"]).json
        assert result["total"] == 1, query
    hit = api("GET", "/search?q=pompe", people["lecteur"]).json["results"][0]
    assert "<mark>pompes</mark>" in hit["snippet"]
    assert set(hit) >= {"slug", "title", "kind", "snippet", "score"}


def test_and_then_or_fallback(api, people):
    post(api, people["membre_eau"], "Puits", "Le puits du village.")
    post(api, people["membre_eau"], "École", "L'école du village.")
    assert api("GET", "/search?q=puits village", people["lecteur"]).json["total"] == 1
    fallback = api("GET", "/search?q=puits école", people["lecteur"]).json
    assert fallback["total"] == 2 and fallback["used_or"] is True


def test_restricted_word_is_undetectable(api, client, auth, people):
    post(api, people["membre_eau"], "Réunion du groupe", "Le mot zanzibarite est confidentiel.",
         visibility="groupe", group="eau")
    post(api, people["membre_eau"], "Page ouverte", "Rien à cacher ici.", visibility="membres")
    for viewer in (None, people["lecteur"]):
        result = api("GET", "/search?q=zanzibarite", viewer).json
        assert result["total"] == 0 and result["results"] == []
        assert all(not counts for counts in result["facets"].values())
        everything = api("GET", "/search?q=", viewer).json
        assert "reunion-du-groupe" not in {r["slug"] for r in everything["results"]}
        assert "zanzibarite" not in str(everything)
        assert everything["facets"]["group"] == {}
    auth.login(people["lecteur"])
    assert "zanzibarite" not in client.get("/recherche?q=zanzibarite").text.replace('value="zanzibarite"', "")
    assert api("GET", "/search?q=zanzibarite", people["membre_eau"]).json["total"] == 1
    assert api("GET", "/search?q=zanzibarite", people["coordinateur"]).json["total"] == 1


def test_hostile_queries_never_fail(api, people):
    post(api, people["membre_eau"], "Puits", "Le puits.")
    for query in ['"guillemet', "(((", "title:puits", "puits*", "a" * 10_000, "\x00\x00", "AND OR NOT",
                  "puits^5", "[a TO z]", "\u202etexte"]:
        response = api("GET", "/search", people["lecteur"], query_string={"q": query})
        assert response.status_code == 200, query


def test_index_catches_up_after_crash_and_loss(app, api, people, monkeypatch):
    # A save whose index write never happened (crash between commit and indexing)...
    monkeypatch.setattr(search, "catch_up", lambda: None)
    post(api, people["membre_eau"], "Semences", "Variétés de mil résistantes.")
    monkeypatch.undo()
    # ...is found at the next search, which replays the change feed.
    assert api("GET", "/search?q=mil", people["lecteur"]).json["total"] == 1
    # A deleted index is rebuilt from the database without anyone typing a command.
    shutil.rmtree(Path(app.config["SEARCH_INDEX_DIR"]))
    assert api("GET", "/search?q=mil", people["lecteur"]).json["total"] == 1


def test_deleted_page_leaves_results(app, api, people):
    slug = post(api, people["membre_eau"], "Semences", "Variétés de mil résistantes.")
    from wiki.auth.models import User
    from wiki.extensions import db
    from wiki.pages import services as pages
    with app.app_context():
        page, _ = pages.find_page(slug)
        pages.set_deleted(page, True, by=db.session.get(User, people["coordinateur"]))
    assert api("GET", "/search?q=mil", people["lecteur"]).json["total"] == 0


def test_search_page_in_html(client, api, people):
    post(api, people["coordinateur"], "Forage public", "Un forage <b>profond</b>.", visibility="public")
    html = client.get("/recherche?q=forage").text
    assert '<a href="/p/forage-public">Forage public</a>' in html
    assert "&lt;b&gt;" in html  # source text is escaped in snippets
