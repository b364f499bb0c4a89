"""« Modifications récentes », its public Atom feed and GET /api/v1/changes: every change a
reader may read (new pages, edits, validations, attached files), never one they may not."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

from wiki.attachments import services as attachments
from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.pages.models import Page

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def wiki(app, make_user):
    """A public page, a members' page, a page reserved to the « eau » group, a Nord draft and
    a Nord sheet validated by the Sud, with an attached file; who wrote them."""
    ids = {"coordinator": make_user("coordinateur", "nord"), "nord": make_user("contributeur", "nord", groups_=("eau",)),
           "sud": make_user("contributeur", "sud")}
    with app.app_context():
        people = {name: db.session.get(User, user_id) for name, user_id in ids.items()}
        public = pages.create_page(author=people["coordinator"], title="Annonce publique", visibility="public")
        pages.create_page(author=people["sud"], title="Compte rendu des membres", summary="Premier jet")
        pages.create_page(author=people["nord"], title="Forage réservé", visibility="groupe",
                          group=groups.find_group("eau"))
        pages.create_page(author=people["nord"], title="Brouillon du Nord", kind="fiche", themes=["eau"],
                          fields={"region": "Kayes"}, status="brouillon")
        sheet = pages.create_page(author=people["nord"], title="Maraîchage à Ségou", kind="fiche",
                                  themes=["agriculture-et-alimentation"], fields={"region": "Ségou"})
        pages.validate_sheet(sheet, by=people["sud"])
        attachments.upload(sheet, people["sud"], io.BytesIO(b"commune;cout\nSegou;1200\n"), "budget.csv")
        pages.update_page(public, author=people["coordinator"], base_revision=1, title=public.title,
                          body="Réunion le 12.", summary="Date de la réunion")
    return ids


def _texts(response) -> str:
    assert response.status_code == 200
    return response.text


def test_each_reader_sees_the_changes_they_may_read(client, login, wiki):
    anonymous = _texts(client.get("/modifications"))
    assert "Annonce publique" in anonymous and "Date de la réunion" in anonymous
    for hidden in ("Compte rendu des membres", "Forage réservé", "Brouillon du Nord", "Maraîchage"):
        assert hidden not in anonymous
    sud = _texts(login(wiki["sud"]).get("/modifications"))
    assert "Compte rendu des membres" in sud and "Maraîchage à Ségou" in sud and "budget.csv" in sud
    assert "validée par" in sud
    assert "Forage réservé" not in sud and "Brouillon du Nord" not in sud
    nord = _texts(login(wiki["nord"]).get("/modifications"))
    assert "Forage réservé" in nord and "Brouillon du Nord" in nord  # their group, their own draft


def test_filters_narrow_the_changes(login, wiki):
    sud = login(wiki["sud"])
    edits = _texts(sud.get("/modifications?type=edit"))
    assert "Date de la réunion" in edits and "Compte rendu des membres" not in edits
    files = _texts(sud.get("/modifications?type=attachment"))
    assert "budget.csv" in files and "Annonce publique" not in files
    by_sud = _texts(sud.get("/modifications?cote=sud"))
    assert "Compte rendu des membres" in by_sud and "Annonce publique" not in by_sud
    themed = _texts(sud.get("/modifications?theme=agriculture-et-alimentation"))
    assert "Maraîchage à Ségou" in themed and "Compte rendu des membres" not in themed
    nord = login(wiki["nord"])
    group = _texts(nord.get("/modifications?groupe=eau"))
    assert "Forage réservé" in group and "Annonce publique" not in group
    # Values the lists do not offer count as « Tous »; a page beyond the last is empty.
    assert "Annonce publique" in _texts(sud.get("/modifications?type=autre&cote=est&groupe=inconnu&page=abc"))
    assert "Aucune modification" in _texts(sud.get("/modifications?page=999"))


def test_a_revision_saved_while_reserved_stays_out_of_public_changes(app, client, wiki):
    with app.app_context():
        page = db.session.scalar(db.select(Page).where(Page.title == "Forage réservé"))
        pages.update_page(page, author=db.session.get(User, wiki["coordinator"]), base_revision=1, title=page.title,
                          body="Texte publiable.", visibility="public", summary="Rendue publique")
    anonymous = _texts(client.get("/modifications"))
    assert "Rendue publique" in anonymous  # the revision that made it public…
    assert anonymous.count(">Forage réservé</a>") == 1  # …and not its creation, saved for the group


def test_public_feed_is_atom_with_public_changes_only(client, login, wiki):
    for reader in (client, login(wiki["nord"])):  # the feed is the same for everyone
        response = reader.get("/flux/modifications.atom")
        assert response.status_code == 200 and response.mimetype == "application/atom+xml"
        feed = ET.fromstring(response.data)
        titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
        assert titles and all("Annonce publique" in title for title in titles), titles
        links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
        assert all(href.startswith("http") for href in links)
        ids = [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
        assert len(set(ids)) == len(ids)


def test_changes_page_is_paginated(app, login, wiki):
    with app.app_context():
        author = db.session.get(User, wiki["sud"])
        for n in range(60):
            pages.create_page(author=author, title=f"Note {n:02d}")
    sud = login(wiki["sud"])
    first, second = _texts(sud.get("/modifications")), _texts(sud.get("/modifications?page=2"))
    assert "Note 59" in first and "Note 00" not in first and "Note 00" in second


def test_api_changes_read_on_from_since(api, wiki):
    assert api("GET", "/changes").status_code == 400  # `since` is required
    assert api("GET", "/changes?since=hier").status_code == 400
    everything = api("GET", "/changes?since=2000-01-01T00:00:00Z", wiki["sud"]).json
    kinds = [c["kind"] for c in everything["changes"]]
    assert {"creation", "edit", "validation", "attachment"} <= set(kinds)
    times = [c["at"] for c in everything["changes"]]
    assert times == sorted(times) and everything["next_since"] == times[-1]
    assert not {c["title"] for c in everything["changes"]} & {"Forage réservé", "Brouillon du Nord"}
    first = api("GET", "/changes?since=2000-01-01T00:00:00Z&limit=2", wiki["sud"]).json
    rest = api("GET", f"/changes?since={first['next_since']}", wiki["sud"]).json
    assert [c["id"] for c in first["changes"] + rest["changes"]] == [c["id"] for c in everything["changes"]]
    public = api("GET", "/changes?since=2000-01-01T00:00:00%2B02:00").json
    assert {c["title"] for c in public["changes"]} == {"Annonce publique"}
    assert api("GET", "/changes?since=2999-01-01T00:00:00").json == {"changes": [], "next_since": None}
