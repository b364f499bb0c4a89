"""Discussions below pages and sheets: who reads and writes them, replies one level deep,
edits and moderation, and the same audience rule as revisions (search and changes included)."""
from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from wiki import search
from wiki.audit.models import AuditEvent
from wiki.auth.models import User
from wiki.discussions.models import Comment
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.pages.models import Page


@pytest.fixture
def people(make_user):
    return {"coordinator": make_user("coordinateur", "nord"), "nord": make_user("contributeur", "nord", groups_=("eau",)),
            "sud": make_user("contributeur", "sud"), "reader": make_user("lecteur", "sud", groups_=("eau",))}


@pytest.fixture
def public_page(app, people):
    with app.app_context():
        pages.create_page(author=db.session.get(User, people["coordinator"]), title="Réunion annuelle",
                          visibility="public", body="Ordre du jour.")
    return "/p/reunion-annuelle"


def _comment(client, path, body, parent=None):
    data = {"body": body, **({"parent": str(parent)} if parent else {})}
    return client.post(path + "/discussion", data=data)


def _ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Comment.id).order_by(Comment.id)))


def test_members_comment_and_reply_one_level_deep(app, client, login, people, public_page):
    sud, reader = login(people["sud"]), login(people["reader"])
    response = _comment(sud, public_page, "Qui apporte le **compte rendu** ? <script>alert(1)</script>")
    assert response.status_code == 302 and "#commentaire-" in response.headers["Location"]
    first = _ids(app)[0]
    assert _comment(reader, public_page, "Moi, je l'apporte.", parent=first).status_code == 302  # a lecteur too
    reply = _ids(app)[1]
    assert _comment(sud, public_page, "Merci !", parent=reply).status_code == 302  # a reply to a reply…
    with app.app_context():
        assert db.session.get(Comment, _ids(app)[2]).parent_id == first  # …joins the thread
    html = client.get(public_page).text  # anonymous visitors read the discussion of a public page
    assert "<strong>compte rendu</strong>" in html and "<script>alert" not in html
    assert "Moi, je l&#39;apporte." in html or "Moi, je l'apporte." in html
    assert 'name="body"' not in html and "Connectez-vous pour participer" in html
    assert client.post(public_page + "/discussion", data={"body": "Anonyme"}).status_code == 302  # to the login
    assert len(_ids(app)) == 3


def test_a_refused_comment_keeps_its_text(login, people, public_page):
    sud = login(people["sud"])
    response = _comment(sud, public_page, "   ")
    assert response.status_code == 422 and "Le commentaire est vide." in response.text
    long_text = "Très long. " * 600
    response = _comment(sud, public_page, long_text)
    assert response.status_code == 422 and "au plus 5000 caractères" in response.text
    assert long_text.strip()[:200] in response.text  # nothing lost: the form holds it
    assert _comment(sud, "/p/n-existe-pas", "Bonjour").status_code == 404
    assert _comment(sud, public_page, "Une réponse.", parent=10 ** 30).status_code == 302  # not a 500: a comment


def test_authors_edit_and_delete_their_comments_and_coordinators_moderate(app, login, people, public_page):
    sud, nord, coordinator = login(people["sud"]), login(people["nord"]), login(people["coordinator"])
    _comment(sud, public_page, "Premier avis.")
    first = _ids(app)[0]
    _comment(nord, public_page, "Une réponse.", parent=first)
    edit = f"{public_page}/discussion/{first}/modifier"
    assert nord.get(edit).status_code == 403 and nord.post(edit, data={"body": "Pris"}).status_code == 403
    assert sud.post(edit, data={"body": "Premier avis, corrigé."}).status_code == 302
    assert "Premier avis, corrigé." in sud.get(public_page).text and "modifié" in sud.get(public_page).text
    assert coordinator.post(f"{public_page}/discussion/{first}/supprimer").status_code == 302
    html = sud.get(public_page).text
    assert "Premier avis" not in html and "Commentaire supprimé." in html and "Une réponse." in html
    with app.app_context():
        assert db.session.get(Comment, first).is_deleted  # soft: the text stays for the coordinators
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "comment.delete"))
        assert event is not None and event.details["own"] is False
    assert sud.post(f"{public_page}/discussion/{first}/supprimer").status_code == 404  # gone for readers


def test_a_comment_keeps_the_audience_of_its_time(app, client, login, people):
    """Written while the page was reserved to its group, it stays with the group when the page
    is made public: not on the page, not in changes, not in search for the new readers."""
    nord = login(people["nord"])
    with app.app_context():
        page_id = pages.create_page(author=db.session.get(User, people["nord"]), title="Forage de Kati",
                                    visibility="groupe", group=groups.find_group("eau")).id
    _comment(nord, "/p/forage-de-kati", "Le chef de village Moussa a demandé zorglub.")
    with app.app_context():
        page = db.session.get(Page, page_id)
        pages.update_page(page, author=db.session.get(User, people["coordinator"]), base_revision=1,
                          title=page.title, body="Publiable.", visibility="public")
    _comment(login(people["sud"]), "/p/forage-de-kati", "Bravo pour ce forage, plouf.")
    anonymous = client.get("/p/forage-de-kati").text
    assert "plouf" in anonymous and "Moussa" not in anonymous
    assert "Moussa" in nord.get("/p/forage-de-kati").text  # the group still reads it
    assert "Moussa" not in client.get("/modifications").text and "Moussa" not in client.get("/flux/modifications.atom").text
    with app.app_context():
        search.catch_up()
        assert search.search_pages(AnonymousUserMixin(), "plouf").total == 1
        assert search.search_pages(AnonymousUserMixin(), "zorglub").total == 0
        assert search.search_pages(db.session.get(User, people["nord"]), "zorglub").total == 0  # page doc is public


def test_comments_are_in_recent_changes(login, people, public_page):
    sud = login(people["sud"])
    _comment(sud, public_page, "Je serai là avec deux collègues de Kayes.")
    changes = sud.get("/modifications?type=comment").text
    assert "a commenté" in changes and "deux collègues de Kayes" in changes


def test_api_comments(api, people, public_page):
    assert api("POST", "/pages/reunion-annuelle/comments", json={"body": "Anonyme"}).status_code == 401
    created = api("POST", "/pages/reunion-annuelle/comments", people["sud"], json={"body": "Par l'API *aussi*."})
    assert created.status_code == 201 and "<em>aussi</em>" in created.json["html"]
    reply = api("POST", "/pages/reunion-annuelle/comments", people["reader"],
                json={"body": "Réponse.", "parent": created.json["id"]})
    assert reply.status_code == 201 and reply.json["parent"] == created.json["id"]
    listed = api("GET", "/pages/reunion-annuelle/comments").json["comments"]
    assert [c["id"] for c in listed] == [created.json["id"], reply.json["id"]]
    bad = api("POST", "/pages/reunion-annuelle/comments", people["sud"], json={"body": 3})
    assert bad.status_code == 422 and "body" in bad.json["fields"]
    missing = api("POST", "/pages/reunion-annuelle/comments", people["sud"], json={"body": "x", "parent": 999})
    assert missing.status_code == 404
    huge = api("POST", "/pages/reunion-annuelle/comments", people["sud"], json={"body": "x", "parent": 10 ** 30})
    assert huge.status_code == 422 and "parent" in huge.json["fields"]
    assert api("GET", "/pages/n-existe-pas/comments").status_code == 404
