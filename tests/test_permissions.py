"""The roles table of DESIGN.md, over HTML and the API, for every read and write path."""
import re

import pytest

from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages

TITLES = {"public": "Page publique", "membres": "Page des membres", "groupe": "Page du groupe eau"}
SLUGS = {"public": "page-publique", "membres": "page-des-membres", "groupe": "page-du-groupe-eau"}

# Who may read each visibility (the DESIGN.md table).
READERS = {
    "public": {"visitor", "lecteur", "contributeur", "lecteur_eau", "contributeur_eau", "coordinateur"},
    "membres": {"lecteur", "contributeur", "lecteur_eau", "contributeur_eau", "coordinateur"},
    "groupe": {"lecteur_eau", "contributeur_eau", "coordinateur"},
}
WRITERS = {"contributeur", "contributeur_eau", "coordinateur"}
CSRF_VALUE = re.compile(r'(?<=name="csrf_token" value=")[^"]+')
PERSONAS = ["visitor", "lecteur", "contributeur", "lecteur_eau", "contributeur_eau", "coordinateur"]


@pytest.fixture
def world(app, make_user):
    people = {
        "lecteur": make_user("lecteur"),
        "contributeur": make_user("contributeur", "sud"),
        "lecteur_eau": make_user("lecteur", "sud", groups_=("eau",)),
        "contributeur_eau": make_user("contributeur", "nord", groups_=("eau",)),
        "coordinateur": make_user("coordinateur"),
    }
    with app.app_context():
        coordinator = db.session.get(User, people["coordinateur"])
        group = groups.find_group("eau")
        for visibility, title in TITLES.items():
            page = pages.create_page(author=coordinator, title=title, body=f"Texte secret {visibility}.",
                                     visibility=visibility, group=group if visibility == "groupe" else None)
            pages.update_page(page, author=coordinator, base_revision=1, title=title,
                              body=f"Texte secret {visibility}, revu.")
    return people


def _login(auth, world, persona):
    if persona != "visitor":
        auth.login(world[persona])


READ_PATHS = ["/p/{slug}", "/p/{slug}/source", "/p/{slug}/historique", "/p/{slug}/version/1",
              "/p/{slug}/comparer?de=1&a=2"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("visibility", list(TITLES))
def test_html_read_paths(client, auth, world, persona, visibility):
    _login(auth, world, persona)
    for path in READ_PATHS:
        response = client.get(path.format(slug=SLUGS[visibility]))
        if persona in READERS[visibility]:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 404, path
            assert TITLES[visibility] not in response.text
            assert "secret" not in response.text


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("visibility", list(TITLES))
def test_api_read_paths(api, world, persona, visibility):
    user_id = world.get(persona)
    for path in ("/pages/{slug}", "/pages/{slug}/revisions", "/pages/{slug}/revisions/1"):
        response = api("GET", path.format(slug=SLUGS[visibility]), user_id)
        expected = 200 if persona in READERS[visibility] else 404
        assert response.status_code == expected, path
        if expected == 404:
            assert response.json["error"] == "not_found"
            assert TITLES[visibility] not in response.text
    listed = {p["slug"] for p in api("GET", "/pages", user_id).json["pages"]}
    assert (SLUGS[visibility] in listed) == (persona in READERS[visibility])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("visibility", list(TITLES))
def test_html_edit(client, auth, world, persona, visibility):
    _login(auth, world, persona)
    slug = SLUGS[visibility]
    form = client.get(f"/p/{slug}/modifier")
    post = client.post(f"/p/{slug}/modifier", data={"title": TITLES[visibility], "body": "Changé.",
                                                     "visibility": visibility,
                                                     "group": "eau" if visibility == "groupe" else "",
                                                     "base_revision": "2"})
    revert = client.post(f"/p/{slug}/version/1/restaurer")
    if persona == "visitor":
        assert form.status_code == post.status_code == revert.status_code == 302
        assert "/connexion" in form.headers["Location"]
    elif persona not in READERS[visibility]:
        assert form.status_code == post.status_code == revert.status_code == 404
    elif persona not in WRITERS:
        assert form.status_code == post.status_code == revert.status_code == 403
    else:
        assert form.status_code == 200
        assert post.status_code == 302 and revert.status_code == 302


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("visibility", list(TITLES))
def test_api_edit(api, world, persona, visibility):
    response = api("PUT", f"/pages/{SLUGS[visibility]}", world.get(persona),
                   json={"body": "Changé par l'API.", "base_revision": 2})
    if persona == "visitor":
        assert response.status_code == 401
    elif persona not in READERS[visibility]:
        assert response.status_code == 404
    elif persona not in WRITERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 200, response.json


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_is_for_coordinators(client, auth, world, persona):
    _login(auth, world, persona)
    response = client.post(f"/p/{SLUGS['membres']}/supprimer")
    expected = {"visitor": 302, "coordinateur": 302}.get(persona, 403)
    assert response.status_code == expected
    if persona == "coordinateur":
        assert "/pages/corbeille" in response.headers["Location"]


@pytest.mark.parametrize("persona", ["contributeur", "coordinateur"])
def test_only_coordinators_make_pages_public(api, world, persona):
    response = api("POST", "/pages", world[persona], json={"title": f"Annonce {persona}", "visibility": "public"})
    assert response.status_code == (201 if persona == "coordinateur" else 403)
    response = api("PUT", f"/pages/{SLUGS['membres']}", world[persona],
                   json={"visibility": "public", "base_revision": 2})
    assert response.status_code == (200 if persona == "coordinateur" else 403)


def test_group_pages_only_for_own_groups(api, world):
    response = api("POST", "/pages", world["contributeur"],
                   json={"title": "Pour le groupe", "visibility": "groupe", "group": "eau"})
    assert response.status_code == 403
    response = api("POST", "/pages", world["contributeur_eau"],
                   json={"title": "Pour le groupe", "visibility": "groupe", "group": "eau"})
    assert response.status_code == 201


def test_hidden_page_answers_like_missing_page(client, auth, world):
    auth.login(world["contributeur"])
    hidden = client.get(f"/p/{SLUGS['groupe']}")
    missing = client.get("/p/page-qui-n-existe-pas")
    assert hidden.status_code == missing.status_code == 404
    # The logout form's CSRF token is signed with the current second: mask it.
    assert CSRF_VALUE.sub("", hidden.text) == CSRF_VALUE.sub("", missing.text)


def test_wikilink_to_hidden_page_looks_missing(app, client, auth, world):
    with app.app_context():
        author = db.session.get(User, world["coordinateur"])
        pages.create_page(author=author, title="Sommaire", body=f"Voir [[{TITLES['groupe']}]].", visibility="membres")
    auth.login(world["contributeur"])
    assert 'class="wikilink missing"' in client.get("/p/sommaire").text
    auth.logout()
    auth.login(world["contributeur_eau"])
    assert 'class="wikilink missing"' not in client.get("/p/sommaire").text


def test_deleted_page_disappears_for_everyone_but_coordinators(app, api, world):
    with app.app_context():
        page, _ = pages.find_page(SLUGS["public"])
        pages.set_deleted(page, True, by=db.session.get(User, world["coordinateur"]))
    assert api("GET", f"/pages/{SLUGS['public']}").status_code == 404
    assert api("GET", f"/pages/{SLUGS['public']}", world["contributeur"]).status_code == 404
    assert api("GET", f"/pages/{SLUGS['public']}", world["coordinateur"]).status_code == 200
