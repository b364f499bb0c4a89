"""Events as iCalendar (RFC 5545), for calendar applications: times in UTC, so that a phone in
Bamako and one in Dijon both show the right hour."""
from __future__ import annotations

from flask import url_for
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..models import utcnow
from .fields import EVENT_KINDS
from .services import Event

PRODUCT = "-//Passerelle//Agenda//FR"


def calendar_of(events: list[Event], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for event in events:
        calendar.add_component(_component(event, stamp))
    return calendar.to_ical()


def _component(event: Event, stamp) -> CalendarEvent:
    page, fields = event.page, event.fields
    url = url_for("pages.view", slug=page.slug, _external=True)
    component = CalendarEvent()
    component.add("uid", f"evenement-{page.id}@{url_for('pages.home', _external=True).split('/')[2]}")
    component.add("dtstamp", stamp)
    component.add("last-modified", page.updated_at)
    component.add("dtstart", event.schedule.starts)
    component.add("dtend", event.schedule.ends)
    component.add("summary", page.title)
    component.add("categories", [str(EVENT_KINDS.get(event.kind, event.kind))])
    location = fields.get("place") or fields.get("online_url")
    if location:
        component.add("location", location)
    component.add("url", url)
    description = (page.current.body if page.current else "").strip()
    if fields.get("online_url"):
        description = f"{fields['online_url']}\n\n{description}"
    component.add("description", f"{description}\n\n{url}".strip())
    return component
