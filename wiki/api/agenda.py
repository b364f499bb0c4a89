"""API: events (pages of kind `evenement`), answers and decisions."""
from __future__ import annotations

from datetime import date

from flask import jsonify, url_for
from flask_babel import gettext as _

from .. import policy
from ..agenda import services as agenda
from ..agenda.fields import TIME_ZONES
from ..auth import accounts
from ..errors import ValidationError, error_response
from ..groups import services as groups
from ..models import utcnow
from ..pages import services as pages
from ..pages.models import Kind
from ..policy import PermissionDenied
from . import schemas
from .common import api_user, iso
from .operations import operation
from .pages import denied, group_from, save_edit

NO_EVENT = "No such event, or the caller may not read it (both answer the same)."
NO_DECISION = "No such decision, or the caller may not read its event."


def event_summary(event: agenda.Event) -> dict:
    page, fields, schedule = event.page, event.fields, event.schedule
    return {"id": page.id, "slug": page.slug, "title": page.title, "kind": event.kind, "visibility": page.visibility,
            "group": page.group.slug if page.group else None, "starts": iso(schedule.starts),
            "ends": iso(schedule.ends),
            "times": [{"zone": zone, "starts": schedule.local(zone).isoformat(),
                       "ends": schedule.local(zone, "ends").isoformat()}
                      for zone in sorted(TIME_ZONES, key=lambda z: z != schedule.zone)],
            "place": fields.get("place"), "online_url": fields.get("online_url"),
            "url": url_for("pages.view", slug=page.slug, _external=True)}


def _attendance(attendees: agenda.Attendees) -> dict:
    return {answer: dict(by_side) for answer, by_side in attendees.counts.items()}


def _event_json(page) -> dict:
    event = agenda.event_of(page)
    reader = api_user()
    attendees = agenda.attendees(reader, page)
    minutes = agenda.minutes_of(reader, event)
    return {**event_summary(event), "fields": event.fields, "body": page.current.body,
            "revision": page.current.number, "attendance": _attendance(attendees), "my_answer": attendees.mine,
            "minutes": minutes.slug if minutes else None}


def _decision_json(decision) -> dict:
    owner = decision.owner if decision.owner and policy.may(api_user(), "see_people") else None
    return {"id": decision.id, "event": decision.page_id, "text": decision.text,
            "owner": {"name": owner.name, "side": owner.side} if owner else None,
            "due_on": decision.due_on.isoformat() if decision.due_on else None, "status": decision.status,
            "overdue": agenda.is_overdue(decision, utcnow().date())}


def _fields(body) -> dict | None:
    return body.fields.model_dump(exclude_none=True) if body.fields is not None else None


@operation("GET", "/events", tag="agenda", summary="List the events the caller may read", query=schemas.EventQuery,
           answers={200: (schemas.EventList, "Readable events.")})
def list_events(query: schemas.EventQuery):
    group = groups.find_group(query.group[:200]) if query.group else None
    if query.group and group is None:
        return jsonify({"events": []})
    filters = dict(group_id=group.id if group else None, event_kind=query.kind)
    events = agenda.past_events(api_user(), **filters) if query.past else agenda.upcoming_events(api_user(), **filters)
    return jsonify({"events": [event_summary(e) for e in events]})


@operation("POST", "/events", tag="agenda", summary="Announce an event (contributors)", writes=True,
           body=schemas.EventCreate, answers={
               201: (schemas.Created, "Created."),
               403: "Role below contributor, `public` without being coordinator, or a group the caller is not in.",
               409: "A page the caller can read already has this title's address; `slug` names it."})
def create_event(body: schemas.EventCreate):
    try:
        page = pages.create_page(author=api_user(), title=body.title, body=body.body, kind=Kind.EVENEMENT,
                                 visibility=body.visibility, group=group_from(body), fields=_fields(body),
                                 summary=body.summary, language=body.language)
    except pages.PageExists as exc:
        return error_response(409, str(exc), slug=exc.page.slug)
    except PermissionDenied as exc:
        return denied(exc)
    return jsonify({"id": page.id, "slug": page.slug, "revision": page.current.number,
                    "url": url_for("pages.view", slug=page.slug, _external=True)}), 201


@operation("GET", "/events/<int:event_id>", tag="agenda", summary="Read an event, its times and its answers",
           answers={200: (schemas.Event, "The event."), 404: NO_EVENT})
def get_event(event_id: int):
    return jsonify(_event_json(agenda.readable_event(api_user(), event_id)))


@operation("PUT", "/events/<int:event_id>", tag="agenda", summary="Edit an event from a base revision",
           writes=True, body=schemas.EventUpdate, answers={
               200: (schemas.PageSaved, "Saved (or nothing to change)."),
               403: "Role below contributor, `public` without being coordinator, or a group the caller is not in.",
               404: NO_EVENT, 409: (schemas.Conflict, "Overlapping concurrent edit."),
               422: "Invalid fields or unknown `base_revision`."})
def update_event(event_id: int, body: schemas.EventUpdate):
    page = agenda.readable_event(api_user(), event_id)
    fields = _fields(body)
    if fields is not None and (page.current.fields or {}).get("minutes"):
        fields["minutes"] = page.current.fields["minutes"]
    return save_edit(page, body, fields)


@operation("POST", "/events/<int:event_id>/attendance", tag="agenda", writes=True,
           summary="Say whether the caller comes (members who may read the event)", body=schemas.AttendanceAnswer,
           answers={200: (schemas.Attendance, "Recorded; the counts after it."), 404: NO_EVENT})
def answer_event(event_id: int, body: schemas.AttendanceAnswer):
    page = agenda.readable_event(api_user(), event_id)
    try:
        agenda.answer(api_user(), page, body.answer)
    except PermissionDenied as exc:
        return denied(exc)
    return jsonify({"answer": body.answer, "attendance": _attendance(agenda.attendees(api_user(), page))})


@operation("GET", "/events/<int:event_id>/decisions", tag="agenda", summary="An event's decisions",
           answers={200: (schemas.DecisionList, "Oldest first."), 404: NO_EVENT})
def list_decisions(event_id: int):
    page = agenda.readable_event(api_user(), event_id)
    return jsonify({"decisions": [_decision_json(d) for d in agenda.decisions_of(page)]})


def _owner_id(email: str | None) -> int | None:
    if email is None:
        return None
    user = accounts.get_user_by_email(email)
    if user is None:
        raise ValidationError({"owner": _("Aucun compte avec cette adresse.")})
    return user.id


def _day(value: str | None, key: str = "due_on") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({key: _("Une date est attendue (AAAA-MM-JJ).")}) from None


@operation("POST", "/events/<int:event_id>/decisions", tag="agenda", writes=True, body=schemas.DecisionCreate,
           summary="Write down a decision of the event (who may edit the event)",
           answers={201: (schemas.Decision, "Created."), 403: "The caller may not edit the event.", 404: NO_EVENT,
                    422: "Empty text, unknown owner's email or a malformed date."})
def add_decision(event_id: int, body: schemas.DecisionCreate):
    page = agenda.readable_event(api_user(), event_id)
    try:
        decision = agenda.add_decision(api_user(), page, text=body.text, owner_id=_owner_id(body.owner),
                                       due_on=_day(body.due_on))
    except PermissionDenied as exc:
        return denied(exc)
    return jsonify(_decision_json(decision)), 201


@operation("PUT", "/decisions/<int:decision_id>", tag="agenda", writes=True, body=schemas.DecisionUpdate,
           summary="Change a decision: its status (the person in charge), or everything (who may edit the event)",
           answers={200: (schemas.Decision, "Saved."), 403: "Neither in charge nor allowed to edit the event.",
                    404: NO_DECISION, 422: "Unknown status or owner, empty text or a malformed date."})
def update_decision(decision_id: int, body: schemas.DecisionUpdate):
    decision = agenda.readable_decision(api_user(), decision_id)
    sent = body.model_fields_set
    try:
        agenda.update_decision(api_user(), decision, status=body.status,
                               text=body.text if "text" in sent else None,
                               owner_id=_owner_id(body.owner) if "owner" in sent else ...,
                               due_on=_day(body.due_on) if "due_on" in sent else ...)
    except PermissionDenied as exc:
        return denied(exc)
    return jsonify(_decision_json(decision))
