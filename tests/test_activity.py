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


def _followed_section(html: str) -> str:
    return html.split("Ce que je suis")[1]


def test_follow_a_page_a_group_a_theme_and_read_my_feed(app, login, wiki):
    sud = login(wiki["sud"])
    assert "Mon fil" in _texts(sud.get("/modifications"))
    response = sud.post("/suivre/page/annonce-publique", data={"suite": "/p/annonce-publique"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/p/annonce-publique")
    assert 'aria-pressed="true"' in _texts(sud.get("/p/annonce-publique"))
    feed = _texts(sud.get("/mon-fil"))
    assert "Date de la réunion" in feed  # the followed page's edit
    assert "budget.csv" not in feed.split("Ce que je suis")[0]  # another page, not followed
    assert "Annonce publique" in _followed_section(feed)
    assert sud.post("/suivre/theme/agriculture-et-alimentation").status_code == 302
    assert "budget.csv" in _texts(sud.get("/mon-fil")).split("Ce que je suis")[0]  # the sheet of that theme
    # What they may not read, or what does not exist, cannot be followed.
    assert sud.post("/suivre/page/forage-reserve").status_code == 404
    assert sud.post("/suivre/theme/inconnu").status_code == 404
    assert sud.post("/suivre/autre/x").status_code == 404
    nord = login(wiki["nord"])
    assert nord.post("/suivre/group/eau").status_code == 302
    assert "Forage réservé" in _texts(nord.get("/mon-fil")).split("Ce que je suis")[0]
    sud.post("/ne-plus-suivre/page/annonce-publique")
    assert "Annonce publique" not in _followed_section(_texts(sud.get("/mon-fil")))


def test_what_members_write_they_follow_unless_they_turn_it_off(app, login, wiki):
    sud = login(wiki["sud"])
    assert "Compte rendu des membres" in _followed_section(_texts(sud.get("/mon-fil")))  # created in the fixture
    assert sud.post("/mon-fil/reglages", data={}).status_code == 302  # box unticked
    with app.app_context():
        pages.create_page(author=db.session.get(User, wiki["sud"]), title="Note sans suivi")
    followed = _followed_section(_texts(sud.get("/mon-fil")))
    assert "Note sans suivi" not in followed and 'name="follow_own_edits"' in followed


def test_personal_feeds_hold_what_their_member_may_read(app, client, login, wiki, caplog):
    sud = login(wiki["sud"])
    made = _texts(sud.post("/mon-fil/adresse"))
    everything_url, followed_url, _calendar_url = (line.split('value="')[1].split('"')[0]
                                                   for line in made.splitlines() if "readonly" in line)
    assert "/flux/" in everything_url and everything_url.endswith("/modifications.atom")
    assert "/mon-fil/adresse" not in everything_url
    path = everything_url.split("wiki.test", 1)[1]
    response = client.get(path)  # a feed reader: no cookie
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    titles = " ".join(e.findtext(f"{ATOM}title") for e in ET.fromstring(response.data).iter(f"{ATOM}entry"))
    assert "Compte rendu des membres" in titles and "budget.csv" in titles
    assert "Forage réservé" not in titles and "Brouillon du Nord" not in titles
    followed = ET.fromstring(client.get(followed_url.split("wiki.test", 1)[1]).data)
    assert "Maraîchage" not in " ".join(e.findtext(f"{ATOM}title") for e in followed.iter(f"{ATOM}entry"))
    token = path.split("/")[2]
    assert token not in caplog.text  # the log names the route, never the address
    # A new address revokes the old one; deleting it revokes every one; unknown ones are 404.
    made = _texts(sud.post("/mon-fil/adresse"))
    assert client.get(path).status_code == 404
    path = next(line for line in made.splitlines() if "readonly" in line).split('value="')[1].split('"')[0]
    path = path.split("wiki.test", 1)[1]
    assert client.get(path).status_code == 200
    with app.app_context():
        db.session.get(User, wiki["sud"]).is_enabled = False  # a disabled account's feeds go dark
        db.session.commit()
    assert client.get(path).status_code == 404
    with app.app_context():
        db.session.get(User, wiki["sud"]).is_enabled = True
        db.session.commit()
    sud.post("/mon-fil/adresse/supprimer")
    assert client.get("/flux/inconnu/modifications.atom").status_code == 404
    with app.app_context():
        user = db.session.get(User, wiki["sud"])
        assert user.feed_token_hash is None


def test_an_edit_that_adds_a_voice_says_so(app, login, wiki, api):
    with app.app_context():
        sheet = db.session.scalar(db.select(Page).where(Page.title == "Maraîchage à Ségou"))
        pages.update_page(sheet, author=db.session.get(User, wiki["sud"]), base_revision=sheet.current.number,
                          title=sheet.title, body="", fields={"region": "Ségou", "regard_sud": "Vu de Ségou."},
                          summary="Notre regard")
        pages.update_page(sheet, author=db.session.get(User, wiki["sud"]), base_revision=sheet.current.number,
                          title=sheet.title, body="Encore.", fields={"region": "Ségou", "regard_sud": "Vu de Ségou !"})
    html = _texts(login(wiki["sud"]).get("/modifications?type=edit"))
    assert html.count("Regard du Sud ajouté à") == 1  # the first edit; the second only rewords it
    voices = [c["voice"] for c in api("GET", "/changes?since=2000-01-01T00:00:00Z", wiki["sud"]).json["changes"]
              if c["kind"] == "edit" and c["slug"] == "maraichage-a-segou"]
    assert voices == ["sud", None]
