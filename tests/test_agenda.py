"""The agenda: events in France's and Mali's hours across daylight-saving changes, answers
counted by side, decisions and their follow-up, calendars (iCalendar) that never show a
group's event outside the group."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from wiki import search
from wiki.activity import feeds
from wiki.agenda import services as agenda
from wiki.agenda.fields import clean_event_fields, schedule_of
from wiki.auth.models import User
from wiki.errors import ValidationError
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.pages.models import Page
from wiki.policy import PermissionDenied


def _event_fields(starts: str, **more) -> dict:
    return {"event_kind": "comite", "starts": starts, "timezone": "Europe/Paris", "place": "Dijon", **more}


# Time zones --------------------------------------------------------------------------

@pytest.mark.parametrize("starts, zone, paris, bamako", [
    ("2027-03-27T10:00", "Europe/Paris", "10:00", "09:00"),  # winter: one hour apart
    ("2027-03-29T10:00", "Europe/Paris", "10:00", "08:00"),  # after the change of 28 March: two
    ("2027-10-30T10:00", "Europe/Paris", "10:00", "08:00"),  # summer's last Saturday
    ("2027-11-01T10:00", "Europe/Paris", "10:00", "09:00"),  # after the change of 31 October
    ("2027-03-29T08:00", "Africa/Bamako", "10:00", "08:00"),  # entered in Mali's time
])
def test_an_event_shows_france_and_mali_time_across_daylight_saving(starts, zone, paris, bamako):
    schedule = schedule_of(clean_event_fields(_event_fields(starts, timezone=zone)))
    assert schedule.local("Europe/Paris").strftime("%H:%M") == paris
    assert schedule.local("Africa/Bamako").strftime("%H:%M") == bamako
    assert schedule.starts.tzinfo == UTC


def test_a_time_that_does_not_exist_in_france_is_refused_not_shifted():
    with pytest.raises(ValidationError) as refused:
        clean_event_fields(_event_fields("2027-03-28T02:30"))  # clocks jump from 02:00 to 03:00
    assert "n'existe pas" in refused.value.errors["starts"]
    clean_event_fields(_event_fields("2027-03-28T02:30", timezone="Africa/Bamako"))  # Mali keeps UTC


@pytest.mark.parametrize("fields, key", [
    ({"starts": "demain"}, "starts"),
    ({"starts": "2027-02-30T10:00"}, "starts"),
    ({"starts": "2027-03-01T10:00", "ends": "2027-02-28T10:00"}, "ends"),
    ({"starts": "2027-03-01T10:00", "ends": "2027-05-01T10:00"}, "ends"),
    ({"starts": "2027-03-01T10:00", "timezone": "Europe/London"}, "timezone"),
    ({"starts": "2027-03-01T10:00", "event_kind": "fete"}, "event_kind"),
    ({"starts": "2027-03-01T10:00", "place": "", "online_url": "javascript:alert(1)"}, "online_url"),
    ({"starts": "2027-03-01T10:00", "place": ""}, "place"),
    ({"place": "Dijon"}, "starts"),
])
def test_bad_event_fields_are_refused_with_a_message(fields, key):
    raw = {"place": "Dijon", **fields}
    with pytest.raises(ValidationError) as refused:
        clean_event_fields({k: v for k, v in raw.items() if v != ""})
    assert key in refused.value.errors


def test_the_event_page_shows_both_countries_hours(client, app, make_user, login):
    coordinator = make_user("coordinateur", "nord")
    with app.app_context():
        page = pages.create_page(author=db.session.get(User, coordinator), title="Comité de pilotage de printemps",
                                 kind="evenement", visibility="public",
                                 fields=_event_fields("2027-03-29T10:00", ends="2027-03-29T12:00"))
        slug = page.slug
    text = client.get(f"/p/{slug}").text
    assert "10 h 00" in text and "12 h 00" in text and "heure de France" in text
    assert "8 h 00" in text and "heure du Mali" in text
    single = Calendar.from_ical(client.get(f"/p/{slug}/evenement.ics").data)
    [component] = single.walk("VEVENT")
    assert component.decoded("dtstart") == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    assert component.decoded("dtend") == datetime(2027, 3, 29, 10, 0, tzinfo=UTC)
    assert str(component["summary"]) == "Comité de pilotage de printemps"


# Who may see a group's event -----------------------------------------------------------

@pytest.fixture
def meetings(app, make_user):
    """A public annual meeting and a meeting reserved to the « eau » group, both to come."""
    ids = {"coordinator": make_user("coordinateur", "nord"),
           "member": make_user("contributeur", "sud", groups_=("eau",)),
           "outsider": make_user("contributeur", "nord")}
    with app.app_context():
        coordinator = db.session.get(User, ids["coordinator"])
        public = pages.create_page(author=coordinator, title="Rencontre annuelle du réseau", kind="evenement",
                                   visibility="public", fields=_event_fields("2099-06-12T09:00", event_kind="rencontre"))
        reserved = pages.create_page(author=coordinator, title="Réunion forages Kayes", kind="evenement",
                                     visibility="groupe", group=groups.find_group("eau"),
                                     fields=_event_fields("2099-05-02T15:00", event_kind="reunion",
                                                          place="", online_url="https://visio.example.org/eau"))
        search.catch_up()
        ids.update(public=public.slug, reserved=reserved.slug, reserved_id=reserved.id)
    return ids


def _summaries(ics: bytes) -> set[str]:
    return {str(e["summary"]) for e in Calendar.from_ical(ics).walk("VEVENT")}


def test_a_group_event_stays_inside_the_group(client, app, login, meetings, api):
    member, outsider = login(meetings["member"]), login(meetings["outsider"])
    assert "Réunion forages Kayes" in member.get("/agenda").text
    for reader in (client, outsider):
        listing = reader.get("/agenda").text
        assert "Rencontre annuelle du réseau" in listing and "Réunion forages Kayes" not in listing
        assert reader.get(f"/p/{meetings['reserved']}/evenement.ics").status_code == 404
        assert "Kayes" not in reader.get("/recherche?q=forages").text
        assert "Kayes" not in reader.get("/").text
    assert _summaries(client.get("/agenda.ics").data) == {"Rencontre annuelle du réseau"}
    with app.app_context():
        tokens = {name: feeds.new_feed_token(db.session.get(User, meetings[name])) for name in ("member", "outsider")}
    assert _summaries(client.get(f"/flux/{tokens['member']}/agenda.ics").data) == {
        "Rencontre annuelle du réseau", "Réunion forages Kayes"}
    personal = client.get(f"/flux/{tokens['outsider']}/agenda.ics")
    assert _summaries(personal.data) == {"Rencontre annuelle du réseau"}
    assert personal.headers["Cache-Control"] == "private, no-store"
    with app.app_context():
        feeds.revoke_feed_token(db.session.get(User, meetings["member"]))
    assert client.get(f"/flux/{tokens['member']}/agenda.ics").status_code == 404
    # The API: the list, the event itself, its answers and decisions.
    listed = {e["title"] for e in api("GET", "/events", user_id=meetings["outsider"]).json["events"]}
    assert listed == {"Rencontre annuelle du réseau"}
    event_id = meetings["reserved_id"]
    for path in (f"/events/{event_id}", f"/events/{event_id}/decisions"):
        assert api("GET", path, user_id=meetings["outsider"]).status_code == 404
        assert api("GET", path).status_code == 404
        assert api("GET", path, user_id=meetings["member"]).status_code == 200
    answer = api("POST", f"/events/{event_id}/attendance", user_id=meetings["outsider"], json={"answer": "oui"})
    assert answer.status_code == 404


def test_search_finds_events_with_their_own_kind(login, meetings):
    text = login(meetings["member"]).get("/recherche?q=forages").text
    assert "Réunion forages Kayes" in text and "Événement" in text


# Answers -----------------------------------------------------------------------------

def test_answers_are_counted_by_side_and_named_to_members(client, login, meetings, make_user):
    slug = meetings["public"]
    nord_reader = make_user("lecteur", "nord")
    for user_id, answer in ((meetings["member"], "oui"), (nord_reader, "oui"), (meetings["outsider"], "peut-etre")):
        response = login(user_id).post(f"/p/{slug}/presence", data={"answer": answer})
        assert response.status_code == 302
    changed = login(meetings["outsider"])
    changed.post(f"/p/{slug}/presence", data={"answer": "non"})
    summary = login(meetings["coordinator"]).get(f"/p/{slug}").text
    assert "Je viens</strong> : 2" in summary and "Nord 1, Sud 1" in summary
    assert "Non</strong> : 1" in summary and "Peut-être</strong> : 0" in summary
    assert "Contributeur 3" in summary  # the outsider, by name, to members
    anonymous = client.get(f"/p/{slug}").text
    assert "Je viens</strong> : 2" in anonymous and "Contributeur 3" not in anonymous
    refused = changed.post(f"/p/{slug}/presence", data={"answer": "peut-être bien"})
    assert refused.status_code == 422 and "Réponse inconnue" in refused.text
    assert client.post(f"/p/{slug}/presence", data={"answer": "oui"}).status_code == 302  # to the login page


# Decisions ---------------------------------------------------------------------------

def test_decisions_their_owner_and_overdue_state(app, meetings, make_user):
    owner_id = make_user("lecteur", "sud")
    with app.app_context():
        coordinator, owner = db.session.get(User, meetings["coordinator"]), db.session.get(User, owner_id)
        page = db.session.get(Page, meetings["reserved_id"])
        late = agenda.add_decision(coordinator, page, text="Chiffrer le forage", owner_id=owner_id,
                                   due_on=date(2027, 1, 15))
        later = agenda.add_decision(coordinator, page, text="Écrire au maire", due_on=date(2027, 6, 1))
        assert agenda.is_overdue(late, date(2027, 1, 16)) and not agenda.is_overdue(late, date(2027, 1, 15))
        assert not agenda.is_overdue(later, date(2027, 1, 16))
        # The owner is no member of the group: they may not read the event, so not update it either.
        with pytest.raises(PermissionDenied):
            agenda.update_decision(owner, late, status="fait")
        groups.add_member(groups.find_group("eau"), owner, by=coordinator)
        owner = db.session.get(User, owner_id)
        agenda.update_decision(owner, late, status="en_cours")
        with pytest.raises(PermissionDenied):  # a lecteur in charge changes the state, not the text
            agenda.update_decision(owner, late, text="Autre chose")
        assert [d.text for d in agenda.waiting_for(owner)] == ["Chiffrer le forage"]
        agenda.update_decision(owner, late, status="fait")
        assert not agenda.is_overdue(late, date(2030, 1, 1))
        assert agenda.waiting_for(owner) == []
        assert [d.text for d in agenda.open_decisions(coordinator)] == ["Écrire au maire"]
        with pytest.raises(ValidationError):
            agenda.update_decision(coordinator, later, status="oublie")
        with pytest.raises(ValidationError):
            agenda.add_decision(coordinator, page, text="   ")


def test_decision_follow_up_page_filters_and_hides(client, login, meetings, app):
    coordinator = login(meetings["coordinator"])
    slug = meetings["reserved"]
    response = coordinator.post(f"/p/{slug}/decisions", data={"text": "Relancer la mairie de Kayes",
                                                              "owner": str(meetings["member"]), "due_on": "2020-01-10"})
    assert response.status_code == 302
    refused = coordinator.post(f"/p/{slug}/decisions", data={"text": "Texte gardé", "due_on": "10/01/2020"})
    assert refused.status_code == 422 and "Texte gardé" in refused.text  # nothing typed is lost
    member = login(meetings["member"])
    follow_up = member.get("/decisions").text
    assert "Relancer la mairie de Kayes" in follow_up and "En retard" in follow_up
    assert "Relancer la mairie" in member.get("/").text  # waits for them on the home page
    assert "Relancer" not in login(meetings["outsider"]).get("/decisions").text
    assert "Relancer" not in client.get("/decisions").text
    assert "Relancer" in member.get("/decisions?groupe=eau").text
    assert "Relancer" not in member.get(f"/decisions?personne={meetings['coordinator']}").text
    with app.app_context():
        decision_id = agenda.open_decisions(db.session.get(User, meetings["member"]))[0].id
    assert login(meetings["outsider"]).post(f"/decisions/{decision_id}", data={"status": "fait"}).status_code == 404
    assert member.post(f"/decisions/{decision_id}", data={"status": "fait"}).status_code == 302
    assert "Relancer" not in member.get("/decisions").text


def test_minutes_are_a_page_with_the_event_audience(app, login, meetings):
    coordinator = login(meetings["coordinator"])
    response = coordinator.post(f"/p/{meetings['reserved']}/compte-rendu")
    assert response.status_code == 302
    with app.app_context():
        event = db.session.get(Page, meetings["reserved_id"])
        minutes_slug = event.current.fields["minutes"]
        minutes = pages.find_page(minutes_slug)[0]
        assert (minutes.visibility, minutes.group.slug) == ("groupe", "eau")
        assert minutes.title.startswith("Compte rendu : Réunion forages Kayes")
    assert coordinator.post(f"/p/{meetings['reserved']}/compte-rendu").headers["Location"].endswith(
        f"/p/{minutes_slug}/modifier")  # a second click opens the same page
    assert login(meetings["outsider"]).get(f"/p/{minutes_slug}").status_code == 404
    assert minutes_slug in login(meetings["member"]).get(f"/p/{meetings['reserved']}").text


def test_event_form_creates_and_edits_an_event(login, make_user, app):
    contributor = login(make_user("contributeur", "sud"))
    form = {"title": "Formation à la gestion des forages", "event_kind": "formation", "starts": "2099-02-10T09:00",
            "ends": "2099-02-10T17:00", "timezone": "Africa/Bamako", "place": "Ségou", "visibility": "membres",
            "language": "fr", "body": "Programme à venir."}
    bad = contributor.post("/agenda/nouveau", data={**form, "starts": "2099-02-30T09:00"})
    assert bad.status_code == 200 and "Une date et une heure sont attendues" in bad.text
    assert "Formation à la gestion des forages" in bad.text  # kept
    created = contributor.post("/agenda/nouveau", data=form)
    assert created.status_code == 302
    slug = created.headers["Location"].rsplit("/", 1)[1]
    text = contributor.get(f"/p/{slug}").text
    assert "9 h 00" in text and "10 h 00" in text  # Ségou's 09:00 is 10:00 in France in winter
    edit = contributor.get(f"/p/{slug}/modifier").text
    assert 'value="2099-02-10T09:00"' in edit
    saved = contributor.post(f"/p/{slug}/modifier", data={**form, "place": "Mopti", "base_revision": "1"})
    assert saved.status_code == 302
    assert "Mopti" in contributor.get(f"/p/{slug}").text
    stale = contributor.post(f"/p/{slug}/modifier", data={**form, "place": "Kayes", "base_revision": "1"})
    assert stale.status_code == 409 and 'value="Kayes"' in stale.text  # the other edit wins nothing silently


def test_the_personal_calendar_address_is_given_with_the_feeds(client, login, meetings):
    member = login(meetings["member"])
    shown = member.post("/mon-fil/adresse").text
    token = shown.split("/flux/", 1)[1].split("/", 1)[0]
    assert f"/flux/{token}/agenda.ics" in shown
    assert _summaries(client.get(f"/flux/{token}/agenda.ics").data) == {
        "Rencontre annuelle du réseau", "Réunion forages Kayes"}


def test_events_and_decisions_through_the_api(api, app, meetings, user_email):
    coordinator, member = meetings["coordinator"], meetings["member"]
    created = api("POST", "/events", user_id=member, json={
        "title": "Visio du groupe eau", "visibility": "groupe", "group": "eau",
        "fields": {"event_kind": "reunion", "starts": "2099-03-29T08:00", "timezone": "Africa/Bamako",
                   "online_url": "https://visio.example.org/eau"}})
    assert created.status_code == 201, created.json
    event_id = created.json["id"]
    event = api("GET", f"/events/{event_id}", user_id=member).json
    assert event["starts"] == "2099-03-29T08:00:00Z"
    assert [t["starts"] for t in event["times"]] == ["2099-03-29T08:00:00+00:00", "2099-03-29T10:00:00+02:00"]
    skipped = api("PUT", f"/events/{event_id}", user_id=member, json={
        "base_revision": 1, "fields": {"starts": "2099-03-29T02:30", "timezone": "Europe/Paris", "place": "Dijon"}})
    assert skipped.status_code == 422 and "fields.starts" in skipped.json["fields"]
    assert api("POST", f"/events/{event_id}/attendance", user_id=member, json={"answer": "peut-etre"}).json[
        "attendance"]["peut-etre"] == {"nord": 0, "sud": 1}
    decision = api("POST", f"/events/{event_id}/decisions", user_id=coordinator, json={
        "text": "Commander les pièces", "owner": user_email(member), "due_on": "2000-01-01"})
    assert decision.status_code == 201, decision.json
    assert decision.json["overdue"] and decision.json["owner"]["side"] == "sud"
    unknown = api("POST", f"/events/{event_id}/decisions", user_id=coordinator,
                  json={"text": "x", "owner": "personne@example.org"})
    assert unknown.status_code == 422 and "owner" in unknown.json["fields"]
    decision_id = decision.json["id"]
    done = api("PUT", f"/decisions/{decision_id}", user_id=member, json={"status": "fait"})
    assert done.status_code == 200 and not done.json["overdue"]
    assert api("PUT", f"/decisions/{decision_id}", user_id=meetings["outsider"],
               json={"status": "a_faire"}).status_code == 404
    assert [d["status"] for d in api("GET", f"/events/{event_id}/decisions", user_id=member).json["decisions"]] == [
        "fait"]
