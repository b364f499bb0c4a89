"""Pages through the web interface: create, slugs, renames, links, history, merge, conflicts."""
import re

from wiki.extensions import db
from wiki.pages.models import Page, Revision


def create(client, title="Forage à Ségou", body="Premier texte.", **extra):
    data = {"title": title, "body": body, "visibility": "membres", "summary": "création", **extra}
    return client.post("/pages/nouvelle", data=data)


def page_row(app, slug):
    with app.app_context():
        page = db.session.scalar(db.select(Page).where(Page.slug == slug))
        return page.id, page.current.number if page else None


def current_body(app, slug):
    with app.app_context():
        return db.session.scalar(db.select(Page).where(Page.slug == slug)).current.body


def edit(client, slug, body, base, title=None, summary="modif"):
    return client.post(f"/p/{slug}/modifier", data={
        "title": title or "Forage à Ségou", "body": body, "visibility": "membres",
        "summary": summary, "base_revision": str(base)})


def test_create_and_view_page(client, auth, make_user):
    auth.login(make_user("contributeur", "sud"))
    response = create(client, body="Les **puits** de [[Page absente]].")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/p/forage-a-segou")
    page = client.get("/p/forage-a-segou")
    assert page.status_code == 200
    html = page.text
    assert "<strong>puits</strong>" in html
    assert "Forage à Ségou" in html
    assert 'class="badge side-sud"' in html  # the author's side shows
    assert 'class="wikilink missing" href="/pages/nouvelle?titre=Page%20absente"' in html


def test_wikilink_to_existing_page_is_plain_link(client, auth, make_user):
    auth.login(make_user())
    create(client, title="Comité de pilotage", body="Réunions.")
    create(client, title="Accueil", body="Voir le [[Comité de pilotage]].")
    html = client.get("/p/accueil").text
    assert '<a class="wikilink" href="/p/comite-de-pilotage"' in html
    assert "missing" not in html.split('href="/p/comite-de-pilotage"')[0][-40:]


def test_same_title_twice_goes_to_existing_page(client, auth, make_user):
    auth.login(make_user())
    create(client, title="École des filles")
    response = create(client, title="Ecole des FILLES")
    assert response.headers["Location"].endswith("/p/ecole-des-filles/modifier")


def test_rename_keeps_old_address_as_redirect(app, client, auth, make_user):
    auth.login(make_user())
    create(client)
    edit(client, "forage-a-segou", "Texte.", 1, title="Forage à Ségou et Bla")
    response = client.get("/p/forage-a-segou")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/p/forage-a-segou-et-bla")
    history = client.get("/p/forage-a-segou/historique")
    assert history.status_code == 301 and history.headers["Location"].endswith("/p/forage-a-segou-et-bla/historique")
    # Renaming back reuses the first address.
    edit(client, "forage-a-segou-et-bla", "Texte.", 2, title="Forage à Ségou")
    assert client.get("/p/forage-a-segou").status_code == 200
    assert client.get("/p/forage-a-segou-et-bla").status_code == 301


def test_history_revision_diff_and_revert(app, client, auth, make_user):
    auth.login(make_user("contributeur", "nord"))
    create(client, body="Le puits donne de l'eau.")
    edit(client, "forage-a-segou", "Le puits donne de l'eau claire.", 1)
    history = client.get("/p/forage-a-segou/historique").text
    assert "création" in history and "modif" in history
    old = client.get("/p/forage-a-segou/version/1").text
    assert "ce n'est pas la version actuelle" in old
    diff = client.get("/p/forage-a-segou/comparer?de=1&a=2").text
    assert "<ins> claire</ins>" in diff or "<ins>claire</ins>" in diff
    response = client.post("/p/forage-a-segou/version/1/restaurer")
    assert response.status_code == 302
    assert current_body(app, "forage-a-segou") == "Le puits donne de l'eau."
    with app.app_context():
        numbers = db.session.scalars(db.select(Revision.number).join(Page).where(Page.slug == "forage-a-segou"))
        assert sorted(numbers) == [1, 2, 3]  # the revert is a new revision


def test_bad_diff_parameters(client, auth, make_user):
    auth.login(make_user())
    create(client)
    assert client.get("/p/forage-a-segou/comparer?de=abc").status_code == 400
    assert client.get("/p/forage-a-segou/comparer?de=1&a=99").status_code == 404


def test_non_overlapping_edits_merge(app, client, auth, make_user):
    auth.login(make_user())
    create(client, body="Ligne un.\nLigne deux.\nLigne trois.\n")
    # Two people started from revision 1; the first saves a change to line one...
    edit(client, "forage-a-segou", "Ligne un modifiée.\nLigne deux.\nLigne trois.\n", 1)
    # ...the second, still on revision 1, changes line three: both survive.
    response = edit(client, "forage-a-segou", "Ligne un.\nLigne deux.\nLigne trois modifiée.\n", 1)
    assert response.status_code == 302
    assert current_body(app, "forage-a-segou") == "Ligne un modifiée.\nLigne deux.\nLigne trois modifiée.\n"
    assert "fusionnée" in client.get("/p/forage-a-segou").text


def test_overlapping_edits_conflict_and_keep_text(app, client, auth, make_user):
    auth.login(make_user())
    create(client, body="Le puits est en panne.")
    edit(client, "forage-a-segou", "Le puits est réparé.", 1)
    response = edit(client, "forage-a-segou", "Le puits est abandonné depuis mars.", 1)
    assert response.status_code == 409
    html = response.text
    assert "Le puits est réparé." in html  # their version is shown
    assert "Le puits est abandonné depuis mars.</textarea>" in html  # mine is kept in the form
    assert 'name="base_revision" type="hidden" value="2"' in html  # ready to re-submit on top of 2
    assert current_body(app, "forage-a-segou") == "Le puits est réparé."
    # Re-submitting from the conflict page saves.
    assert edit(client, "forage-a-segou", "Le puits est abandonné depuis mars.", 2).status_code == 302
    assert current_body(app, "forage-a-segou") == "Le puits est abandonné depuis mars."


def test_double_submission_creates_one_revision(app, client, auth, make_user):
    auth.login(make_user())
    create(client)
    edit(client, "forage-a-segou", "Même texte.", 1)
    edit(client, "forage-a-segou", "Même texte.", 1)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Revision.id))) == 2


def test_source_is_plain_text(client, auth, make_user):
    auth.login(make_user())
    create(client, body="<script>alert(1)</script> *texte*")
    response = client.get("/p/forage-a-segou/source")
    assert response.mimetype == "text/plain"
    assert response.text == "<script>alert(1)</script> *texte*"
    assert "<script>alert(1)" not in client.get("/p/forage-a-segou").text


def test_validation_errors_are_shown_in_french(client, auth, make_user):
    auth.login(make_user())
    response = create(client, title="!!!", body="x")
    assert response.status_code == 200
    assert "au moins une lettre" in response.text
    response = create(client, title="x" * 201)
    assert response.status_code == 200 and "200" in response.text


def test_delete_and_restore_by_coordinator(app, client, auth, make_user):
    auth.login(make_user("coordinateur"))
    create(client)
    assert client.post("/p/forage-a-segou/supprimer").status_code == 302
    assert "Forage à Ségou" in client.get("/pages/corbeille").text
    auth.logout()
    reader = make_user("lecteur")
    auth.login(reader)
    assert client.get("/p/forage-a-segou").status_code == 404
    auth.logout()
    auth.login(make_user("coordinateur"))
    client.post("/p/forage-a-segou/retablir")
    auth.logout()
    auth.login(reader)
    assert client.get("/p/forage-a-segou").status_code == 200


def test_contributions_page_lists_own_revisions(client, auth, make_user):
    auth.login(make_user())
    create(client, title="Ma page")
    assert re.search(r'href="/p/ma-page">Ma page</a>', client.get("/compte").text)


def test_long_titles_that_differ_after_the_address_length_both_get_a_page(api, make_user):
    """Addresses are cut at 80 characters; titles are compared whole."""
    author = make_user("contributeur")
    common = "Retour d'expérience sur la gestion communautaire des points d'eau dans le cercle de "
    first = api("POST", "/pages", author, json={"title": common + "Ségou", "body": "Un."})
    second = api("POST", "/pages", author, json={"title": common + "Mopti", "body": "Deux."})
    assert first.status_code == 201 and second.status_code == 201, second.json
    assert first.json["slug"] != second.json["slug"]
    assert api("GET", f"/pages/{second.json['slug']}", author).json["title"] == common + "Mopti"
    again = api("POST", "/pages", author, json={"title": common.upper() + "MOPTI", "body": "Trois."})
    assert again.status_code == 409  # the same title (case aside): the page exists
