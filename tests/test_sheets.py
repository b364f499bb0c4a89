"""Experience sheets: form, sections, voices, status, merge, lessons, themes."""
import pytest

from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups.services import find_group
from wiki.pages import services as pages
from wiki.sheets import services as sheets, themes

SLUG = "forage-a-fanebougou"


def sheet_form(**overrides):
    data = {"title": "Forage à Fanébougou", "themes": ["eau-et-assainissement"], "visibility": "membres",
            "status": "publiee", "region": "Ségou", "cercle": "Ségou", "commune": "Fanébougou",
            "period_start": "2019", "period_end": "2021", "context": "Pas d'eau potable.",
            "difficulties": "Pompes en panne.", "lessons": "Former des artisans réparateurs.",
            "partners_sud": "Coopérative Benkadi", "summary": "création"}
    data.update(overrides)
    return data


def edit_form(client, **overrides):
    """The edit form as the browser would submit it (current values, then overrides)."""
    return client.post(f"/p/{SLUG}/modifier", data=sheet_form(**overrides))


def current(app, slug=SLUG):
    with app.app_context():
        page, _ = pages.find_page(slug)
        return dict(status=page.status, fields=dict(page.current.fields), number=page.current.number,
                    validated_by=page.validated_by_id)


@pytest.fixture
def nord(make_user):
    return make_user("contributeur", "nord")


@pytest.fixture
def sud(make_user):
    return make_user("contributeur", "sud")


def test_create_sheet_through_form_and_view_it(app, client, auth, nord):
    auth.login(nord)
    response = client.post("/fiches/nouvelle", data=sheet_form(regard_nord="Vu de Bourgogne."))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/p/{SLUG}")
    html = client.get(f"/p/{SLUG}").text
    assert "Fanébougou, Ségou" in html and "2019–2021" in html
    assert "Eau et assainissement" in html and "Coopérative Benkadi" in html
    assert "Difficultés et réponses apportées" in html and "Pompes en panne." in html
    assert "Facteurs clés de succès" not in html  # empty sections are hidden
    assert "Vu de Bourgogne." in html
    assert "Le regard du Sud manque encore." in html
    assert current(app)["fields"]["period_start"] == 2019


def test_form_requires_title_theme_and_place(client, auth, nord):
    auth.login(nord)
    response = client.post("/fiches/nouvelle", data=sheet_form(themes=[], region="", cercle=""))
    assert response.status_code == 200
    assert "au moins un thème" in response.text
    response = client.post("/fiches/nouvelle", data=sheet_form(region="", cercle=""))
    assert "Indiquez le lieu" in response.text
    response = client.post("/fiches/nouvelle", data=sheet_form(period_start="2030", period_end="2020"))
    assert "précède" in response.text


def test_form_offers_regions_cercles_and_guides(client, auth, nord, app, make_user):
    coordinator = make_user("coordinateur")
    with app.app_context():
        sheets.set_guiding_questions({"lessons": "Qu'avez-vous appris de neuf ?"},
                                     by=db.session.get(User, coordinator))
    auth.login(nord)
    html = client.get("/fiches/nouvelle").text
    assert '<optgroup label="Mopti">' in html and "Bandiagara" in html
    assert "Qu&#39;avez-vous appris de neuf ?" in html
    assert "js/sheet-form." in html  # content-hashed name: js/sheet-form.<hash>.js
    with client.get("/static/js/sheet-form.js") as script:
        assert script.status_code == 200
    assert len(sheets.mali_regions()) == 11


def test_fields_are_versioned_and_diffed_by_section(app, client, auth, nord):
    auth.login(nord)
    client.post("/fiches/nouvelle", data=sheet_form())
    edit_form(client, base_revision="1", lessons="Former des réparateurs au village.", summary="leçons")
    assert current(app)["fields"]["lessons"] == "Former des réparateurs au village."
    old = client.get(f"/p/{SLUG}/version/1").text
    assert "Former des artisans réparateurs." in old
    diff = client.get(f"/p/{SLUG}/comparer?de=1&a=2").text
    assert "<h2>Enseignements</h2>" in diff
    lessons_diff = diff.split("<h2>Enseignements</h2>")[1].split("</div>")[0]
    assert "<del>artisans" in lessons_diff and "village</ins>" in lessons_diff
    assert "<h2>Contexte</h2>" not in diff  # unchanged sections are left out


def test_edits_to_different_sections_both_survive(app, client, auth, nord, sud):
    auth.login(nord)
    client.post("/fiches/nouvelle", data=sheet_form())
    edit_form(client, base_revision="1", context="Pas d'eau potable à moins de 5 km.")
    auth.logout()
    auth.login(sud)
    response = edit_form(client, base_revision="1", results="Trois forages en service.")
    assert response.status_code == 302
    fields = current(app)["fields"]
    assert fields["context"] == "Pas d'eau potable à moins de 5 km."
    assert fields["results"] == "Trois forages en service."


def test_same_section_edited_twice_is_a_conflict_that_keeps_the_text(app, client, auth, nord, sud):
    auth.login(nord)
    client.post("/fiches/nouvelle", data=sheet_form())
    edit_form(client, base_revision="1", context="Version du Nord.")
    auth.logout()
    auth.login(sud)
    response = edit_form(client, base_revision="1", context="Version du Sud.")
    assert response.status_code == 409
    assert "Contexte" in response.text and "Version du Sud." in response.text
    assert current(app)["fields"]["context"] == "Version du Nord."


def test_side_rule_in_form_keeps_everything_else(app, client, auth, nord, sud):
    auth.login(nord)
    client.post("/fiches/nouvelle", data=sheet_form(regard_nord="Vu du Nord."))
    auth.logout()
    auth.login(sud)
    form = client.get(f"/p/{SLUG}/modifier").text
    assert 'name="regard_nord"' not in form and 'name="regard_sud"' in form
    response = edit_form(client, base_revision="1", regard_nord="Réécrit par le Sud.", regard_sud="Vu du Sud.",
                         results="Trois forages.")
    assert response.status_code == 302
    fields = current(app)["fields"]
    assert fields["regard_nord"] == "Vu du Nord."
    assert (fields["regard_sud"], fields["results"]) == ("Vu du Sud.", "Trois forages.")
    assert "n&#39;a pas été modifiée" in client.get(f"/p/{SLUG}").text


def test_side_rule_in_api_refuses_with_403(app, api, nord, sud):
    body = {"title": "Forage à Fanébougou", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Ségou"}}
    assert api("POST", "/pages", nord, json=body).status_code == 201
    response = api("PUT", f"/pages/{SLUG}", sud, json={"fields": {"region": "Ségou", "regard_nord": "x",
                                                                    "results": "y"}, "base_revision": 1})
    assert response.status_code == 403 and "Regard du Nord" in response.json["message"]
    assert current(app)["number"] == 1  # nothing half-saved


def test_coordinator_writes_both_voices(app, api, make_user):
    coordinator = make_user("coordinateur", "nord")
    body = {"title": "Forage à Fanébougou", "kind": "fiche", "themes": ["eau"],
            "fields": {"region": "Ségou", "regard_nord": "N", "regard_sud": "S"}}
    assert api("POST", "/pages", coordinator, json=body).status_code == 201


def test_draft_is_for_its_authors_and_coordinators(app, client, auth, api, nord, sud, make_user):
    auth.login(nord)
    client.post("/fiches/nouvelle", data=sheet_form(status="brouillon", lessons="zanzibarite"))
    assert current(app)["status"] == "brouillon"
    assert client.get(f"/p/{SLUG}").status_code == 200
    assert api("GET", "/search?q=zanzibarite", nord).json["total"] == 1
    auth.logout()
    for reader in (sud, make_user("lecteur")):
        auth.login(reader)
        assert client.get(f"/p/{SLUG}").status_code == 404
        assert client.get(f"/p/{SLUG}/historique").status_code == 404
        assert SLUG not in client.get("/pages?type=fiche").text
        assert "zanzibarite" not in client.get("/enseignements").text
        auth.logout()
        assert api("GET", f"/pages/{SLUG}", reader).status_code == 404
        assert api("GET", "/search?q=zanzibarite", reader).json["total"] == 0
    assert api("GET", f"/pages/{SLUG}", make_user("coordinateur")).status_code == 200
    # The author publishes it: everyone in the network reads it.
    auth.login(nord)
    edit_form(client, base_revision="1", status="publiee", lessons="zanzibarite")
    assert current(app)["status"] == "publiee"
    assert api("GET", f"/pages/{SLUG}", sud).status_code == 200


def test_only_coordinators_return_a_sheet_to_draft(app, api, nord, make_user):
    body = {"title": "Forage à Fanébougou", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Ségou"}}
    api("POST", "/pages", nord, json=body)
    assert api("PUT", f"/pages/{SLUG}", nord, json={"status": "brouillon", "base_revision": 1}).status_code == 403
    coordinator = make_user("coordinateur")
    assert api("PUT", f"/pages/{SLUG}", coordinator, json={"status": "brouillon", "base_revision": 1}).status_code == 200
    assert current(app)["status"] == "brouillon"
    assert api("POST", "/pages", nord, json={"title": "Page", "status": "brouillon"}).status_code == 422


def test_validation_by_the_other_side(app, client, auth, api, nord, sud, make_user):
    body = {"title": "Forage à Fanébougou", "kind": "fiche", "themes": ["eau"],
            "fields": {"region": "Ségou", "results": "Trois forages."}}
    api("POST", "/pages", nord, json=body)
    assert api("POST", f"/pages/{SLUG}/validation", nord).status_code == 403  # same side
    assert api("POST", f"/pages/{SLUG}/validation", make_user("lecteur", "sud")).status_code == 403
    auth.login(sud)
    assert "Valider : cette fiche reflète notre projet commun" in client.get(f"/p/{SLUG}").text
    assert client.post(f"/p/{SLUG}/valider").status_code == 302
    state = current(app)
    assert state["status"] == "validee" and state["validated_by"] == sud
    html = client.get(f"/p/{SLUG}").text
    assert "Validée par Contributeur" in html
    assert api("GET", f"/pages/{SLUG}", nord).json["validated_by"].startswith("Contributeur")
    # Adding the Sud voice keeps the validation; changing the results does not.
    api("PUT", f"/pages/{SLUG}", sud, json={"fields": {**body["fields"], "regard_sud": "Vu du Sud."},
                                             "base_revision": 1})
    assert current(app)["status"] == "validee"
    api("PUT", f"/pages/{SLUG}", nord, json={"fields": {**body["fields"], "regard_sud": "Vu du Sud.",
                                                         "results": "Deux forages."}, "base_revision": 2})
    state = current(app)
    assert state["status"] == "publiee" and state["validated_by"] is None


def test_lessons_page_gathers_only_readable_sheets(app, client, auth, make_user):
    member = make_user("contributeur", "sud", groups_=("eau",))
    outsider = make_user("contributeur", "nord")
    with app.app_context():
        author = db.session.get(User, member)
        group = find_group("eau")
        pages.create_page(author=author, title="Fiche ouverte", kind="fiche", themes=["sante"],
                          fields={"region": "Kayes", "lessons": "Leçon ouverte."})
        pages.create_page(author=author, title="Fiche du groupe", kind="fiche", themes=["sante"],
                          visibility="groupe", group=group,
                          fields={"region": "Kayes", "recommendations": "Conseil réservé."})
    auth.login(outsider)
    html = client.get("/enseignements?theme=sante").text
    assert "Leçon ouverte." in html and "Conseil réservé." not in html and "Fiche du groupe" not in html
    auth.logout()
    auth.login(member)
    html = client.get("/enseignements?theme=sante").text
    assert "Leçon ouverte." in html and "Conseil réservé." in html
    assert "Leçon ouverte." not in client.get("/enseignements?theme=education").text
    assert "Leçon ouverte." not in client.get("/enseignements?groupe=eau").text


def test_themes_are_managed_by_coordinators(app, client, auth, nord, make_user):
    auth.login(nord)
    assert client.get("/admin/themes").status_code == 403
    auth.logout()
    auth.login(make_user("coordinateur"))
    client.post("/admin/themes", data={"action": "add", "name": "Numérique"})
    with app.app_context():
        theme = next(t for t in themes.list_themes() if t.slug == "numerique")
    client.post("/admin/themes", data={"action": "rename", "theme_id": theme.id, "name": "Numérique et radio"})
    assert "Numérique et radio" in client.get("/fiches/nouvelle").text
    client.post("/admin/themes", data={"action": "remove", "theme_id": theme.id})
    assert "Numérique et radio" not in client.get("/fiches/nouvelle").text
    response = client.post("/admin/themes", data={"action": "add", "name": "Santé"}, follow_redirects=True)
    assert "Ce thème existe déjà." in response.text
