"""Issue 21: who may read a page is changed by one rule (policy.audience_refusal), the same
for the web form and the API, and every change is audited. A contributor chooses the audience
of a page it creates (all members, or a group it belongs to); afterwards, coordinators change
it, and co-animators move a page between all members and their group."""
import pytest

from wiki.audit.models import AuditEvent
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages.models import Page
from wiki.policy import SYSTEM
from wiki.auth.models import User


@pytest.fixture
def people(app, make_user):
    people = {"contributeur": make_user("contributeur", "sud", groups_=("eau", "sante")),
              "animateur": make_user("contributeur", "nord", groups_=("eau",)),
              "coordinateur": make_user("coordinateur")}
    with app.app_context():
        groups.set_animator(groups.find_group("eau"), db.session.get(User, people["animateur"]), True, by=SYSTEM)
        groups.create_group(name="Santé Kayes", by=SYSTEM)  # nobody's
    return people


def make(api, author, **values) -> str:
    response = api("POST", "/pages", author, json={"title": "Stock de semences", "body": "Texte.", **values})
    assert response.status_code == 201, response.json
    return response.json["slug"]


def audience(app, slug: str) -> tuple:
    with app.app_context():
        page = db.session.query(Page).filter_by(slug=slug).one()
        return page.visibility, page.group.slug if page.group else None


def change(api, user, slug: str, **values):
    revision = api("GET", f"/pages/{slug}", user).json["revision"]
    return api("PUT", f"/pages/{slug}", user, json={"base_revision": revision, **values})


@pytest.mark.parametrize("start, asked", [
    ({"visibility": "groupe", "group": "eau"}, {"visibility": "membres"}),  # opened to every member
    ({"visibility": "public"}, {"visibility": "membres"}),  # hidden, and it may not publish it again
    ({"visibility": "membres"}, {"visibility": "groupe", "group": "eau"}),  # others lose the page
    ({"visibility": "groupe", "group": "eau"}, {"visibility": "groupe", "group": "sante"}),  # another group
])
def test_a_contributor_does_not_change_who_reads_an_existing_page(app, api, people, start, asked):
    creator = people["coordinateur"] if start["visibility"] == "public" else people["contributeur"]
    slug = make(api, creator, **start)
    before = audience(app, slug)
    response = change(api, people["contributeur"], slug, **asked)
    assert response.status_code == 403 and "coordinateur" in response.json["message"]
    assert audience(app, slug) == before


def test_nor_attaches_a_page_to_a_group_it_is_not_in(app, api, client, auth, people):
    refused = api("POST", "/pages", people["contributeur"], json={
        "title": "Rattachée", "body": "Texte.", "visibility": "membres", "group": "sante-kayes"})
    assert refused.status_code == 403 and "groupe dont vous êtes membre" in refused.json["message"]
    slug = make(api, people["contributeur"])
    response = change(api, people["contributeur"], slug, group="sante-kayes")
    assert response.status_code == 403 and audience(app, slug) == ("membres", None)
    with app.app_context():
        assert db.session.query(Page).filter_by(title="Rattachée").count() == 0


def test_the_form_follows_the_same_rule(app, api, client, auth, people):
    slug = make(api, people["contributeur"], visibility="groupe", group="eau")
    auth.login(people["contributeur"])
    assert client.get(f"/p/{slug}/modifier").status_code == 200
    response = client.post(f"/p/{slug}/modifier", data={
        "title": "Stock de semences", "body": "Texte.", "visibility": "membres", "group": "eau",
        "language": "fr", "base_revision": "1", "summary": ""})
    assert response.status_code == 200 and "changent qui peut lire une page existante" in response.text
    assert audience(app, slug) == ("groupe", "eau")


def test_co_animators_move_a_page_between_members_and_their_group_audited(app, api, people):
    slug = make(api, people["contributeur"])
    assert change(api, people["animateur"], slug, visibility="groupe", group="eau").status_code == 200
    assert audience(app, slug) == ("groupe", "eau")
    assert change(api, people["animateur"], slug, visibility="membres").status_code == 200
    assert change(api, people["animateur"], slug, visibility="public").status_code == 403  # coordinators'
    assert change(api, people["coordinateur"], slug, visibility="public").status_code == 200
    assert change(api, people["animateur"], slug, visibility="membres").status_code == 403
    with app.app_context():
        events = db.session.query(AuditEvent).filter_by(action="page.visibility").order_by(AuditEvent.id).all()
        assert [(e.actor_id, e.details["old"], e.details["new"]) for e in events] == [
            (people["animateur"], "membres", "groupe"), (people["animateur"], "groupe", "membres"),
            (people["coordinateur"], "membres", "public")]


def test_creating_keeps_the_choices_contributors_had(app, api, people):
    assert audience(app, make(api, people["contributeur"], visibility="groupe", group="sante")) == ("groupe", "sante")
    refused = api("POST", "/pages", people["contributeur"], json={"title": "Publique", "body": "x",
                                                                  "visibility": "public"})
    assert refused.status_code == 403
