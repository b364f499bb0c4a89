"""News from the field: posted from a phone (plain form or the outbox's JSON), never twice for
one identifier made on the phone, photos without GPS, places by name only, and the audience of
the page when written, everywhere (sheet, group page, network list, photos, map, API)."""
from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from tests.test_attachments import jpeg
from wiki import search
from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.news import geography
from wiki.news.models import News
from wiki.pages import services as pages
from wiki.pages.models import Page
from wiki.policy import VISITOR


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.text)


@pytest.fixture
def field(app, make_user):
    """A sheet in Ségou readable by members, a sheet in Kayes reserved to the « eau » group."""
    ids = {"coordinator": make_user("coordinateur", "nord"), "sud": make_user("contributeur", "sud", groups_=("eau",)),
           "nord": make_user("contributeur", "nord"), "reader": make_user("lecteur", "sud")}
    with app.app_context():
        author = db.session.get(User, ids["coordinator"])
        pages.create_page(author=author, title="Maraîchage à Ségou", kind="fiche", themes=["eau-et-assainissement"],
                          fields={"region": "Ségou"})
        pages.create_page(author=author, title="Forage réservé de Kayes", kind="fiche",
                          themes=["eau-et-assainissement"], fields={"region": "Kayes"}, visibility="groupe",
                          group=groups.find_group("eau"))
        search.catch_up()
    return ids


def test_post_news_without_javascript_with_a_photo_stripped_of_gps(login, field, app):
    sud = login(field["sud"])
    response = sud.post("/p/maraichage-a-segou/nouvelles", content_type="multipart/form-data", data={
        "text": "Les **premières salades** sont vendues au marché.", "kind": "reussite", "commune": "Pelengana",
        "photos": [(io.BytesIO(jpeg((900, 600))), "salades.jpg")]})
    assert response.status_code == 302 and response.headers["Location"].endswith("#nouvelles")
    page = _text(sud.get("/p/maraichage-a-segou"))
    assert "premières salades" in page and "<strong>premières salades</strong>" in sud.get(
        "/p/maraichage-a-segou").text and "Pelengana" in page and "Réussite" in page
    with app.app_context():
        [photo] = db.session.scalars(db.select(News)).one().photos
        photo_id = photo.id
    served = sud.get(f"/nouvelles/photo/{photo_id}")
    data = served.get_data()
    served.close()  # a file response: its handle is released here
    assert served.status_code == 200 and served.mimetype == "image/webp"
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo) and max(image.size) <= 1600
    assert b"GPS" not in data and b"SN-0042" not in data
    thumbnail = sud.get(f"/nouvelles/photo/{photo_id}/miniature")
    thumbnail.get_data()
    thumbnail.close()
    assert thumbnail.status_code == 200


def test_the_same_phone_identifier_never_makes_two_news(login, field, app):
    sud = login(field["sud"])
    form = {"text": "Réunion du comité de gestion ce matin.", "client_id": "tel-8f2c1a9e-0001"}
    first = sud.post("/p/maraichage-a-segou/nouvelles", data=form, headers={"Accept": "application/json"})
    again = sud.post("/p/maraichage-a-segou/nouvelles", data=form, headers={"Accept": "application/json"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"] and again.json["created"] is False
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(News)) == 1


@pytest.mark.parametrize("form, key", [
    ({"text": ""}, "text"),
    ({"text": "x" * 1501}, "text"),
    ({"text": "Le puits est à 14.3521, -4.1876 derrière l'école."}, "text"),
    ({"text": "Puits neuf.", "commune": "14°21'N 4°11'W"}, "commune"),
    ({"text": "Puits neuf.", "kind": "rumeur"}, "kind"),
    ({"text": "Puits neuf.", "client_id": "<script>"}, "client_id"),
])
def test_bad_news_is_refused_with_a_message_and_nothing_lost(login, field, form, key):
    sud = login(field["sud"])
    as_json = sud.post("/p/maraichage-a-segou/nouvelles", data=form, headers={"Accept": "application/json"})
    assert as_json.status_code == 422 and key in as_json.json["fields"]
    page = sud.post("/p/maraichage-a-segou/nouvelles", data=form)
    assert page.status_code == 422
    if form["text"]:
        assert html.escape(form["text"][:40], quote=False) in page.text  # the text typed is given back


def test_who_may_post_and_who_may_read(client, login, field, app):
    assert login(field["reader"]).post("/p/maraichage-a-segou/nouvelles", data={"text": "x"}).status_code == 403
    assert login(field["nord"]).post("/p/forage-reserve-de-kayes/nouvelles", data={"text": "x"}).status_code == 404
    sud = login(field["sud"])
    sud.post("/p/forage-reserve-de-kayes/nouvelles", data={"text": "La pompe de Kayes est réparée.",
                                                            "photos": (io.BytesIO(jpeg()), "pompe.jpg")},
             content_type="multipart/form-data")
    sud.post("/p/maraichage-a-segou/nouvelles", data={"text": "Vente au marché de Ségou."})
    with app.app_context():
        photo_id = db.session.scalars(db.select(News).where(News.text.contains("Kayes"))).one().photos[0].id
    for reader in (client, login(field["nord"])):
        listing = _text(reader.get("/nouvelles"))
        assert "pompe de Kayes" not in listing
        assert reader.get(f"/nouvelles/photo/{photo_id}").status_code == 404
        assert ">Kayes</a> :" not in _text(reader.get("/carte"))  # the map's text lists
    assert "Vente au marché" not in _text(client.get("/nouvelles"))  # a members' sheet
    assert ">Kayes</a> : 1" in _text(sud.get("/carte"))
    member_view = _text(sud.get("/nouvelles"))
    assert "pompe de Kayes" in member_view and "Vente au marché" in member_view
    assert "pompe de Kayes" in _text(sud.get("/nouvelles?region=Kayes"))
    assert "Vente au marché" not in _text(sud.get("/nouvelles?region=Kayes"))
    assert "pompe de Kayes" in _text(sud.get("/nouvelles?groupe=eau"))
    assert "pompe de Kayes" not in _text(sud.get("/nouvelles?cote=nord"))
    assert "pompe de Kayes" in _text(sud.get("/groupes/eau"))


def test_a_news_item_keeps_the_audience_it_was_written_for(login, client, field, app):
    sud = login(field["sud"])
    sud.post("/p/forage-reserve-de-kayes/nouvelles", data={"text": "Noms des partenaires de Kayes."})
    with app.app_context():
        page = db.session.scalar(db.select(Page).where(Page.slug == "forage-reserve-de-kayes"))
        pages.update_page(page, author=db.session.get(User, field["coordinator"]), base_revision=1,
                          title=page.title, body="Version publique.", visibility="public", group=None)
    assert client.get("/p/forage-reserve-de-kayes").status_code == 200  # now public
    assert "Noms des partenaires" not in _text(client.get("/p/forage-reserve-de-kayes"))
    assert "Noms des partenaires" not in _text(client.get("/nouvelles"))
    assert "Noms des partenaires" in _text(sud.get("/p/forage-reserve-de-kayes"))


def test_the_map_counts_what_the_reader_may_read(login, client, field, app):
    login(field["sud"]).post("/p/forage-reserve-de-kayes/nouvelles", data={"text": "Pompe réparée."})
    with app.app_context():
        member = db.session.get(User, field["sud"])
        assert geography.sheets_by_region(member) == {"Ségou": 1, "Kayes": 1}
        assert geography.news_by_region(member) == {"Kayes": 1}
        assert geography.sheets_by_region(db.session.get(User, field["nord"])) == {"Ségou": 1}
        assert geography.sheets_by_region(VISITOR) == {}
    svg = login(field["sud"]).get("/carte").text
    assert svg.count('class="map-bubble"') == 3  # Ségou and Kayes sheets, Kayes news
    assert "/recherche?region=Kayes" in svg and "<svg" in svg and "http" not in svg.split("<svg", 1)[1].split(
        "</svg>")[0].replace("http://www.w3.org", "")
    assert 'class="map-bubble"' not in client.get("/carte").text  # a visitor reads none of them


def test_news_through_the_api(api, field, app):
    sud, nord = field["sud"], field["nord"]
    posted = api("POST", "/pages/maraichage-a-segou/news", user_id=sud, json={
        "text": "Le comité a fixé le prix de l'eau.", "kind": "avancement", "client_id": "api-0000-0001"})
    assert posted.status_code == 201, posted.json
    again = api("POST", "/pages/maraichage-a-segou/news", user_id=sud, json={
        "text": "Le comité a fixé le prix de l'eau.", "client_id": "api-0000-0001"})
    assert again.status_code == 200 and again.json["id"] == posted.json["id"]
    multipart = api("POST", "/pages/forage-reserve-de-kayes/news", user_id=sud, content_type="multipart/form-data",
                    data={"text": "Photo de la pompe.", "client_id": "api-0000-0002",
                          "photos": [(io.BytesIO(jpeg()), "a.jpg"), (io.BytesIO(jpeg()), "b.jpg")]})
    assert multipart.status_code == 201, multipart.json
    assert len(multipart.json["photos"]) == 2
    photo = api("GET", multipart.json["photos"][0]["url"].removeprefix("http://wiki.test/api/v1"), user_id=sud)
    photo.get_data(), photo.close()
    assert photo.status_code == 200 and photo.mimetype == "image/webp"
    hidden = api("GET", multipart.json["photos"][0]["url"].removeprefix("http://wiki.test/api/v1"), user_id=nord)
    assert hidden.status_code == 404
    assert [n["text"] for n in api("GET", "/news", user_id=nord).json["news"]] == ["Le comité a fixé le prix de l'eau."]
    assert len(api("GET", "/news?group=eau", user_id=sud).json["news"]) == 1
    assert len(api("GET", "/news?region=S%C3%A9gou", user_id=sud).json["news"]) == 1
    assert api("GET", "/news?since=2999-01-01T00:00:00", user_id=sud).json["news"] == []
    assert api("GET", "/news").json["news"] == []  # visitors: members' pages only here
    assert api("POST", "/pages/maraichage-a-segou/news", user_id=field["reader"], json={"text": "x"}).status_code == 403
    coordinates = api("POST", "/pages/maraichage-a-segou/news", user_id=sud, json={"text": "Ici : 14.35, -4.18"})
    assert coordinates.status_code == 422 and "text" in coordinates.json["fields"]


def test_search_offers_the_map_as_a_facet(login, field):
    text = _text(login(field["sud"]).get("/recherche?q=forage+maraichage"))
    facet = text.split('class="map-facet"', 1)[1].split("</details>", 1)[0]
    assert "<svg" in facet and "region=Kayes" in facet


def test_a_refused_news_leaves_no_photo_behind(login, field, app):
    sud = login(field["sud"])
    refused = sud.post("/p/maraichage-a-segou/nouvelles", content_type="multipart/form-data", data={
        "text": "Deux pièces jointes.", "photos": [(io.BytesIO(jpeg()), "a.jpg"), (io.BytesIO(b"%PDF-1.4 x"), "b.pdf")]})
    assert refused.status_code == 422 and "Seules des photos" in html.unescape(refused.text)
    uploads = app.config["UPLOADS_DIR"]
    assert not list(Path(uploads).rglob("*.webp"))


def test_recent_changes_and_feeds_show_news_to_whoever_may_read_them(login, client, field, api):
    sud = login(field["sud"])
    sud.post("/p/maraichage-a-segou/nouvelles", data={"text": "Vente des salades au marché."})
    sud.post("/p/forage-reserve-de-kayes/nouvelles", data={"text": "Noms des partenaires de Kayes."})
    changes = _text(login(field["nord"]).get("/modifications?type=news"))
    assert "a donné des nouvelles du terrain sur" in changes and "Maraîchage à Ségou" in changes
    assert "Forage réservé" not in changes
    member = [c for c in api("GET", "/changes?since=2000-01-01T00:00:00", user_id=field["sud"]).json["changes"]
              if c["kind"] == "news"]
    assert {c["summary"] for c in member} == {"Vente des salades au marché.", "Noms des partenaires de Kayes."}
    outsider = [c for c in api("GET", "/changes?since=2000-01-01T00:00:00", user_id=field["nord"]).json["changes"]
                if c["kind"] == "news"]
    assert [c["summary"] for c in outsider] == ["Vente des salades au marché."]
    assert "Vente des salades" not in client.get("/flux/modifications.atom").text  # a members' sheet
