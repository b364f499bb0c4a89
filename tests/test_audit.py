"""The audit log: services record coordinator actions in the same transaction as the change,
and coordinators read them on /admin/journal."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from wiki.audit import services as audit
from wiki.audit.models import AuditEvent
from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.policy import SYSTEM


@pytest.fixture
def people(make_user):
    return {"lecteur": make_user("lecteur"), "contributeur": make_user("contributeur", "sud", groups_=("eau",)),
            "coordinateur": make_user("coordinateur")}


@pytest.fixture
def page_slug(app, people):
    with app.app_context():
        author = db.session.get(User, people["contributeur"])
        return pages.create_page(author=author, title="Puits de Kayes", body="Texte.").slug


def events(app, action: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        found = list(db.session.scalars(query))
        db.session.expunge_all()
        return found


# --------------------------------------------------------------------------- record()


def test_record_does_not_commit(app, people):
    with app.app_context():
        actor = db.session.get(User, people["coordinateur"])
        audit.record(actor, "user.role", "user:1", {"old": "lecteur", "new": "contributeur"})
        db.session.rollback()  # the calling service failed: no trace of a change that did not happen
    assert [e for e in events(app) if e.action == "user.role"] == []
    with app.app_context():
        actor = db.session.get(User, people["coordinateur"])
        audit.record(actor, "user.role", "user:1", {"old": "lecteur", "new": "contributeur"})
        db.session.commit()
    (event,) = [e for e in events(app) if e.action == "user.role"]
    assert (event.actor_id, event.action, event.target) == (people["coordinateur"], "user.role", "user:1")
    assert event.details == {"old": "lecteur", "new": "contributeur"} and event.address == ""
    assert event.created_at is not None


def test_record_without_actor_and_with_long_values(app):
    with app.app_context():
        audit.record(None, "x" * 100, "t" * 500)
        db.session.commit()
    (event,) = events(app)
    assert event.actor_id is None and len(event.action) == 60 and len(event.target) == 200 and event.details == {}


def test_record_takes_the_address_of_the_request(app, people):
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "41.73.112.9"}):
        audit.record(db.session.get(User, people["coordinateur"]), "user.side", "user:2")
        db.session.commit()
    assert events(app, "user.side")[0].address == "41.73.112.9"


def test_list_events_pages_and_filters(app):
    with app.app_context():
        for n in range(7):
            audit.record(None, "page.delete" if n % 2 else "page.restore", f"page:{n}")
        db.session.commit()
        items, total = audit.list_events(1, 3)
        assert total == 7 and [e.target for e in items] == ["page:6", "page:5", "page:4"]
        items, total = audit.list_events(3, 3)
        assert [e.target for e in items] == ["page:0"]
        items, total = audit.list_events(1, 10, action="page.delete")
        assert total == 3 and {e.action for e in items} == {"page.delete"}
        _, total = audit.list_events(1, 10, action="page.")
        assert total == 7
        _, total = audit.list_events(1, 10, action="user.")
        assert total == 0
        assert audit.list_actions() == ["page.delete", "page.restore"]


# --------------------------------------------------------------------------- page services


def test_delete_and_restore_are_recorded_with_the_change(app, client, auth, people, page_slug):
    auth.login(people["coordinateur"])
    assert client.post(f"/p/{page_slug}/supprimer").status_code == 302
    assert client.post(f"/p/{page_slug}/retablir").status_code == 302
    deleted, restored = events(app)
    assert (deleted.action, restored.action) == ("page.delete", "page.restore")
    assert deleted.target == restored.target == f"page:{page_slug}"
    assert deleted.actor_id == people["coordinateur"] and deleted.details == {"title": "Puits de Kayes"}
    assert deleted.address == "127.0.0.1"


def test_refused_delete_leaves_no_trace(app, client, auth, people, page_slug):
    auth.login(people["contributeur"])
    assert client.post(f"/p/{page_slug}/supprimer").status_code == 403
    assert events(app) == []


def test_visibility_change_is_recorded_with_old_and_new(app, api, people, page_slug):
    response = api("PUT", f"/pages/{page_slug}", people["coordinateur"], json={"visibility": "public",
                                                                                "base_revision": 1})
    assert response.status_code == 200
    response = api("PUT", f"/pages/{page_slug}", people["coordinateur"],
                   json={"visibility": "groupe", "group": "eau", "base_revision": 2})
    assert response.status_code == 200
    first, second = events(app, "page.visibility")
    assert first.details == {"title": "Puits de Kayes", "old": "membres", "new": "public",
                             "old_group": None, "new_group": None}
    assert first.actor_id == second.actor_id == people["coordinateur"]
    assert (second.details["old"], second.details["new"], second.details["new_group"]) == ("public", "groupe", "eau")


def test_edit_without_visibility_change_is_not_recorded(app, api, people, page_slug):
    assert api("PUT", f"/pages/{page_slug}", people["contributeur"],
               json={"body": "Autre texte.", "base_revision": 1}).status_code == 200
    assert events(app) == []


def test_refused_visibility_change_leaves_no_trace(app, api, people, page_slug):
    response = api("PUT", f"/pages/{page_slug}", people["contributeur"], json={"visibility": "public",
                                                                                "base_revision": 1})
    assert response.status_code == 403
    assert events(app) == []


def test_group_change_of_a_group_page_is_recorded(app, people):
    with app.app_context():
        coordinator = db.session.get(User, people["coordinateur"])
        eau = groups.find_group("eau")
        sante = groups.create_group(name="Santé", by=SYSTEM)
        page = pages.create_page(author=coordinator, title="Réservée", visibility="groupe", group=eau)
        pages.update_page(page, author=coordinator, base_revision=1, title="Réservée", body="", group=sante)
    (event,) = events(app, "page.visibility")
    assert (event.details["old_group"], event.details["new_group"]) == ("eau", "sante")


# --------------------------------------------------------------------------- the journal page


@pytest.mark.parametrize("persona, status", [("visitor", 302), ("lecteur", 403), ("contributeur", 403),
                                             ("coordinateur", 200)])
def test_journal_is_for_coordinators(client, auth, people, persona, status):
    if persona != "visitor":
        auth.login(people[persona])
    response = client.get("/admin/journal/")
    assert response.status_code == status
    if persona == "visitor":
        assert "/connexion" in response.headers["Location"]
    assert response.headers["Cache-Control"] == "no-store"


def test_journal_lists_who_when_what_target_address(app, client, auth, people, page_slug):
    auth.login(people["coordinateur"])
    client.post(f"/p/{page_slug}/supprimer")
    with app.app_context():
        audit.record(None, "user.role", "user:99", {"old": "lecteur", "new": "coordinateur"})
        db.session.commit()
    html = client.get("/admin/journal/").text
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]  # after the header row
    assert len(rows) == 2
    newest, oldest = rows
    assert "Rôle changé" in newest and "ligne de commande" in newest and "user:99" in newest
    assert "coordinateur" in newest  # details
    assert "Page supprimée" in oldest and f"page:{page_slug}" in oldest and "127.0.0.1" in oldest
    assert "Coordinateur" in oldest  # the actor's name
    months = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre")
    assert re.search(rf"\d{{1,2}} ({months}) \d{{4}}, \d{{1,2}} h \d{{2}}", oldest)


def test_journal_paginates_and_filters(app, client, auth, people):
    with app.app_context():
        for n in range(app.config["PER_PAGE"] + 5):
            audit.record(None, "page.delete" if n % 5 else "page.restore", f"page:p{n}")
        db.session.commit()
    auth.login(people["coordinateur"])
    first = client.get("/admin/journal/")
    assert first.text.count("<tr>") == app.config["PER_PAGE"] + 1 and "Page 1 sur 2" in first.text
    assert 'href="/admin/journal/?page=2"' in first.text
    second = client.get("/admin/journal/?page=2")
    assert second.text.count("<tr>") == 5 + 1
    restored = client.get("/admin/journal/?action=page.restore")
    assert restored.text.count("Page rétablie") >= 7 and "Page supprimée</td>" not in restored.text
    assert client.get("/admin/journal/?page=abc").status_code == 200


def test_journal_escapes_details(app, client, auth, people):
    with app.app_context():
        audit.record(None, "page.delete", "page:x", {"title": "<script>alert(1)</script>"})
        db.session.commit()
    auth.login(people["coordinateur"])
    html = client.get("/admin/journal/").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_coordination_page_links_to_the_journal(client, auth, people):
    auth.login(people["coordinateur"])
    assert 'href="/admin/journal/"' in client.get("/admin/").text


def test_account_changes_from_the_admin_page_are_recorded(app, client, auth, make_user):
    coordinator, member = make_user("coordinateur"), make_user("lecteur", "nord")
    auth.login(coordinator)
    client.post("/admin/utilisateurs", data={"email": "nouveau@example.ml", "name": "Nouveau", "side": "sud",
                                             "role": "contributeur", "organisation": ""})
    client.post(f"/admin/utilisateurs/{member}", data={"name": "Membre", "side": "sud", "role": "contributeur",
                                                       "organisation": "", "is_enabled": "y"})
    assert [e.details["email"] for e in events(app, "user.create")] == ["nouveau@example.ml"]
    (role,) = events(app, "user.role")
    assert (role.actor_id, role.target, role.details["old"], role.details["new"]) == (
        coordinator, f"user:{member}", "lecteur", "contributeur")
    assert events(app, "user.side")[0].details["new"] == "sud"
