"""The agenda: events (pages of kind `evenement`), who comes, and what meetings decided.

An event's audience is its page's: every list here starts from the pages the reader may read
(policy.readable_clause), so a group's meeting never shows outside the group. The network
holds a few dozen events a year, so listings sort and filter them in Python."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import policy
from ..auth.models import Side, User
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import MAX_ID, utcnow
from ..pages import services as pages
from ..pages.models import Kind, Page
from .fields import Schedule, schedule_of
from .models import ANSWERS, MAX_DECISION, OPEN_STATUSES, Attendance, Decision, DecisionStatus


@dataclass(frozen=True)
class Event:
    page: Page
    fields: dict
    schedule: Schedule | None  # None only for fields saved before a start was required

    @property
    def kind(self) -> str:
        return self.fields.get("event_kind", "autre")


def event_of(page: Page) -> Event:
    fields = dict(page.current.fields or {}) if page.current else {}
    return Event(page=page, fields=fields, schedule=schedule_of(fields))


def readable_events(reader, *, group_id: int | None = None, event_kind: str | None = None) -> list[Event]:
    query = (select(Page).where(policy.readable_clause(reader), Page.kind == Kind.EVENEMENT,
                                Page.is_deleted == false())
             .options(selectinload(Page.current), selectinload(Page.group)))
    if group_id is not None:
        query = query.where(Page.group_id == group_id)
    events = [event_of(page) for page in db.session.scalars(query)]
    return [e for e in events if e.schedule is not None and (event_kind is None or e.kind == event_kind)]


def upcoming_events(reader, *, now: datetime | None = None, limit: int | None = None, **filters) -> list[Event]:
    """Events not over yet, soonest first."""
    now = now or utcnow()
    events = sorted((e for e in readable_events(reader, **filters) if e.schedule.ends >= now),
                    key=lambda e: e.schedule.starts)
    return events[:limit] if limit else events


def past_events(reader, *, now: datetime | None = None, **filters) -> list[Event]:
    """Events over, latest first."""
    now = now or utcnow()
    return sorted((e for e in readable_events(reader, **filters) if e.schedule.ends < now),
                  key=lambda e: e.schedule.starts, reverse=True)


def readable_event(reader, page_id: int) -> Page:
    page = db.session.get(Page, page_id) if 0 < page_id <= MAX_ID else None
    if page is None or page.kind != Kind.EVENEMENT or not policy.may(reader, "read", page):
        raise NotFound()
    return page


# Who comes -------------------------------------------------------------------------

def answer(user: User, page: Page, value: str) -> Attendance:
    """Record (or change) the member's answer to the invitation."""
    policy.require(user, "answer_event", page)
    if value not in ANSWERS:
        raise ValidationError({"answer": _("Réponse inconnue (oui, peut-etre ou non).")})
    for _attempt in range(2):
        attendance = db.session.scalar(select(Attendance).where(Attendance.page_id == page.id,
                                                                Attendance.user_id == user.id))
        if attendance is None:
            attendance = Attendance(page_id=page.id, user_id=user.id, answer=value)
            db.session.add(attendance)
        else:
            attendance.answer, attendance.answered_at = value, utcnow()
        try:
            db.session.commit()
            break
        except IntegrityError:  # the same member's first answer, twice at once: update it
            db.session.rollback()
    return attendance


@dataclass(frozen=True)
class Attendees:
    counts: dict[str, dict[str, int]]  # answer → side → count
    names: dict[str, list[User]] | None  # answer → people, for those who may see names
    mine: str | None  # the reader's own answer

    def total(self, value: str) -> int:
        return sum(self.counts[value].values())


def attendees(reader, page: Page) -> Attendees:
    """Counts by side for everyone who may read the event, names for members."""
    rows = db.session.execute(select(Attendance, User).join(User, User.id == Attendance.user_id)
                              .where(Attendance.page_id == page.id, User.is_enabled)
                              .order_by(User.name)).all()
    counts = Counter((a.answer, u.side) for a, u in rows)
    names = None
    if policy.may(reader, "see_people"):
        names = {value: [u for a, u in rows if a.answer == value] for value in ANSWERS}
    me = policy.reader_of(reader).user_id
    return Attendees(counts={value: {side.value: counts[(value, side.value)] for side in Side} for value in ANSWERS},
                     names=names, mine=next((a.answer for a, u in rows if u.id == me), None))


# Decisions -------------------------------------------------------------------------

def _owner(owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = db.session.get(User, owner_id) if 0 < owner_id <= MAX_ID else None
    if owner is None or not owner.is_enabled:
        raise ValidationError({"owner": _("Personne inconnue.")})
    return owner


def _text(text) -> str:
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        raise ValidationError({"text": _("Écrivez la décision.")})
    if len(text) > MAX_DECISION:
        raise ValidationError({"text": _("Un texte de %(max)d caractères au plus est attendu.", max=MAX_DECISION)})
    return text


def add_decision(user: User, page: Page, *, text: str, owner_id: int | None = None,
                 due_on: date | None = None) -> Decision:
    policy.require(user, "add_decision", page)
    decision = Decision(page_id=page.id, text=_text(text), owner=_owner(owner_id), due_on=due_on,
                        status=DecisionStatus.A_FAIRE.value, created_by_id=user.id)
    db.session.add(decision)
    db.session.commit()
    return decision


def update_decision(user: User, decision: Decision, *, status: str | None = None, text: str | None = None,
                    owner_id: int | None = ..., due_on: date | None = ...) -> Decision:
    """The person in charge changes the status; who may edit the event changes the rest too."""
    policy.require(user, "update_decision", decision)
    if status is not None and status not in set(DecisionStatus):
        raise ValidationError({"status": _("État inconnu (a_faire, en_cours, fait ou abandonne).")})
    rewrites = text is not None or owner_id is not ... or due_on is not ...
    if rewrites:
        policy.require(user, "add_decision", decision.page)
    if text is not None:
        decision.text = _text(text)
    if owner_id is not ...:
        decision.owner = _owner(owner_id)
    if due_on is not ...:
        decision.due_on = due_on
    if status is not None:
        decision.status = status
    decision.updated_at = utcnow()
    db.session.commit()
    return decision


def readable_decision(reader, decision_id: int) -> Decision:
    decision = db.session.get(Decision, decision_id) if 0 < decision_id <= MAX_ID else None
    if decision is None or not policy.may(reader, "read", decision.page):
        raise NotFound()
    return decision


def decisions_of(page: Page) -> list[Decision]:
    """An event's decisions (the caller has checked the event is readable)."""
    return list(db.session.scalars(select(Decision).where(Decision.page_id == page.id)
                                   .options(selectinload(Decision.owner)).order_by(Decision.id)))


def is_overdue(decision: Decision, today: date) -> bool:
    return decision.due_on is not None and decision.due_on < today and decision.status in OPEN_STATUSES


def open_decisions(reader, *, group_id: int | None = None, owner_id: int | None = None) -> list[Decision]:
    """« Suivi des décisions »: open decisions of readable events, those due first."""
    query = (select(Decision).join(Page, Page.id == Decision.page_id)
             .where(policy.readable_clause(reader), Page.kind == Kind.EVENEMENT, Page.is_deleted == false(),
                    Decision.status.in_(OPEN_STATUSES))
             .options(selectinload(Decision.owner), selectinload(Decision.page)))
    if group_id is not None:
        query = query.where(Page.group_id == group_id)
    if owner_id is not None:
        query = query.where(Decision.owner_id == owner_id)
    decisions = list(db.session.scalars(query))
    return sorted(decisions, key=lambda d: (d.due_on is None, d.due_on or date.max, d.id))


def waiting_for(user: User) -> list[Decision]:
    """The open decisions the member is in charge of (home page)."""
    return open_decisions(user, owner_id=user.id)


def people_in_charge() -> list[User]:
    """Whom a decision may name: enabled accounts, by name."""
    return list(db.session.scalars(select(User).where(User.is_enabled).order_by(User.name)))


# Minutes ---------------------------------------------------------------------------

def write_minutes(user: User, page: Page) -> Page:
    """The « compte rendu »: a page like any other, with the event's audience, linked from it."""
    policy.require(user, "add_decision", page)
    event = event_of(page)
    existing, _alias = pages.find_page(event.fields.get("minutes") or "")
    if existing is not None and not existing.is_deleted:
        return existing
    day = event.schedule.local(event.schedule.zone).strftime("%d/%m/%Y") if event.schedule else ""
    title = _("Compte rendu : %(title)s", title=page.title)[:190] + (f" ({day})" if day else "")
    body = _("Compte rendu de [[%(title)s]].\n\n## Présents\n\n## Points abordés\n\n## Décisions\n\n"
             "Les décisions et leur suivi sont notées sur la page de l'événement.", title=page.title)
    try:
        minutes = pages.create_page(author=user, title=title, body=body, visibility=page.visibility,
                                    group=page.group, language=page.language)
    except pages.PageExists as exc:
        minutes = exc.page
    pages.update_page(page, author=user, base_revision=None, title=page.current.title, body=page.current.body,
                      fields={**event.fields, "minutes": minutes.slug},
                      summary=_("Compte rendu : %(slug)s", slug=minutes.slug))
    return minutes


def minutes_of(reader, event: Event) -> Page | None:
    page, _alias = pages.find_page(event.fields.get("minutes") or "")
    return page if page is not None and policy.may(reader, "read", page) else None

