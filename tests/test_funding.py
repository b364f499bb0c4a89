"""Calls for funding: open calls by deadline, filters (theme, region, eligibility, funder),
closed calls as history, « nous préparons une réponse », the sheets a funder already
supported, the home page's reminders, and the same audience as pages everywhere."""
from __future__ import annotations

import html
from datetime import timedelta

import pytest

from wiki import search
from wiki.activity import follows
from wiki.auth.models import User
from wiki.errors import ValidationError
from wiki.extensions import db
from wiki.funding import services as funding
from wiki.funding.fields import clean_call_fields
from wiki.groups import services as groups
from wiki.models import utcnow
from wiki.pages import services as pages


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.text).replace("\u202f", " ").replace("\xa0", " ")


def _day(days: int) -> str:
    return (utcnow().date() + timedelta(days=days)).isoformat()


@pytest.fixture
def calls(app, make_user):
    """Three open calls (Nord, Sud, joint), a closed one, one reserved to the « eau » group,
    and a sheet funded by the Agence de l'eau."""
    ids = {"coordinator": make_user("coordinateur", "nord"), "member": make_user("contributeur", "sud", groups_=("eau",)),
           "reader": make_user("lecteur", "nord"), "outsider": make_user("contributeur", "nord")}
    with app.app_context():
        author = db.session.get(User, ids["coordinator"])

        def call(title, days, eligibility, funder, themes=("eau-et-assainissement",), regions=("Kayes",), **more):
            fields = {"funder": funder, "closes_on": _day(days), "eligibility": list(eligibility),
                      "regions": list(regions), "amount_max": 20000}
            return pages.create_page(author=author, title=title, kind="appel", themes=list(themes), fields=fields,
                                     **more)
        ids["far"] = call("Coopération décentralisée 2027", 60, ["nord", "conjoint"], "Ministère des Affaires étrangères",
                          themes=["gouvernance-locale"], regions=[]).id
        ids["near"] = call("Accès à l'eau en zone rurale", 10, ["sud"], "Agence de l'eau Seine-Normandie").id
        ids["joint"] = call("Fonds conjoint jeunesse", 20, ["conjoint"], "Région Bourgogne-Franche-Comté",
                            themes=["education"], regions=["Ségou"], visibility="public").id
        ids["closed"] = call("Appel 2025 clos", -3, ["nord"], "Agence de l'eau Seine-Normandie").id
        ids["reserved"] = call("Appel réservé au groupe eau", 15, ["sud"], "Fondation discrète",
                               visibility="groupe", group=groups.find_group("eau")).id
        pages.create_page(author=author, title="Forage de Kayes", kind="fiche", themes=["eau"],
                          fields={"region": "Kayes", "funders": "Agence de l'eau Seine-Normandie, commune de Dijon"})
        search.catch_up()
    return ids


def test_open_calls_by_nearest_deadline_and_closed_ones_as_history(app, client, login, calls):
    text = _text(login(calls["member"]).get("/appels"))
    order = [text.index(t) for t in ("Accès à l'eau", "Appel réservé au groupe eau", "Fonds conjoint",
                                     "Coopération décentralisée", "Appel 2025 clos")]
    assert order == sorted(order)
    assert "10 jours" in text and "20 000 €" in text
    outsider = _text(login(calls["outsider"]).get("/appels"))
    assert "Appel réservé" not in outsider and "Fondation discrète" not in outsider
    anonymous = _text(client.get("/appels"))
    assert "Fonds conjoint jeunesse" in anonymous and "Accès à l'eau" not in anonymous


@pytest.mark.parametrize("query, expected", [
    ("eligibilite=sud", {"Accès à l'eau en zone rurale", "Appel réservé au groupe eau"}),
    ("eligibilite=conjoint", {"Coopération décentralisée 2027", "Fonds conjoint jeunesse"}),
    ("eligibilite=nord", {"Coopération décentralisée 2027"}),
    ("theme=education", {"Fonds conjoint jeunesse"}),
    ("region=S%C3%A9gou", {"Fonds conjoint jeunesse"}),
    ("financeur=agence+de+l%27eau", {"Accès à l'eau en zone rurale"}),
    ("eligibilite=nord&theme=education", set()),
])
def test_call_filters(login, calls, query, expected, app):
    member = login(calls["member"])
    text = _text(member.get(f"/appels?{query}"))
    open_part = text[:text.index("Appels clos")]
    titles = {"Accès à l'eau en zone rurale", "Appel réservé au groupe eau", "Coopération décentralisée 2027",
              "Fonds conjoint jeunesse"}
    assert {t for t in titles if t in open_part} == expected


def test_preparing_an_answer_is_shown_with_organisation_and_side(client, login, calls):
    slug = "fonds-conjoint-jeunesse"
    reader = login(calls["reader"])  # lecteurs take part too
    assert reader.post(f"/p/{slug}/interet").status_code == 302
    assert reader.post(f"/p/{slug}/interet").status_code == 302  # twice is once
    text = _text(login(calls["member"]).get(f"/p/{slug}"))
    assert "Lecteur 3" in text and "Nous préparons une réponse" in text
    anonymous = _text(client.get(f"/p/{slug}"))
    assert "1 structure prépare une réponse." in anonymous and "Lecteur 3" not in anonymous
    reader.post(f"/p/{slug}/interet", data={"preparing": "0"})
    assert "Personne ne l'a encore signalé" in _text(client.get(f"/p/{slug}"))
    assert client.post(f"/p/{slug}/interet").status_code == 302  # visitors: to the login page


def test_a_call_shows_the_sheets_its_funder_supported(login, calls):
    text = _text(login(calls["member"]).get("/p/acces-a-l-eau-en-zone-rurale"))
    assert "Forage de Kayes" in text
    other = _text(login(calls["member"]).get("/p/fonds-conjoint-jeunesse"))
    assert "Forage de Kayes" not in other and "Aucune fiche ne cite ce financeur" in other


def test_deadlines_on_followed_themes_show_on_the_home_page(app, login, calls):
    with app.app_context():
        member = db.session.get(User, calls["member"])
        follows.follow(member, "theme", "eau-et-assainissement")
        soon = funding.closing_soon_for(member, utcnow().date(), follows.followed(member).themes)
        assert [c.page.title for c in soon] == ["Accès à l'eau en zone rurale", "Appel réservé au groupe eau"]
        earlier = funding.closing_soon_for(member, utcnow().date() - timedelta(days=25),
                                           frozenset({"eau-et-assainissement"}))
        assert [c.page.title for c in earlier] == ["Appel 2025 clos"]  # 22 days ahead then; the others 35 and 40
    home = _text(login(calls["member"]).get("/"))
    reminders = home[home.index('id="deadlines"'):].split("</section>")[0]
    assert "Accès à l'eau en zone rurale" in reminders and "Coopération décentralisée" not in reminders
    assert 'id="deadlines"' not in _text(login(calls["outsider"]).get("/"))  # follows no theme


@pytest.mark.parametrize("fields, key", [
    ({"closes_on": "2027-04-01", "eligibility": ["nord"]}, "funder"),
    ({"funder": "AFD", "eligibility": ["nord"]}, "closes_on"),
    ({"funder": "AFD", "closes_on": "1er avril", "eligibility": ["nord"]}, "closes_on"),
    ({"funder": "AFD", "closes_on": "2027-04-01"}, "eligibility"),
    ({"funder": "AFD", "closes_on": "2027-04-01", "eligibility": ["est"]}, "eligibility"),
    ({"funder": "AFD", "closes_on": "2027-04-01", "eligibility": ["sud"], "amount_min": "-5"}, "amount_min"),
    ({"funder": "AFD", "closes_on": "2027-04-01", "eligibility": ["sud"], "amount_min": 9, "amount_max": 3},
     "amount_max"),
    ({"funder": "AFD", "closes_on": "2027-04-01", "eligibility": ["sud"], "amount_max": 3, "currency": "USD"},
     "currency"),
    ({"funder": "AFD", "closes_on": "2027-04-01", "opens_on": "2027-05-01", "eligibility": ["sud"]}, "closes_on"),
    ({"funder": "AFD", "closes_on": "2027-04-01", "eligibility": ["sud"], "link": "ftp://x"}, "link"),
])
def test_bad_call_fields_are_refused(fields, key):
    with pytest.raises(ValidationError) as refused:
        clean_call_fields(fields)
    assert key in refused.value.errors


def test_amounts_in_francs_cfa(login, app, calls):
    contributor = login(calls["member"])
    form = {"title": "Appel du fonds malien", "funder": "ANICT", "closes_on": _day(40), "eligibility": ["sud"],
            "amount_min": "5 000 000", "amount_max": "25000000", "currency": "XOF", "visibility": "membres",
            "language": "fr"}
    bad = contributor.post("/appels/nouveau", data={**form, "closes_on": "bientôt"})
    assert "Une date est attendue" in _text(bad) and "ANICT" in bad.text
    created = contributor.post("/appels/nouveau", data=form)
    assert created.status_code == 302
    text = _text(contributor.get(created.headers["Location"]))
    assert "de 5 000 000 F CFA à 25 000 000 F CFA" in text


def test_calls_through_the_api(api, calls, app):
    listed = api("GET", "/calls?eligibility=sud", user_id=calls["outsider"]).json["calls"]
    assert [c["title"] for c in listed] == ["Accès à l'eau en zone rurale"]  # not the group's call
    closed = api("GET", "/calls?closed=true", user_id=calls["member"]).json["calls"]
    assert [c["title"] for c in closed] == ["Appel 2025 clos"]
    assert api("GET", f"/calls/{calls['reserved']}", user_id=calls["outsider"]).status_code == 404
    assert api("POST", f"/calls/{calls['reserved']}/interest", user_id=calls["outsider"]).status_code == 404
    detail = api("GET", f"/calls/{calls['near']}", user_id=calls["member"]).json
    assert detail["funded_sheets"] == ["forage-de-kayes"] and detail["preparing"] == 0
    state = api("POST", f"/calls/{calls['near']}/interest", user_id=calls["member"], json={"preparing": True}).json
    assert state == {"preparing": True, "count": 1}
    created = api("POST", "/calls", user_id=calls["member"], json={
        "title": "Appel PAISD", "themes": ["eau-et-assainissement"],
        "fields": {"funder": "PAISD", "closes_on": _day(30), "eligibility": ["conjoint"], "amount_max": 50000}})
    assert created.status_code == 201, created.json
    bad = api("POST", "/calls", user_id=calls["member"], json={"title": "Sans date", "fields": {"funder": "X",
                                                                                               "eligibility": ["sud"]}})
    assert bad.status_code == 422 and "fields.closes_on" in bad.json["fields"]
    saved = api("PUT", f"/calls/{created.json['id']}", user_id=calls["member"], json={
        "base_revision": 1, "fields": {"funder": "PAISD", "closes_on": _day(31), "eligibility": ["conjoint"]}})
    assert saved.status_code == 200 and saved.json["changed"]
    assert api("POST", "/calls", user_id=calls["reader"], json={
        "title": "Par un lecteur", "fields": {"funder": "X", "closes_on": _day(3), "eligibility": ["sud"]}}
    ).status_code == 403


def test_search_finds_calls_with_their_kind_and_audience(login, calls):
    member = _text(login(calls["member"]).get("/recherche?q=fondation+discrète"))
    assert "Appel réservé au groupe eau" in member and "Appel à projets" in member
    outsider = _text(login(calls["outsider"]).get("/recherche?q=fondation+discrète"))
    assert "Appel réservé au groupe eau" not in outsider
    by_kind = _text(login(calls["member"]).get("/recherche?q=agence&kind=appel"))
    assert "Accès à l'eau en zone rurale" in by_kind and "Forage de Kayes" not in by_kind
