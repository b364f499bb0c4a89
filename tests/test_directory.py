"""Directory of actors: filters, entries, edit rights, hidden names, sheets citing an organisation."""
import pytest

from wiki.auth.models import User
from wiki.directory import services as directory
from wiki.directory.models import Organisation
from wiki.errors import ValidationError
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.pages.models import Page
from wiki.policy import SYSTEM, PermissionDenied

ORGANISATIONS = [
    dict(name="Comité de jumelage de Marsannay", side="nord", kind="comité de jumelage",
         town="Marsannay-la-Côte", region="Bourgogne-Franche-Comté"),
    dict(name="Coopérative Benkadi", side="sud", kind="coopérative", town="Ségou", region="Ségou",
         description="Maraîchage et **forages**.\n\n<script>alert(1)</script>",
         website="https://benkadi.example.org", contact="Awa Traoré, +223 76 00 00 00"),
    dict(name="Association Jèkafo", side="sud", kind="association", town="Bla", region="segou"),
    dict(name="ONG Sahel Eau", side="sud", kind="ONG", town="Sévaré", region="Mopti"),
]


@pytest.fixture
def orgs(app):
    with app.app_context():
        return {o.slug: o.id for o in (directory.create_organisation(by=SYSTEM, **values) for values in ORGANISATIONS)}


@pytest.fixture
def join(app):
    """join(user_id, "cooperative-benkadi"): attach an account to an organisation."""
    def attach(user_id: int, slug: str) -> None:
        with app.app_context():
            db.session.get(User, user_id).organisation = directory.get_organisation(slug)
            db.session.commit()
    return attach


def names_in(html: str) -> set[str]:
    return {values["name"] for values in ORGANISATIONS if values["name"] in html}


# Listing and filters ----------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("", {"Comité de jumelage de Marsannay", "Coopérative Benkadi", "Association Jèkafo", "ONG Sahel Eau"}),
    ("?side=sud", {"Coopérative Benkadi", "Association Jèkafo", "ONG Sahel Eau"}),
    ("?side=nord", {"Comité de jumelage de Marsannay"}),
    ("?kind=coopérative", {"Coopérative Benkadi"}),
    ("?kind=ong", {"ONG Sahel Eau"}),
    ("?region=Ségou", {"Coopérative Benkadi", "Association Jèkafo"}),
    ("?region=SEGOU", {"Coopérative Benkadi", "Association Jèkafo"}),
    ("?side=sud&region=Ségou&kind=association", {"Association Jèkafo"}),
    ("?side=nord&region=Mopti", set()),
])
def test_list_filters_in_html_and_api(client, api, orgs, query, expected):
    response = client.get("/annuaire" + query)
    assert response.status_code == 200
    assert names_in(response.text) == expected
    listed = api("GET", "/organisations" + query).json["organisations"]
    assert {o["name"] for o in listed} == expected
    if not expected:
        assert "Aucune organisation ne correspond" in response.text


def test_filters_keep_each_other_and_sides_are_counted(client, orgs):
    html = client.get("/annuaire?kind=association&region=Ségou").text
    # Side links keep the other filters, and count under them.
    assert 'href="/annuaire?side=sud&amp;kind=association&amp;region=S%C3%A9gou"' in html
    assert '<span class="badge side-sud">Sud</span> (1)' in html
    assert '<span class="badge side-nord">Nord</span> (0)' in html
    assert "Tous les côtés (1)" in html
    # The filter form shows the chosen values.
    assert '<option selected value="association">' in html
    assert '<option selected value="Ségou">' in html
    assert '<option selected value="Ségou">' in client.get("/annuaire?region=segou").text
    full = client.get("/annuaire").text
    assert '<span class="badge side-sud">Sud</span> (3)' in full and "Tous les côtés (4)" in full


def test_kinds_and_regions_offered(app, orgs):
    with app.app_context():
        directory.create_organisation(by=SYSTEM, name="Lycée Carnot", side="nord", kind="lycée")
        kinds = directory.list_kinds()
        assert kinds[:8] == ["association", "collectivité", "comité de jumelage", "ONG", "école", "coopérative",
                             "groupement", "service de l'État"]
        assert kinds[8:] == ["lycée"]
        regions = directory.list_regions()
        assert len([r for r in regions if r.lower().startswith("s")]) == 1  # Ségou and segou: one entry
        assert "Mopti" in regions and "Bourgogne-Franche-Comté" in regions


# Entry page --------------------------------------------------------------------------

def test_entry_shows_description_website_and_hides_people_from_visitors(client, auth, orgs, join, make_user):
    member = make_user("contributeur", "sud")
    join(member, "cooperative-benkadi")
    anonymous = client.get("/annuaire/cooperative-benkadi")
    assert anonymous.status_code == 200
    html = anonymous.text
    assert "<strong>forages</strong>" in html and "<script>alert" not in html
    assert '<a href="https://benkadi.example.org" rel="noopener">' in html
    assert "Contributeur 1" not in html and "Awa Traoré" not in html
    assert "1 membre ; leurs noms sont réservés aux membres" in html
    auth.login(make_user("lecteur", "nord"))
    html = client.get("/annuaire/cooperative-benkadi").text
    assert "Contributeur 1" in html and '<span class="badge side-sud">Sud</span>' in html
    assert "Awa Traoré" in html
    assert client.get("/annuaire/inconnue").status_code == 404


def test_disabled_accounts_are_not_members(app, orgs, join, make_user):
    active, disabled = make_user(), make_user()
    join(active, "ong-sahel-eau")
    join(disabled, "ong-sahel-eau")
    with app.app_context():
        db.session.get(User, disabled).is_enabled = False
        db.session.commit()
        assert [u.id for u in directory.members_of(directory.get_organisation("ong-sahel-eau"))] == [active]


def test_api_entry_hides_names_and_contact_from_anonymous_callers(api, orgs, join, make_user):
    member = make_user("contributeur", "sud")
    join(member, "cooperative-benkadi")
    anonymous = api("GET", "/organisations/cooperative-benkadi").json
    assert anonymous["members"] == [] and anonymous["contact"] is None
    assert anonymous["website"] == "https://benkadi.example.org"
    assert anonymous["url"] == "http://wiki.test/annuaire/cooperative-benkadi"
    assert all(o["contact"] is None for o in api("GET", "/organisations").json["organisations"])
    seen = api("GET", "/organisations/cooperative-benkadi", make_user("lecteur")).json
    assert seen["members"] == [{"name": "Contributeur 1", "side": "sud"}]
    assert seen["contact"] == "Awa Traoré, +223 76 00 00 00"
    assert api("GET", "/organisations/inconnue").status_code == 404


# Creating and editing ------------------------------------------------------------------

EDIT = {"name": "Coopérative Benkadi de Ségou", "side": "sud", "kind": "coopérative", "town": "Ségou",
        "region": "Ségou", "description": "Nouvelle présentation.", "website": "http://benkadi.example.org",
        "contact": "Le bureau"}


@pytest.mark.parametrize("who, status", [
    ("coordinateur", 302), ("member", 302), ("other", 403), ("lecteur-member", 403), (None, 302),
])
def test_web_edit_permissions(app, client, auth, orgs, join, make_user, who, status):
    if who == "coordinateur":
        auth.login(make_user("coordinateur"))
    elif who == "member":
        user = make_user("contributeur", "sud")
        join(user, "cooperative-benkadi")
        auth.login(user)
    elif who == "lecteur-member":
        user = make_user("lecteur", "sud")
        join(user, "cooperative-benkadi")
        auth.login(user)
    elif who == "other":
        user = make_user("contributeur", "sud")
        join(user, "ong-sahel-eau")
        auth.login(user)
    form = client.get("/annuaire/cooperative-benkadi/modifier")
    response = client.post("/annuaire/cooperative-benkadi/modifier", data=EDIT)
    assert response.status_code == status
    if who is None:
        assert form.status_code == 302 and "/connexion" in form.headers["Location"]
        assert "/connexion" in response.headers["Location"]
    elif status == 403:
        assert form.status_code == 403
    else:
        assert form.status_code == 200 and 'value="Coopérative Benkadi"' in form.text
        assert response.headers["Location"].endswith("/annuaire/cooperative-benkadi")  # the slug stays
    with app.app_context():
        org = directory.get_organisation("cooperative-benkadi")
        assert (org.name == EDIT["name"]) is (status == 302 and who is not None)


def test_web_edit_validation_errors_are_french(client, auth, orgs, make_user):
    auth.login(make_user("coordinateur"))
    response = client.post("/annuaire/cooperative-benkadi/modifier",
                           data={**EDIT, "website": "javascript:alert(1)"})
    assert response.status_code == 200
    assert "Le site doit être une adresse commençant par http:// ou https://." in response.text
    response = client.post("/annuaire/cooperative-benkadi/modifier", data={**EDIT, "name": "ONG Sahel Eau"})
    assert "Cette organisation est déjà dans l&#39;annuaire." in response.text
    response = client.post("/annuaire/cooperative-benkadi/modifier", data={**EDIT, "name": ""})
    assert "Le nom est obligatoire." in response.text


def test_coordinators_create_organisations_on_the_web(app, client, auth, make_user):
    contributor = make_user()
    auth.login(contributor)
    assert client.get("/annuaire/nouvelle").status_code == 403
    assert "Ajouter une organisation" not in client.get("/annuaire").text
    auth.logout()
    auth.login(make_user("coordinateur"))
    assert "Ajouter une organisation" in client.get("/annuaire").text
    assert client.get("/annuaire/nouvelle").status_code == 200
    response = client.post("/annuaire/nouvelle", data={**EDIT, "name": "Mairie de Bla", "kind": "collectivité"})
    assert response.headers["Location"].endswith("/annuaire/mairie-de-bla")
    response = client.post("/annuaire/nouvelle", data={**EDIT, "name": "Nouvelle"})
    assert response.status_code == 200 and "Ce nom est réservé" in response.text
    with app.app_context():
        org = directory.get_organisation("mairie-de-bla")
        assert (org.kind, org.website, org.contact) == ("collectivité", "http://benkadi.example.org", "Le bureau")


@pytest.mark.parametrize("who, status", [("coordinateur", 200), ("member", 200), ("other", 403), (None, 401)])
def test_api_edit_permissions(app, api, orgs, join, make_user, who, status):
    user = None
    if who == "coordinateur":
        user = make_user("coordinateur")
    elif who:
        user = make_user("contributeur", "sud")
        join(user, "cooperative-benkadi" if who == "member" else "ong-sahel-eau")
    response = api("PUT", "/organisations/cooperative-benkadi", user, json={"town": "Markala"})
    assert response.status_code == status, response.json
    if status == 200:
        assert response.json["town"] == "Markala" and response.json["region"] == "Ségou"  # the rest is kept
    else:
        assert response.json["error"] in ("forbidden", "unauthorized")


@pytest.mark.parametrize("body, key", [
    ({"website": "ftp://benkadi.example.org"}, "website"),
    ({"website": "https://"}, "website"),
    ({"name": ""}, "name"),
    ({"name": "ONG Sahel Eau"}, "name"),
    ({"side": "est"}, "side"),
    ({"side": ["sud"]}, "side"),
    ({"town": 12}, "town"),
    ({"contact": "x" * 301}, "contact"),
    ({"couleur": "bleu"}, "couleur"),
])
def test_api_edit_validation(api, orgs, make_user, body, key):
    response = api("PUT", "/organisations/cooperative-benkadi", make_user("coordinateur"), json=body)
    assert response.status_code == 422
    assert response.json["error"] == "invalid" and key in response.json["fields"]
    assert response.json["fields"][key][0].isupper()  # a French sentence, not a code


def test_api_rename_keeps_slug_and_create_takes_website(api, orgs, make_user):
    coordinator = make_user("coordinateur")
    response = api("PUT", "/organisations/cooperative-benkadi", coordinator,
                   json={"name": "Coopérative Benkadi de Ségou", "website": ""})
    assert response.json["slug"] == "cooperative-benkadi" and response.json["website"] == ""
    assert api("GET", "/organisations/cooperative-benkadi").json["name"] == "Coopérative Benkadi de Ségou"
    created = api("POST", "/organisations", coordinator,
                  json={"name": "Mairie de Bla", "side": "sud", "kind": "collectivité",
                        "website": "https://bla.example.org", "contact": "Le maire"})
    assert created.status_code == 201 and created.json["website"] == "https://bla.example.org"
    assert created.json["contact"] == "Le maire"
    bad = api("POST", "/organisations", coordinator, json={"name": "Autre", "side": "sud", "website": "bla"})
    assert bad.status_code == 422 and "website" in bad.json["fields"]


def test_service_refuses_other_organisations_members(app, orgs, join, make_user):
    other = make_user("contributeur", "sud")
    join(other, "ong-sahel-eau")
    with app.app_context():
        org = directory.get_organisation("cooperative-benkadi")
        with pytest.raises(PermissionDenied):
            directory.update_organisation(org, by=db.session.get(User, other), town="Markala")
        with pytest.raises(ValidationError):
            directory.update_organisation(org, by=SYSTEM, website="www.example.org")
        assert db.session.get(Organisation, org.id).town == "Ségou"


# Sheets citing an organisation -----------------------------------------------------------

def _sheet(app, author_id: int, title: str, *, visibility="membres", group=None, fields=None) -> int:
    with app.app_context():
        author = db.session.get(User, author_id)
        group_row = groups.find_group(group) if group else None
        page = pages.create_page(author=author, title=title, kind="fiche", themes=["eau"], visibility=visibility,
                                 group=group_row, fields={"region": "Ségou", **(fields or {})})
        return page.id


@pytest.fixture
def citing(app, orgs, make_user):
    """Sheets citing Benkadi in every state; returns (author, group member, outsider) ids."""
    coordinator = make_user("coordinateur")
    author = make_user("contributeur", "sud", groups_=("eau",))
    reader = make_user("contributeur", "nord", groups_=("eau",))
    outsider = make_user("contributeur", "nord")
    _sheet(app, coordinator, "Forage public", visibility="public",
           fields={"partners_sud": ["Coopérative Benkadi"]})
    _sheet(app, author, "Forage des membres", fields={"partners_nord": ["cooperative-benkadi"]})
    _sheet(app, author, "Forage du groupe", visibility="groupe", group="eau",
           fields={"partners_sud": ["COOPERATIVE BENKADI"]})
    draft = _sheet(app, author, "Forage en brouillon", fields={"partners_sud": ["Coopérative Benkadi"]})
    deleted = _sheet(app, author, "Forage supprimé", fields={"partners_sud": ["Coopérative Benkadi"]})
    _sheet(app, author, "Forage ailleurs", fields={"partners_sud": ["ONG Sahel Eau"]})
    with app.app_context():
        db.session.get(Page, draft).status = "brouillon"  # the status service is someone else's work
        db.session.commit()
        pages.set_deleted(db.session.get(Page, deleted), True, by=db.session.get(User, coordinator))
    return author, reader, outsider


def _titles(app, viewer_id):
    from flask_login import AnonymousUserMixin
    with app.app_context():
        viewer = db.session.get(User, viewer_id) if viewer_id else AnonymousUserMixin()
        return {p.title for p in directory.sheets_citing(directory.get_organisation("cooperative-benkadi"), viewer)}


def test_sheets_citing_honours_permissions(app, citing):
    author, reader, outsider = citing
    assert _titles(app, None) == {"Forage public"}
    assert _titles(app, outsider) == {"Forage public", "Forage des membres"}
    assert _titles(app, reader) == {"Forage public", "Forage des membres", "Forage du groupe"}
    assert _titles(app, author) == {"Forage public", "Forage des membres", "Forage du groupe", "Forage en brouillon"}


def test_sheets_citing_in_html_and_api(client, auth, api, citing):
    author, reader, outsider = citing
    assert "Forage public" in client.get("/annuaire/cooperative-benkadi").text
    auth.login(outsider)
    html = client.get("/annuaire/cooperative-benkadi").text
    assert "Forage des membres" in html and "/p/forage-des-membres" in html
    for hidden in ("Forage du groupe", "Forage en brouillon", "Forage supprimé", "Forage ailleurs"):
        assert hidden not in html
    sheets = api("GET", "/organisations/cooperative-benkadi", outsider).json["sheets"]
    assert {s["title"] for s in sheets} == {"Forage public", "Forage des membres"}
    assert {"slug": "forage-public", "title": "Forage public", "url": "http://wiki.test/p/forage-public"} in sheets
    assert [s["title"] for s in api("GET", "/organisations/cooperative-benkadi").json["sheets"]] == ["Forage public"]
    assert "Forage ailleurs" in client.get("/annuaire/ong-sahel-eau").text


def test_edit_needs_the_csrf_token_when_protection_is_on(app, client, auth, orgs, make_user):
    from support import csrf_token_from
    auth.login(make_user("coordinateur"))
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.get("/annuaire?side=sud").status_code == 200  # the GET filter form has no token
    assert client.post("/annuaire/cooperative-benkadi/modifier", data=EDIT).status_code == 400
    token = csrf_token_from(client.get("/annuaire/cooperative-benkadi/modifier").text)
    response = client.post("/annuaire/cooperative-benkadi/modifier", data={**EDIT, "csrf_token": token})
    assert response.status_code == 302
