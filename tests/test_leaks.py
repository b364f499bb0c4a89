"""A restricted page must not leak through any other door (DESIGN.md): probing addresses and
revision numbers, listings, history, group pages, lessons, the directory, error pages,
search (results, snippets, facets, suggestions) and the API.

Every secret word below is written only in restricted content; each test first checks that
someone allowed does see it (so a passing test is not a broken fixture)."""
from __future__ import annotations

import re

import pytest

from wiki.auth.models import User
from wiki.directory import services as directory
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.policy import SYSTEM

# Restricted to the « eau » group.
GROUP_PAGE = ("Convoi vers Anefis", "convoi-vers-anefis")
GROUP_SHEET = ("Forage à Aguelhok", "forage-a-aguelhok")
RENAMED = ("Ancien titre Tessalit", "ancien-titre-tessalit", "Nouveau titre Tessalit", "nouveau-titre-tessalit")
# A draft: its author and coordinators only.
DRAFT = ("Brouillon Intahaka", "brouillon-intahaka")
# Deleted: coordinators only.
DELETED = ("Supprimée Tinzaouatene", "supprimee-tinzaouatene")
# Members only (hidden from visitors).
MEMBERS_PAGE = ("Rapport Ménaka membres", "rapport-menaka-membres")

GROUP_SECRETS = ["Anefis", "Aguelhok", "Tessalit", "Kidal", "Tigharghar", "Tarkint"]
MEMBER_SECRETS = ["Ménaka", "menaka"]
HIDDEN_FROM_READER = GROUP_SECRETS + ["Intahaka", "Tinzaouatene"]
CSRF_VALUE = re.compile(r'(?<=name="csrf_token" value=")[^"]+')
PARTNER = "Coopérative des maraîchers de Gao"  # public directory entry, cited by the group sheet


@pytest.fixture
def world(app, make_user):
    people = {
        "coordinateur": make_user("coordinateur"),
        "membre_eau": make_user("contributeur", "sud", groups_=("eau",)),
        "lecteur_eau": make_user("lecteur", "sud", groups_=("eau",)),
        "lecteur": make_user("lecteur", "nord"),
        "contributeur": make_user("contributeur", "nord"),
    }
    with app.app_context():
        def user(name):
            return db.session.get(User, people[name])

        eau = groups.find_group("eau")
        member = user("membre_eau")
        directory.create_organisation(name=PARTNER, side="sud", region="Gao", by=SYSTEM)
        pages.create_page(author=user("coordinateur"), title="Accueil public", body="Bienvenue à tous.",
                          visibility="public")
        pages.create_page(author=member, title=GROUP_PAGE[0], body="Départ de Tarkint à l'aube.",
                          visibility="groupe", group=eau)
        pages.create_page(author=member, title=GROUP_SHEET[0], kind="fiche", themes=["eau"], visibility="groupe",
                          group=eau, body="Un forage profond.",
                          fields={"region": "Kidal", "partners_sud": [PARTNER], "lessons": "Leçon de Tigharghar.",
                                  "period_start": 2019})
        renamed = pages.create_page(author=member, title=RENAMED[0], body="Texte.", visibility="groupe", group=eau)
        pages.update_page(renamed, author=member, base_revision=1, title=RENAMED[2], body="Texte revu.")
        pages.create_page(author=user("contributeur"), title=DRAFT[0], kind="fiche", themes=["eau"],
                          fields={"region": "Mopti"}, status="brouillon", body="Pas prêt.")
        deleted = pages.create_page(author=user("coordinateur"), title=DELETED[0], body="Effacé.",
                                    visibility="public")
        pages.set_deleted(deleted, True, by=user("coordinateur"))
        # The contributor wrote this page; a coordinator then reserved it to a group they are not in.
        moved = pages.create_page(author=user("contributeur"), title="Compte rendu Tessalit", body="Texte.")
        pages.update_page(moved, author=user("coordinateur"), base_revision=1, title="Compte rendu Tessalit",
                          body="Texte.", visibility="groupe", group=eau)
        pages.create_page(author=user("coordinateur"), title=MEMBERS_PAGE[0], body="Pour les membres.")
    return people


def login(auth, world, persona):
    if persona != "visitor":
        auth.login(world[persona])


def assert_hidden(response, secrets, where=""):
    text = response.get_data(as_text=True)
    for word in secrets:
        assert word.lower() not in text.lower(), f"{word!r} leaks through {where or response.request.path}"


RESTRICTED_FOR_READER = [GROUP_PAGE[1], GROUP_SHEET[1], RENAMED[1], RENAMED[3], DRAFT[1], DELETED[1],
                         "compte-rendu-tessalit"]
# "/modifier" last: for visitors it redirects to the login page with a flash message, which
# the next rendered page would show.
PROBE_PATHS = ["/p/{slug}", "/p/{slug}/source", "/p/{slug}/historique", "/p/{slug}/comparer",
               "/p/{slug}/comparer?de=1&a=2"] + [f"/p/{{slug}}/version/{n}" for n in range(1, 5)] \
    + ["/p/{slug}/modifier"]
API_PROBE_PATHS = ["/pages/{slug}", "/pages/{slug}/revisions"] + [f"/pages/{{slug}}/revisions/{n}" for n in range(1, 5)]


# --------------------------------------------------------------------------- positive control


def test_the_group_member_does_see_the_secrets(client, auth, api, world):
    auth.login(world["membre_eau"])
    assert "Anefis" in client.get(f"/p/{GROUP_PAGE[1]}").text
    assert "Aguelhok" in client.get("/enseignements").text and "Tigharghar" in client.get("/enseignements").text
    assert "Kidal" in client.get("/groupes/eau").text
    assert api("GET", "/search?q=Anefis", world["membre_eau"]).json["total"] == 1
    # The old address of a renamed page redirects its readers.
    assert client.get(f"/p/{RENAMED[1]}").status_code == 301


# --------------------------------------------------------------------------- probing addresses


@pytest.mark.parametrize("persona", ["visitor", "lecteur", "contributeur"])
def test_probing_restricted_addresses_answers_like_missing_ones(client, auth, world, persona):
    login(auth, world, persona)
    restricted = RESTRICTED_FOR_READER + ([MEMBERS_PAGE[1]] if persona == "visitor" else [])
    if persona == "contributeur":  # the draft is theirs
        restricted = [slug for slug in restricted if slug != DRAFT[1]]
    for path in PROBE_PATHS:
        missing = client.get(path.format(slug="page-qui-n-existe-pas"))
        assert missing.status_code in (302, 404), path
        for slug in restricted:
            response = client.get(path.format(slug=slug))
            assert response.status_code == missing.status_code, (path, slug)
            # A visitor's « Se connecter » link carries the address they typed: compare without it.
            assert same_answer(response, missing, slug), (path, slug)
    for slug in restricted:  # writes answer like a missing page too
        for action in ("supprimer", "retablir", "version/1/restaurer", "valider"):
            response = client.post(f"/p/{slug}/{action}")
            missing = client.post(f"/p/page-qui-n-existe-pas/{action}")
            assert response.status_code == missing.status_code and same_answer(response, missing, slug), \
                (slug, action)


def same_answer(response, missing, slug: str) -> bool:
    def normalised(r):
        # The logout form's CSRF token is signed with the current second: it may differ.
        text = CSRF_VALUE.sub("", r.get_data(as_text=True))
        return (text.replace(slug, "SLUG").replace("page-qui-n-existe-pas", "SLUG"),
                r.headers.get("Location", "").replace(slug, "SLUG").replace("page-qui-n-existe-pas", "SLUG"))
    return normalised(response) == normalised(missing)


@pytest.mark.parametrize("persona", ["visitor", "lecteur"])
def test_probing_restricted_pages_through_the_api(api, world, persona):
    user_id = world.get(persona)
    restricted = RESTRICTED_FOR_READER + ([MEMBERS_PAGE[1]] if persona == "visitor" else [])
    for path in API_PROBE_PATHS:
        missing = api("GET", path.format(slug="page-qui-n-existe-pas"), user_id)
        assert missing.status_code == 404
        for slug in restricted:
            response = api("GET", path.format(slug=slug), user_id)
            assert (response.status_code, response.json) == (404, missing.json), (path, slug)
    if user_id is not None:
        for slug in restricted:
            response = api("PUT", f"/pages/{slug}", user_id, json={"base_revision": 1, "body": "x"})
            assert response.status_code == 404 and response.json == api(
                "PUT", "/pages/page-qui-n-existe-pas", user_id, json={"base_revision": 1, "body": "x"}).json
            response = api("POST", f"/pages/{slug}/validation", user_id)
            assert response.status_code == 404


def test_sequential_revision_numbers_of_a_readable_page_reveal_nothing(client, auth, api, world):
    """A page the reader may read, probed past its last revision: the same answer as a missing one."""
    auth.login(world["lecteur"])
    beyond = [client.get(f"/p/accueil-public/version/{n}") for n in range(2, 6)]
    assert {r.status_code for r in beyond} == {404}
    # The form token is signed with the second it was made: the same answer but for it.
    assert len({re.sub(r'name="csrf_token" value="[^"]+"', "", r.text) for r in beyond}) == 1
    assert_hidden(beyond[0], HIDDEN_FROM_READER)


# --------------------------------------------------------------------------- listings and history


@pytest.mark.parametrize("persona", ["visitor", "lecteur"])
def test_listings_do_not_name_restricted_pages(client, auth, world, persona):
    login(auth, world, persona)
    secrets = HIDDEN_FROM_READER + (MEMBER_SECRETS if persona == "visitor" else [])
    paths = ["/", "/pages", "/pages?type=fiche", "/pages?type=groupe", "/pages?type=page", "/pages?page=2",
             "/groupes", "/groupes/eau", "/groupes/eau?year=2019", "/enseignements",
             "/enseignements?groupe=eau", "/enseignements?theme=eau", "/annuaire",
             f"/annuaire/{PARTNER_SLUG}", "/p/accueil-public", "/p/accueil-public/historique",
             "/recherche?q=", "/recherche?q=forage"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_hidden(response, secrets, path)


PARTNER_SLUG = "cooperative-des-maraichers-de-gao"


def test_own_contributions_do_not_name_pages_moved_out_of_reach(client, auth, world):
    auth.login(world["contributeur"])
    response = client.get("/compte")
    assert "Intahaka" in response.text  # their own draft is theirs to see
    assert_hidden(response, ["Tessalit", "Anefis", "Aguelhok", "Tinzaouatene"])


def test_coordinator_sees_the_moved_page_in_histories(client, auth, world):
    auth.login(world["coordinateur"])
    assert "Tessalit" in client.get("/p/compte-rendu-tessalit/historique").text


def test_error_pages_never_name_the_page(client, auth, world):
    # 403: a reader of the group may read the page but not edit, revert or delete it.
    auth.login(world["lecteur_eau"])
    for response in (client.get(f"/p/{GROUP_PAGE[1]}/modifier"), client.post(f"/p/{GROUP_PAGE[1]}/supprimer"),
                     client.post(f"/p/{GROUP_PAGE[1]}/version/1/restaurer")):
        assert response.status_code == 403
        assert_hidden(response, ["Anefis", "Tarkint"])
    # 404 on a missing revision of a readable page.
    response = client.get(f"/p/{GROUP_PAGE[1]}/version/9")
    assert response.status_code == 404
    assert_hidden(response, ["Anefis", "Tarkint"])


# --------------------------------------------------------------------------- search and API


@pytest.mark.parametrize("persona", ["visitor", "lecteur"])
def test_search_with_the_restricted_title_as_query(client, auth, api, world, persona):
    login(auth, world, persona)
    user_id = world.get(persona)
    for query in (GROUP_PAGE[0], GROUP_SHEET[0], DRAFT[0], DELETED[0], "Tigharghar", "Tarkint", "Kidal"):
        html = client.get("/recherche", query_string={"q": query})
        assert html.status_code == 200
        assert_hidden(html, [w for w in HIDDEN_FROM_READER if w.lower() not in query.lower()], query)
        result = api("GET", "/search", user_id, query_string={"q": query}).json
        assert result["total"] == 0 and result["results"] == [], query
        assert all(not counts for counts in result["facets"].values()), query
    everything = api("GET", "/search", user_id, query_string={"q": ""}).json
    assert "Kidal" not in everything["facets"]["region"] and "eau" not in everything["facets"]["group"]
    # A typo of a restricted word suggests nothing from it.
    for typo in ("Aguelhoc", "Tigarghar", "Anéfis"):
        result = api("GET", "/search", user_id, query_string={"q": typo}).json
        assert result["total"] == 0
        assert not result["suggestion"] or all(w.lower() not in result["suggestion"].lower()
                                                for w in HIDDEN_FROM_READER), typo


@pytest.mark.parametrize("persona", ["visitor", "lecteur"])
def test_api_listings_do_not_name_restricted_pages(api, world, persona):
    user_id = world.get(persona)
    secrets = HIDDEN_FROM_READER + (MEMBER_SECRETS if persona == "visitor" else [])
    for path in ("/pages", "/pages?kind=fiche", "/pages?group=eau", "/pages?theme=eau", "/groups", "/groups/eau",
                 "/groups/eau?region=Kidal", "/organisations", f"/organisations/{PARTNER_SLUG}",
                 "/search?q=", "/search?q=forage&region=Kidal"):
        response = api("GET", path, user_id)
        assert response.status_code == 200, path
        assert_hidden(response, secrets, path)
    assert api("GET", f"/organisations/{PARTNER_SLUG}", user_id).json["sheets"] == []


def test_members_page_is_hidden_from_visitors_only(client, api, auth, world):
    assert client.get(f"/p/{MEMBERS_PAGE[1]}").status_code == 404
    assert api("GET", f"/pages/{MEMBERS_PAGE[1]}").status_code == 404
    auth.login(world["lecteur"])
    assert client.get(f"/p/{MEMBERS_PAGE[1]}").status_code == 200


# --------------------------------------------------------------------------- publishing keeps the history

# Issue 21: a group page whose revision 2 named a contact and a convoy date was cleaned and
# made public; its older revisions stay at the audience they were written for.
CLEANED = ("Livraison des semences", "livraison-des-semences")
OLD_SECRETS = ["Ag Intallah", "Tamkoutat", "mardi 14"]


def without_own_address(response) -> str:
    """The page without its form token and the address asked (« Se connecter » and the
    language links carry it back)."""
    return re.sub(r'\?(\w+)=[^"]*"', r'?\1="', CSRF_VALUE.sub("", response.text))


@pytest.fixture
def published(app, api, world):
    member, coordinator = world["membre_eau"], world["coordinateur"]
    slug = api("POST", "/pages", member, json={"title": CLEANED[0], "body": "Semences pour Tamkoutat.",
                                               "visibility": "groupe", "group": "eau"}).json["slug"]
    api("PUT", f"/pages/{slug}", member, json={
        "base_revision": 1, "body": "Contact : Ag Intallah. Convoi le mardi 14 vers Tamkoutat.",
        "summary": "Contact Ag Intallah"})
    cleaned = api("PUT", f"/pages/{slug}", coordinator, json={
        "base_revision": 2, "body": "Les semences ont été livrées.", "visibility": "public",
        "summary": "Version publique"})
    assert cleaned.status_code == 200 and cleaned.json["revision"] == 3 and slug == CLEANED[1]
    return slug


def test_the_group_still_reads_the_whole_history_of_a_published_page(client, auth, api, world, published):
    auth.login(world["membre_eau"])
    assert "Ag Intallah" in client.get(f"/p/{published}/version/2").text
    assert "Intallah" in client.get(f"/p/{published}/comparer?de=2&a=3").text  # a word diff
    assert "Contact Ag Intallah" in client.get(f"/p/{published}/historique").text
    assert [r["revision"] for r in api("GET", f"/pages/{published}/revisions", world["membre_eau"]).json[
        "revisions"]] == [3, 2, 1]


@pytest.mark.parametrize("persona", ["visitor", "lecteur", "contributeur"])
def test_publishing_a_page_does_not_publish_its_older_revisions(client, auth, api, world, published, persona):
    login(auth, world, persona)
    user_id = world.get(persona)
    page = client.get(f"/p/{published}")
    assert page.status_code == 200 and "Les semences ont été livrées." in page.text
    assert client.get(f"/p/{published}/version/3").status_code == 200
    missing = without_own_address(client.get(f"/p/{published}/version/9"))
    for path in ("version/1", "version/2", "comparer?de=2&a=3", "comparer?de=1&a=3", "comparer?de=3&a=2"):
        response = client.get(f"/p/{published}/{path}")
        assert response.status_code == 404 and without_own_address(response) == missing, path
    for path in ("comparer", "historique"):  # the default comparison starts at the last readable revision
        response = client.get(f"/p/{published}/{path}")
        assert response.status_code == 200, path
        assert_hidden(response, OLD_SECRETS, path)
    assert "réservée à d'autres lecteurs" in client.get(f"/p/{published}/historique").text
    assert_hidden(client.get("/groupes/eau"), OLD_SECRETS)  # the group's latest activity
    revisions = api("GET", f"/pages/{published}/revisions", user_id)
    assert [r["revision"] for r in revisions.json["revisions"]] == [3]
    assert_hidden(revisions, OLD_SECRETS)
    assert api("GET", f"/pages/{published}/revisions/2", user_id).json == \
        api("GET", f"/pages/{published}/revisions/9", user_id).json
    if persona == "contributeur":  # may edit the public page, not restore or merge from what it cannot read
        assert client.post(f"/p/{published}/version/2/restaurer").status_code == 404
        refused = api("PUT", f"/pages/{published}", user_id, json={"base_revision": 2, "body": "Autre."})
        assert refused.status_code == 422 and "base_revision" in refused.json["fields"]
        assert "Ag Intallah" not in api("GET", f"/pages/{published}").json["body"]

