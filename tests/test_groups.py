"""Thematic groups through the real stack: join requests, animators, the group home, its
filters, reciprocity numbers, and the `groupe` visibility on every read path."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from databases import ON_POSTGRESQL

from wiki import search
from wiki.audit.models import AuditEvent
from wiki.auth import accounts
from wiki.auth.models import User
from wiki.policy import VISITOR, PermissionDenied, may
from wiki.errors import ValidationError
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.groups.models import GroupMember, GroupRequest
from wiki.models import utcnow
from wiki.pages import reciprocity
from wiki.pages import services as pages
from wiki.pages.models import Page, Revision

from support import PASSWORD, csrf_token_from, make_csrf_app
from wiki.policy import SYSTEM

SECRET_TITLE = "Compte rendu du groupe eau"
SECRET_SLUG = "compte-rendu-du-groupe-eau"


def text_of(html: str) -> str:
    """Visible text, tags removed and whitespace collapsed (for sentences split by badges)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def user(user_id: int) -> User:
    return db.session.get(User, user_id)


@pytest.fixture
def world(app, make_user):
    """Group « eau » with a Nord animator and a Sud member, people outside it, and a
    `groupe` page with two revisions."""
    people = {
        "coordinateur": make_user("coordinateur", "nord"),
        "animateur": make_user("contributeur", "nord", groups_=("eau",)),
        "membre": make_user("contributeur", "sud", groups_=("eau",)),
        "dehors": make_user("contributeur", "sud"),
        "lecteur": make_user("lecteur", "nord"),
    }
    with app.app_context():
        group = groups.find_group("eau")
        groups.set_animator(group, user(people["animateur"]), True, by=SYSTEM)
        page = pages.create_page(author=user(people["coordinateur"]), title=SECRET_TITLE,
                                 body="Forage confidentiel à Ségou.", visibility="groupe", group=group)
        pages.update_page(page, author=user(people["coordinateur"]), base_revision=1, title=SECRET_TITLE,
                          body="Forage confidentiel à Ségou, revu.")
    return people


def read_paths(client, api, user_id):
    """Status of every door to the group page, for the logged-in client and the API."""
    statuses = {path: client.get(path.format(slug=SECRET_SLUG)).status_code
                for path in ("/p/{slug}", "/p/{slug}/source", "/p/{slug}/historique",
                             "/p/{slug}/comparer?de=1&a=2")}
    statuses["api"] = api("GET", f"/pages/{SECRET_SLUG}", user_id).status_code
    statuses["api-revisions"] = api("GET", f"/pages/{SECRET_SLUG}/revisions", user_id).status_code
    found = api("GET", "/search?q=confidentiel", user_id).json["results"]
    statuses["search"] = 200 if any(hit["slug"] == SECRET_SLUG for hit in found) else 404
    return statuses


def pending_request_id(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(GroupRequest.id).where(GroupRequest.user_id == user_id))


def is_member_of_eau(app, user_id: int) -> bool:
    with app.app_context():
        return user_id in {m.user_id for m in groups.members_of(groups.get_group("eau"))}


# Joining -----------------------------------------------------------------------

def test_join_request_approved_by_animator_opens_the_group_pages(app, client, auth, api, world):
    outsider = world["dehors"]
    auth.login(outsider)
    before = read_paths(client, api, outsider)
    assert set(before.values()) == {404}, before
    page = client.get("/groupes/eau")
    assert "Demander à rejoindre" in page.text
    assert SECRET_TITLE not in page.text

    response = client.post("/groupes/eau/rejoindre", data={"message": "Je fore des puits à Ségou."})
    assert response.headers["Location"].endswith("/groupes/eau")
    page = client.get("/groupes/eau")
    assert "attend la réponse d'un animateur" in page.text
    assert "Demander à rejoindre" not in page.text
    assert set(read_paths(client, api, outsider).values()) == {404}  # asking is not joining

    auth.logout()
    auth.login(world["animateur"])
    assert "1 demande en attente" in client.get("/groupes/eau").text
    members_page = client.get("/groupes/eau/membres")
    assert "Je fore des puits à Ségou." in members_page.text
    request_id = pending_request_id(app, outsider)
    response = client.post(f"/groupes/eau/demandes/{request_id}/accepter")
    assert response.headers["Location"].endswith("/groupes/eau/membres")
    assert is_member_of_eau(app, outsider)
    assert pending_request_id(app, outsider) is None

    auth.logout()
    auth.login(outsider)
    after = read_paths(client, api, outsider)
    assert set(after.values()) == {200}, after
    page = client.get("/groupes/eau")
    assert "Vous êtes membre de ce groupe" in page.text
    assert SECRET_TITLE in page.text


def test_decline_keeps_the_door_closed(app, client, auth, api, world):
    outsider = world["dehors"]
    auth.login(outsider)
    client.post("/groupes/eau/rejoindre", data={"message": ""})
    auth.logout()
    auth.login(world["animateur"])
    request_id = pending_request_id(app, outsider)
    response = client.post(f"/groupes/eau/demandes/{request_id}/refuser")
    assert response.status_code == 302
    assert pending_request_id(app, outsider) is None
    assert not is_member_of_eau(app, outsider)
    assert client.post(f"/groupes/eau/demandes/{request_id}/accepter").status_code == 404  # already answered
    auth.logout()
    auth.login(outsider)
    assert set(read_paths(client, api, outsider).values()) == {404}
    assert "Demander à rejoindre" in client.get("/groupes/eau").text  # may ask again


def test_join_request_is_idempotent_and_refused_to_members(app, world):
    with app.app_context():
        group = groups.get_group("eau")
        first = groups.request_to_join(group, user(world["dehors"]), "Bonjour")
        again = groups.request_to_join(group, user(world["dehors"]), "Bonjour encore")
        assert first.id == again.id and again.message == "Bonjour encore"
        assert db.session.scalar(select(func.count(GroupRequest.id))) == 1
        with pytest.raises(ValidationError):
            groups.request_to_join(group, user(world["membre"]))
        with pytest.raises(PermissionDenied):
            groups.request_to_join(group, VISITOR)


def test_only_animators_and_coordinators_answer_requests(app, client, auth, world):
    with app.app_context():
        request_id = groups.request_to_join(groups.get_group("eau"), user(world["dehors"])).id
    # Anonymous: login first, on every member-only action.
    for path in ("/groupes/eau/membres", "/groupes/eau/modifier", "/groupes/nouveau"):
        assert "/connexion" in client.get(path).headers["Location"]
    for path in (f"/groupes/eau/demandes/{request_id}/accepter", "/groupes/eau/rejoindre"):
        assert "/connexion" in client.post(path).headers["Location"]
    # A member who does not animate, and a reader outside the group: 403.
    for persona in ("membre", "lecteur"):
        auth.login(world[persona])
        assert client.get("/groupes/eau/membres").status_code == 403
        assert client.post(f"/groupes/eau/demandes/{request_id}/accepter").status_code == 403
        assert client.post(f"/groupes/eau/demandes/{request_id}/refuser").status_code == 403
        assert client.post(f"/groupes/eau/membres/{world['membre']}/retirer").status_code == 403
        assert client.get("/groupes/eau/modifier").status_code == 403
        assert client.get("/groupes/nouveau").status_code == 403
        auth.logout()
    assert not is_member_of_eau(app, world["dehors"])
    assert pending_request_id(app, world["dehors"]) == request_id
    # Unknown group: 404.
    auth.login(world["coordinateur"])
    assert client.get("/groupes/inconnu").status_code == 404
    assert client.get("/groupes/inconnu/membres").status_code == 404
    # A coordinator answers without being a member.
    assert client.post(f"/groupes/eau/demandes/{request_id}/accepter").status_code == 302
    assert is_member_of_eau(app, world["dehors"])


def test_animator_adds_removes_and_names_animators(app, client, auth, world, user_email):
    auth.login(world["animateur"])
    response = client.post("/groupes/eau/membres", data={"email": user_email(world["dehors"]).upper(),
                                                         "animator": "y"})
    assert response.status_code == 302
    with app.app_context():
        membership = db.session.scalar(select(GroupMember).where(GroupMember.user_id == world["dehors"]))
        assert membership.is_animator
    unknown = client.post("/groupes/eau/membres", data={"email": "personne@example.org"})
    assert unknown.status_code == 200 and "Aucun compte avec cette adresse" in unknown.text

    client.post(f"/groupes/eau/membres/{world['dehors']}/membre")
    with app.app_context():
        assert not db.session.scalar(select(GroupMember.is_animator).where(GroupMember.user_id == world["dehors"]))
    client.post(f"/groupes/eau/membres/{world['dehors']}/retirer")
    assert not is_member_of_eau(app, world["dehors"])
    assert client.post(f"/groupes/eau/membres/{world['dehors']}/retirer").status_code == 404


def test_member_may_leave(app, client, auth, api, world):
    auth.login(world["membre"])
    assert read_paths(client, api, world["membre"])["/p/{slug}"] == 200
    assert client.post("/groupes/eau/quitter").status_code == 302
    assert not is_member_of_eau(app, world["membre"])
    assert set(read_paths(client, api, world["membre"]).values()) == {404}


def test_missing_side_warning(client, auth, world):
    auth.login(world["animateur"])
    page = client.get("/groupes/eau").text
    assert "Ce groupe n'a pas encore d'animateur du Sud" in page
    assert "animateur du Nord" not in page
    client.post(f"/groupes/eau/membres/{world['membre']}/animateur")
    page = client.get("/groupes/eau").text
    assert "pas encore d'animateur" not in page
    client.post(f"/groupes/eau/membres/{world['animateur']}/membre")
    assert "Ce groupe n'a pas encore d'animateur du Nord" in client.get("/groupes/eau").text


def test_coordinator_creates_and_animator_edits_a_group(app, client, auth, world):
    auth.login(world["coordinateur"])
    assert "Créer un groupe" in client.get("/groupes").text
    response = client.post("/groupes/nouveau", data={"name": "Santé maternelle", "description": "Centres de santé."})
    assert response.headers["Location"].endswith("/groupes/sante-maternelle/membres")
    assert "déjà ce nom" in client.post("/groupes/nouveau", data={"name": "Santé  maternelle"}).text
    assert "réservé" in client.post("/groupes/nouveau", data={"name": "Nouveau"}).text
    auth.logout()

    auth.login(world["animateur"])
    assert "Créer un groupe" not in client.get("/groupes").text
    response = client.post("/groupes/eau/modifier", data={"name": "Eau et assainissement",
                                                          "description": "Puits, forages, **latrines**."})
    assert response.headers["Location"].endswith("/groupes/eau")  # the address stays
    page = client.get("/groupes/eau").text
    assert "Eau et assainissement" in page and "<strong>latrines</strong>" in page
    assert client.post("/groupes/eau/modifier", data={"name": "Santé maternelle"}).status_code == 200
    with app.app_context():
        assert groups.get_group("eau").name == "Eau et assainissement"


# The group home ----------------------------------------------------------------

def test_group_list_shows_member_counts(client, world):
    page = client.get("/groupes")
    assert page.status_code == 200
    assert re.search(r">eau</a></td>\s*<td>2</td>", page.text)


def test_anonymous_sees_counts_not_names(client, api, auth, world):
    page = client.get("/groupes/eau")
    assert page.status_code == 200
    for name in ("Contributeur 2", "Contributeur 3"):  # the animator and the member
        assert name not in page.text
    assert "1 membre(s) du Nord et 1 du Sud" in page.text
    assert "Ce groupe n'a pas encore d'animateur du Sud" in page.text
    assert "Demander à rejoindre" not in page.text and "Connectez-vous" in page.text
    assert SECRET_TITLE not in page.text
    body = api("GET", "/groups/eau").json
    assert body["members"] == [] and body["animators"] == []
    assert body["missing_animator_sides"] == ["sud"]
    assert body["pages"] == []
    auth.login(world["lecteur"])
    page = client.get("/groupes/eau").text
    assert "Contributeur 2" in page and "Contributeur 3" in page
    assert SECRET_TITLE not in page  # a reader outside the group sees names, not group pages


@pytest.fixture
def sheets(app, world):
    """Three items of group « eau »: two sheets and a page."""
    with app.app_context():
        group = groups.get_group("eau")
        nord = user(world["animateur"])
        pages.create_page(author=nord, title="Forages à Ségou", kind="fiche", themes=["eau"], group=group,
                          visibility="groupe", fields={"region": "Ségou", "period_start": 2018, "period_end": 2020,
                                                       "regard_nord": "Un beau partenariat."})
        pages.create_page(author=nord, title="Case de santé à Kayes", kind="fiche", themes=["sante"], group=group,
                          visibility="membres", fields={"region": "Kayes", "period_start": 2022})
        pages.create_page(author=nord, title="Agenda du groupe", visibility="groupe", group=group, themes=["eau"])
    return utcnow().year


def listed(client, query=""):
    page = client.get(f"/groupes/eau{query}").text
    return {title for title in ("Forages à Ségou", "Case de santé à Kayes", "Agenda du groupe", SECRET_TITLE)
            if title in page.split("<h2>Dernière activité</h2>")[0]}


def test_group_home_filters(client, auth, api, world, sheets):
    this_year = sheets
    auth.login(world["membre"])
    assert listed(client) == {"Forages à Ségou", "Case de santé à Kayes", "Agenda du groupe", SECRET_TITLE}
    assert listed(client, "?region=Ségou") == {"Forages à Ségou"}
    assert listed(client, "?theme=eau") == {"Forages à Ségou", "Agenda du groupe"}
    assert listed(client, "?theme=sante&region=Ségou") == set()
    assert listed(client, "?year=2019") == {"Forages à Ségou"}
    # An open period runs to the last update; other pages count by their update year.
    assert listed(client, f"?year={this_year}") == {"Case de santé à Kayes", "Agenda du groupe", SECRET_TITLE}
    assert listed(client, "?year=abc") == listed(client)
    page = client.get("/groupes/eau").text
    assert '<option value="Kayes">Kayes</option>' in page and '<option value="2019">2019</option>' in page

    slugs = lambda query, uid: {p["slug"] for p in api("GET", f"/groups/eau{query}", uid).json["pages"]}  # noqa: E731
    assert slugs("?region=Kayes", world["membre"]) == {"case-de-sante-a-kayes"}
    assert slugs("?theme=eau&year=2020", world["membre"]) == {"forages-a-segou"}
    assert slugs("", world["lecteur"]) == {"case-de-sante-a-kayes"}  # not a member: `membres` pages only
    assert api("GET", "/groups/eau?year=20", world["membre"]).status_code == 400


def test_group_home_latest_activity(client, auth, world, sheets):
    auth.login(world["membre"])
    activity = client.get("/groupes/eau").text.split("<h2>Dernière activité</h2>")[1]
    assert "Agenda du groupe" in activity and SECRET_TITLE in activity
    auth.logout()
    auth.login(world["lecteur"])
    activity = client.get("/groupes/eau").text.split("<h2>Dernière activité</h2>")[1]
    assert "Case de santé à Kayes" in activity
    assert "Agenda du groupe" not in activity and SECRET_TITLE not in activity


# Reciprocity -------------------------------------------------------------------

def test_contribution_counts(app, make_user, client, auth):
    nord = make_user("contributeur", "nord", groups_=("eau",))
    sud = make_user("contributeur", "sud", groups_=("eau",))
    viewer = make_user("lecteur", "sud")
    coordinator = make_user("coordinateur", "nord")
    with app.app_context():
        eau = groups.get_group("eau")
        shared = pages.create_page(author=user(nord), title="Jardins maraîchers", body="v1", group=eau)
        pages.update_page(shared, author=user(sud), base_revision=1, title="Jardins maraîchers", body="v2")
        pages.update_page(shared, author=user(sud), base_revision=2, title="Jardins maraîchers", body="v3")
        old = pages.create_page(author=user(sud), title="Ancien projet", body="vieux")
        db.session.get(Revision, old.current_revision_id).created_at = utcnow() - timedelta(days=400)
        db.session.commit()
        hidden_group = groups.create_group(name="Santé", by=SYSTEM)
        pages.create_page(author=user(coordinator), title="Réservé santé", visibility="groupe", group=hidden_group)
        pages.create_page(author=user(nord), title="Brouillon", kind="fiche", themes=["eau"],
                          fields={"region": "Kayes"}, status="brouillon")

        assert reciprocity.contribution_counts(user(viewer)) == {"nord": 1, "sud": 2}
        assert reciprocity.contribution_counts(user(viewer), months=24) == {"nord": 1, "sud": 3}
        assert reciprocity.contribution_counts(user(coordinator)) == {"nord": 3, "sud": 2}
        assert reciprocity.contribution_counts(user(nord)) == {"nord": 2, "sud": 2}  # own draft counts
        assert reciprocity.contribution_counts(VISITOR) == {"nord": 0, "sud": 0}
        assert reciprocity.contribution_counts(user(viewer), group_id=hidden_group.id) == {"nord": 0, "sud": 0}
        assert reciprocity.contribution_counts(user(coordinator), group_id=hidden_group.id) == {"nord": 1, "sud": 0}
    auth.login(viewer)
    assert "Contributions des 12 derniers mois : Nord 1 · Sud 2" in text_of(client.get("/groupes/eau").text)
    assert "Contributions des 12 derniers mois : Nord 0 · Sud 0" in text_of(client.get("/groupes/sante").text)


def test_sheets_waiting_for_their_other_voice(app, make_user, client, auth):
    nord = make_user("contributeur", "nord", groups_=("eau",))
    sud = make_user("contributeur", "sud", groups_=("eau",))
    with app.app_context():
        fields = {"region": "Ségou", "regard_nord": "Nous avons appris la patience."}
        sheet = pages.create_page(author=user(nord), title="Puits de Markala", kind="fiche", themes=["eau"],
                                  fields=fields, visibility="membres", group=groups.get_group("eau"))
        told_by_sud = pages.create_page(author=user(sud), title="Moulin de Bla", kind="fiche", themes=["eau"],
                                        fields={"region": "Ségou"})
        other = make_user("contributeur", "sud")
        waiting = reciprocity.sheets_waiting_for_voice(user(other))
        assert [(p.slug, side) for p, side in waiting] == [("moulin-de-bla", "nord"), ("puits-de-markala", "sud")]
        assert [p.slug for p, _ in reciprocity.sheets_waiting_for_voice(user(other), limit=1)] == ["moulin-de-bla"]
        group_id = groups.get_group("eau").id
        assert [p.slug for p, _ in reciprocity.sheets_waiting_for_voice(user(other), group_id=group_id)] \
            == ["puits-de-markala"]
        assert reciprocity.sheets_waiting_for_voice(VISITOR) == []  # `membres` sheets stay hidden
        sheet_id, told_id = sheet.id, told_by_sud.id

    auth.login(sud)
    page = text_of(client.get("/groupes/eau").text)
    assert "Fiches qui attendent le regard du Sud Puits de Markala" in page
    with app.app_context():
        sheet = db.session.get(Page, sheet_id)
        pages.update_page(sheet, author=user(sud), base_revision=1, title=sheet.title, body="",
                          fields={**fields, "regard_sud": "Le puits sert aussi au jardin."})
        assert [p.id for p, _ in reciprocity.sheets_waiting_for_voice(user(sud))] == [told_id]
    page = text_of(client.get("/groupes/eau").text)
    assert "Puits de Markala" in page and "attendent le regard" not in page
    assert "Aucune fiche n'attend l'autre regard." in page


# API ---------------------------------------------------------------------------

def test_api_join_request(app, api, world):
    assert api("POST", "/groups/eau/requests", json={}).status_code == 401
    assert api("POST", "/groups/inconnu/requests", world["dehors"], json={}).status_code == 404
    response = api("POST", "/groups/eau/requests", world["dehors"], json={"message": "Bonjour"})
    assert response.status_code == 201 and response.json == {"group": "eau", "status": "pending"}
    assert api("POST", "/groups/eau/requests", world["dehors"]).status_code == 201  # no body: fine
    assert pending_request_id(app, world["dehors"]) is not None
    assert api("POST", "/groups/eau/requests", world["membre"], json={}).status_code == 422
    assert api("POST", "/groups/eau/requests", world["dehors"], json={"message": 3}).status_code == 422
    assert api("POST", "/groups/eau/requests", world["dehors"], json=[1]).status_code == 400


def test_api_members_by_animator(app, api, world, user_email):
    response = api("POST", "/groups/eau/members", world["membre"], json={"email": user_email(world["dehors"])})
    assert response.status_code == 403
    response = api("POST", "/groups/eau/members", world["animateur"],
                   json={"email": user_email(world["dehors"]), "animator": True})
    assert response.status_code == 201
    body = api("GET", "/groups/eau", world["membre"]).json
    assert body["missing_animator_sides"] == []
    assert {a["side"] for a in body["animators"]} == {"nord", "sud"}
    assert SECRET_SLUG in {p["slug"] for p in body["pages"]}


# CSRF --------------------------------------------------------------------------

def test_group_forms_carry_their_csrf_token(tmp_path):
    app = make_csrf_app(tmp_path)
    with app.app_context():
        member = accounts.create_user(email="sud@example.org", name="Awa", side="sud", role="contributeur",
                                      password=PASSWORD, by=SYSTEM)
        groups.create_group(name="Eau", by=SYSTEM)
        member_id = member.id
    client = app.test_client()
    token = csrf_token_from(client.get("/connexion").text)
    client.post("/connexion", data={"email": "sud@example.org", "password": PASSWORD, "csrf_token": token})
    assert client.post("/groupes/eau/rejoindre", data={"message": "x"}).status_code == 400
    token = csrf_token_from(client.get("/groupes/eau").text)
    assert client.post("/groupes/eau/rejoindre", data={"message": "x", "csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(GroupRequest.user_id)) == member_id
        db.engine.dispose()


# The group home at scale: filters, counts and choices per reader, pagination, cache ------

def option_values(html: str, name: str) -> set[str]:
    """The non-empty option values of the <select name=...> of the filter form."""
    match = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return set(re.findall(r'<option[^>]*value="([^"]+)"', match.group(1))) if match else set()


def listing_of(html: str) -> str:
    """The lists, activity and reciprocity box of a group home."""
    return html.split("<h2>Fiches et pages du groupe</h2>")[1].split("Tous les groupes")[0]


MIXED_TITLES = {"public": "Puits public de Mopti", "membres": "Jardins des membres à Kayes",
                "groupe": "Forage réservé de Kidal", "brouillon": "Brouillon de Gao", "supprimee": "Ancienne fiche"}


@pytest.fixture
def mixed(app, world):
    """Sheets of group « eau » under every rule: public, members, group-only, a draft of the
    group member « membre », and a deleted sheet. Each has its own region and period."""
    with app.app_context():
        group = groups.get_group("eau")
        coordinator, animator, member = (user(world[k]) for k in ("coordinateur", "animateur", "membre"))
        sheet = dict(kind="fiche", group=group)
        pages.create_page(author=coordinator, title=MIXED_TITLES["public"], visibility="public", themes=["eau"],
                          fields={"region": "Mopti", "period_start": 2010, "period_end": 2011}, **sheet)
        pages.create_page(author=animator, title=MIXED_TITLES["membres"], visibility="membres", themes=["sante"],
                          fields={"region": "Kayes", "period_start": 2015, "period_end": 2016}, **sheet)
        pages.create_page(author=animator, title=MIXED_TITLES["groupe"], visibility="groupe", themes=["eau"],
                          fields={"region": "Kidal", "period_start": 2001, "period_end": 2002}, **sheet)
        pages.create_page(author=member, title=MIXED_TITLES["brouillon"], visibility="membres", themes=["genre"],
                          fields={"region": "Gao", "period_start": 1995, "period_end": 1995}, status="brouillon",
                          **sheet)
        old = pages.create_page(author=coordinator, title=MIXED_TITLES["supprimee"], visibility="public",
                                themes=["energie"], fields={"region": "Tombouctou", "period_start": 1990,
                                                            "period_end": 1990}, **sheet)
        pages.set_deleted(old, True, by=coordinator)
    return world


# What each reader may see of `mixed` (the world's group page SECRET_TITLE is a page, not a sheet).
MIXED_EXPECTED = {
    "visitor": ({"public"}, {"Mopti"}, {"2010", "2011"}, 0),
    "lecteur": ({"public", "membres"}, {"Mopti", "Kayes"}, {"2010", "2011", "2015", "2016"}, 0),
    "dehors": ({"public", "membres"}, {"Mopti", "Kayes"}, {"2010", "2011", "2015", "2016"}, 0),
    "membre": ({"public", "membres", "groupe", "brouillon"}, {"Mopti", "Kayes", "Kidal", "Gao"},
               {"2010", "2011", "2015", "2016", "2001", "2002", "1995"}, 1),
    "animateur": ({"public", "membres", "groupe"}, {"Mopti", "Kayes", "Kidal"},
                  {"2010", "2011", "2015", "2016", "2001", "2002"}, 1),
    "coordinateur": ({"public", "membres", "groupe", "brouillon"}, {"Mopti", "Kayes", "Kidal", "Gao"},
                     {"2010", "2011", "2015", "2016", "2001", "2002", "1995"}, 1),
}


@pytest.mark.parametrize("order", ["draft author first", "draft author last"])
def test_choices_and_counts_only_reveal_readable_pages(client, auth, mixed, order):
    # What the home memoises for a class of readers (lists, rendered listing) must not carry
    # the draft over to the next member of the group, nor miss it for its author.
    personas = ["membre", "animateur", "visitor", "lecteur", "dehors", "coordinateur"]
    for persona in personas if order == "draft author first" else personas[::-1]:
        auth.logout()
        if persona != "visitor":
            auth.login(mixed[persona])
        kinds, regions, years, pages_count = MIXED_EXPECTED[persona]
        html = client.get("/groupes/eau").text
        this_year = str(utcnow().year)
        # The listing shared by a class (memoised) is what this reader's own rendering gives.
        assert listing_of(client.get("/groupes/eau?page=1").text) == listing_of(html), persona
        assert option_values(html, "region") == regions, persona
        # Years of the readable sheets, and the update year of the group page for its members.
        assert option_values(html, "year") == years | ({this_year} if pages_count else set()), persona
        assert f"Fiches d'expérience ({len(kinds)})" in html, persona
        assert f"Pages ({pages_count})" in html, persona
        for kind, title in MIXED_TITLES.items():
            assert (title in html) == (kind in kinds), (persona, title)
        assert (SECRET_TITLE in html) == bool(pages_count), persona
        # A region that only an unreadable sheet has lists nothing (the same as an unknown one).
        for region in {"Kidal", "Gao", "Tombouctou"} - regions:
            filtered = client.get(f"/groupes/eau?region={region}").text
            assert "Fiches d'expérience (0)" in filtered and "Aucune fiche pour ces filtres" in filtered
            listing = filtered.split("<h2>Dernière activité</h2>")[0]
            assert not any(title in listing for title in MIXED_TITLES.values())


def test_group_lists_agree_with_the_read_rule(app, mixed):
    """Every reader's list is exactly the group's pages can_read lets them read."""
    with app.app_context():
        group = groups.get_group("eau")
        everything = list(db.session.scalars(select(Page).where(Page.group_id == group.id)))
        # The draft's author first, as above.
        for persona in ("membre", "animateur", None, "lecteur", "dehors", "coordinateur"):
            viewer = user(mixed[persona]) if persona else VISITOR
            readable = {p.id for p in everything if may(viewer, "read", p) and not p.is_deleted}
            assert {p.id for p in groups.list_group_pages(group, viewer)} == readable, persona
            home = groups.group_home(group, viewer)
            assert home.sheet_count + home.page_count == len(readable), persona
            # The memoised activity, reciprocity numbers and waiting sheets match the direct queries.
            direct = groups.latest_activity(group, viewer, limit=groups.ACTIVITY_SIZE + 1)[:groups.ACTIVITY_SIZE]
            assert [r.id for r in home.activity] == [r.id for r in direct], persona
            assert home.contributions == reciprocity.contribution_counts(viewer, group_id=group.id), persona
            assert [(p.id, side) for p, side in home.waiting] == [
                (p.id, side) for p, side in reciprocity.sheets_waiting_for_voice(viewer, group_id=group.id)], persona


def test_filters_narrow_the_list_and_keep_the_other_choices(client, auth, mixed):
    auth.login(mixed["membre"])

    def listing(query):  # the filter form and the lists, not the activity below them
        return client.get(f"/groupes/eau{query}").text.split("<h2>Dernière activité</h2>")[0]

    html = listing("?region=Kayes")
    assert MIXED_TITLES["membres"] in html and "Fiches d'expérience (1)" in html
    assert not any(MIXED_TITLES[k] in html for k in ("public", "groupe", "brouillon"))
    assert option_values(html, "region") == {"Mopti", "Kayes", "Kidal", "Gao"}  # still every choice
    assert '<option selected value="Kayes">' in html or '<option value="Kayes" selected>' in html
    html = listing("?theme=eau")
    assert "Fiches d'expérience (2)" in html
    assert MIXED_TITLES["public"] in html and MIXED_TITLES["groupe"] in html and MIXED_TITLES["membres"] not in html
    html = listing("?year=2001&theme=eau")
    assert "Fiches d'expérience (1)" in html and MIXED_TITLES["groupe"] in html
    assert "Fiches d'expérience (0)" in listing("?year=2001&region=Mopti")
    html = listing("?year=1995")  # the author's own draft
    assert "Fiches d'expérience (1)" in html and MIXED_TITLES["brouillon"] in html


def test_group_home_follows_edits(app, client, auth, mixed):
    """The memoised index is dropped by the next write: a new region shows at once."""
    auth.login(mixed["animateur"])
    assert "Kayes" in option_values(client.get("/groupes/eau").text, "region")
    with app.app_context():
        sheet = db.session.scalar(select(Page).where(Page.title == MIXED_TITLES["membres"]))
        pages.update_page(sheet, author=user(mixed["animateur"]), base_revision=1, title=sheet.title, body="",
                          fields={"region": "Sikasso", "period_start": 2015, "period_end": 2016})
    html = client.get("/groupes/eau").text
    assert option_values(html, "region") == {"Mopti", "Sikasso", "Kidal"}
    assert "Sikasso" in client.get("/groupes/eau?region=Sikasso").text.split("<h2>Dernière activité</h2>")[0]


def test_group_sheets_are_paginated(app, client, auth, world, monkeypatch):
    monkeypatch.setattr(groups, "SHEETS_PER_PAGE", 2)
    with app.app_context():
        group = groups.get_group("eau")
        for n in range(5):
            pages.create_page(author=user(world["animateur"]), title=f"Fiche numéro {n}", kind="fiche",
                              themes=["eau"], group=group, fields={"region": "Ségou" if n % 2 else "Kayes"})
    auth.login(world["membre"])

    def shown(query=""):
        html = client.get(f"/groupes/eau{query}").text.split("<h3>Pages")[0]
        return [n for n in range(5) if f"Fiche numéro {n}" in html], html

    first, html = shown()
    assert first == [3, 4] and "Fiches d'expérience (5)" in html and "Page 1 sur 3" in html
    assert shown("?page=2")[0] == [1, 2]
    last, html = shown("?page=3")
    assert last == [0] and "Page 3 sur 3" in html and "Suivante" not in html
    beyond, html = shown("?page=9")
    assert beyond == [] and "dernière page de la liste" in html
    # Filters and pagination together: the links keep the filter.
    kayes, html = shown("?region=Kayes")
    assert kayes == [2, 4] and "Fiches d'expérience (3)" in html
    assert re.search(r'href="/groupes/eau\?(region=Kayes&amp;page=2|page=2&amp;region=Kayes)"', html)
    assert shown("?region=Kayes&page=2")[0] == [0]


@pytest.fixture
def csrf_app(tmp_path):
    """An app with CSRF protection on, as in production."""
    app = make_csrf_app(tmp_path)
    with app.app_context():
        search.catch_up()  # builds the index now: no background rebuild querying during the test
        coordinator = accounts.create_user(email="coord@example.org", name="Coord", side="nord",
                                           role="coordinateur", password=PASSWORD, by=SYSTEM)
        accounts.create_user(email="sud@example.org", name="Awa", side="sud", role="contributeur",
                             password=PASSWORD, by=SYSTEM)
        group = groups.create_group(name="Eau", by=SYSTEM)
        pages.create_page(author=coordinator, title="Agenda public du groupe", body="Réunion en mars.",
                          visibility="public", group=group)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_visitor_group_page_is_cached_until_the_next_write(csrf_app):
    from sqlalchemy import event

    from wiki.cache import pages as pagecache

    client = csrf_app.test_client()
    first = client.get("/groupes/eau")
    assert first.status_code == 200 and "Agenda public du groupe" in first.text
    assert "csrf_token" not in first.text and "Set-Cookie" not in first.headers
    assert first.headers["Cache-Control"] == "no-cache"
    assert "Demander à rejoindre" not in first.text and "Connectez-vous" in first.text
    assert len(csrf_app.extensions[pagecache.EXTENSION_KEY].entries) == 1
    queries = []
    with csrf_app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
    second = client.get("/groupes/eau")
    assert second.data == first.data  # from memory: the data version is the only question asked
    assert [" ".join(q.split()) for q in queries] == [  # (a placeholder of either database)
        "SELECT data_version.token FROM data_version WHERE data_version.id = "
        + ("%(id_1)s::INTEGER" if ON_POSTGRESQL else "?")]
    with csrf_app.app_context():
        page = db.session.scalar(select(Page).where(Page.title == "Agenda public du groupe"))
        pages.update_page(page, author=accounts.get_user_by_email("coord@example.org"), base_revision=1,
                          title="Agenda public du groupe, revu", body="Réunion en avril.")
    third = client.get("/groupes/eau")
    assert "Agenda public du groupe, revu" in third.text


def test_member_still_gets_the_join_form(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/connexion").text)
    client.post("/connexion", data={"email": "sud@example.org", "password": PASSWORD, "csrf_token": token})
    page = client.get("/groupes/eau")
    assert "Demander à rejoindre" in page.text and page.headers["Cache-Control"] == "no-store"
    token = csrf_token_from(page.text)
    assert client.post("/groupes/eau/rejoindre", data={"message": "Bonjour", "csrf_token": token}).status_code == 302
    page = client.get("/groupes/eau").text
    assert "attend la réponse d'un animateur" in page and "Demander à rejoindre" not in page


# --------------------------------------------------------------------------- what an animator may do

@pytest.fixture
def led(app, make_user, world):
    """« eau » with, besides the world's contributor animator, a lecteur co-animator, a
    coordinator member and a second contributor co-animator."""
    people = dict(world, lecteur_animateur=make_user("lecteur", "sud", groups_=("eau",)),
                  coordinateur_membre=make_user("coordinateur", "sud", groups_=("eau",)),
                  second_animateur=make_user("contributeur", "sud", groups_=("eau",)))
    with app.app_context():
        group = groups.find_group("eau")
        for name in ("lecteur_animateur", "second_animateur"):
            groups.set_animator(group, user(people[name]), True, by=SYSTEM)
    return people


def test_a_lecteur_co_animator_manages_members_but_not_the_group(app, client, auth, api, led, user_email):
    """Issue 21: a lecteur co-animator added co-animators, removed coordinators and edited the
    description. It adds and removes members; leading the group is for contributors."""
    auth.login(led["lecteur_animateur"])
    assert client.post("/groupes/eau/membres", data={"email": user_email(led["lecteur"])}).status_code == 302
    assert client.post(f"/groupes/eau/membres/{led['membre']}/retirer").status_code == 302
    refused = [client.post(f"/groupes/eau/membres/{led['dehors']}/animateur"),  # not a member: 403 first
               client.post(f"/groupes/eau/membres/{led['animateur']}/membre"),
               client.post(f"/groupes/eau/membres/{led['coordinateur_membre']}/retirer"),
               client.post(f"/groupes/eau/membres/{led['second_animateur']}/retirer"),
               client.get("/groupes/eau/modifier"),
               client.post("/groupes/eau/modifier", data={"name": "eau", "description": "Vandalisé."})]
    assert [r.status_code for r in refused] == [403] * 6
    page = client.get("/groupes/eau/membres").text
    assert "Nommer co-animateur" not in page and "Retirer de l'animation" not in page
    assert page.count("Retirer du groupe") == 2  # itself and the member it added: no co-animator, no coordinator
    api_refused = api("POST", "/groups/eau/members", led["lecteur_animateur"],
                      json={"email": user_email(led["dehors"]), "animator": True})
    assert api_refused.status_code == 403 and "co-animateurs" in api_refused.json["message"]
    with app.app_context():
        group = groups.find_group("eau")
        members = {m.user_id: m.is_animator for m in groups.members_of(group)}
        assert members[led["animateur"]] is True and led["coordinateur_membre"] in members
        assert led["second_animateur"] in members and group.description != "Vandalisé."


def test_a_contributor_co_animator_leads_the_group_and_every_change_is_audited(app, client, auth, led):
    auth.login(led["animateur"])
    assert client.post(f"/groupes/eau/membres/{led['membre']}/animateur").status_code == 302
    assert client.post(f"/groupes/eau/membres/{led['second_animateur']}/retirer").status_code == 302
    assert client.post("/groupes/eau/modifier", data={"name": "eau", "description": "Puits et forages."}
                       ).status_code == 302
    assert client.post(f"/groupes/eau/membres/{led['coordinateur_membre']}/retirer").status_code == 403
    assert client.post("/groupes/eau/quitter").status_code == 302
    with app.app_context():
        events = [(e.actor_id, e.action, e.details.get("user")) for e in
                  db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    actor = led["animateur"]
    assert events == [(actor, "group.animator", led["membre"]), (actor, "group.member_remove", led["second_animateur"]),
                      (actor, "group.update", None), (actor, "group.member_remove", actor)]
