"""Calls for funding (pages of kind `appel`): open and closed calls, who prepares an answer,
and what the same funder already supported in the network.

A call's audience is its page's (policy.readable_clause). The network follows a few dozen
calls a year, so listings filter and sort them in Python."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import policy
from ..auth.models import User
from ..errors import NotFound
from ..extensions import db
from ..markup import slugify
from ..models import MAX_ID
from ..pages.models import Kind, Page, Revision
from .fields import closes_on, opens_on
from .models import CallInterest

REMINDER_DAYS = 30  # a followed theme's deadline shows on the home page this long before
DIGEST_DAYS = 14  # and in the e-mail digest this long before


@dataclass(frozen=True)
class Call:
    page: Page
    fields: dict

    @property
    def closes_on(self) -> date | None:
        return closes_on(self.fields)

    @property
    def opens_on(self) -> date | None:
        return opens_on(self.fields)

    def is_open(self, today: date) -> bool:
        return self.closes_on is not None and self.closes_on >= today

    def days_left(self, today: date) -> int:
        return (self.closes_on - today).days


@dataclass(frozen=True)
class Filters:
    theme: str | None = None
    region: str | None = None
    eligibility: str | None = None
    funder: str | None = None

    def admit(self, call: Call) -> bool:
        fields = call.fields
        return ((self.theme is None or self.theme in (call.page.themes or []))
                and (self.region is None or self.region in fields.get("regions", []))
                and (self.eligibility is None or self.eligibility in fields.get("eligibility", []))
                and (self.funder is None or _names_same(self.funder, fields.get("funder", ""))))


def _names_same(needle: str, text: str) -> bool:
    """Whether `text` names `needle` (case, accents and punctuation aside, whole words)."""
    needle, text = slugify(needle), slugify(text)
    return bool(needle) and f"-{needle}-" in f"-{text}-"


def call_of(page: Page) -> Call:
    return Call(page=page, fields=dict(page.current.fields or {}) if page.current else {})


def readable_calls(reader, filters: Filters = Filters()) -> list[Call]:
    query = (select(Page).where(policy.readable_clause(reader), Page.kind == Kind.APPEL, Page.is_deleted == false())
             .options(selectinload(Page.current)))
    return [c for c in map(call_of, db.session.scalars(query)) if c.closes_on is not None and filters.admit(c)]


def open_calls(reader, today: date, filters: Filters = Filters()) -> list[Call]:
    """Calls still open, nearest deadline first."""
    return sorted((c for c in readable_calls(reader, filters) if c.is_open(today)), key=lambda c: c.closes_on)


def closed_calls(reader, today: date, filters: Filters = Filters()) -> list[Call]:
    """Calls past their deadline, kept as history, latest first."""
    return sorted((c for c in readable_calls(reader, filters) if not c.is_open(today)), key=lambda c: c.closes_on,
                  reverse=True)


def closing_soon_for(user: User, today: date, followed_themes: frozenset[str], days: int = REMINDER_DAYS) -> list[Call]:
    """Open calls on themes the member follows whose deadline is within `days`."""
    limit = today + timedelta(days=days)
    return [c for c in open_calls(user, today) if c.closes_on <= limit and followed_themes & set(c.page.themes or [])]


def readable_call(reader, page_id: int) -> Page:
    page = db.session.get(Page, page_id) if 0 < page_id <= MAX_ID else None
    if page is None or page.kind != Kind.APPEL or not policy.may(reader, "read", page):
        raise NotFound()
    return page


def funders_of(reader) -> list[str]:
    """The funders named by readable calls (the list's filter)."""
    return sorted({c.fields["funder"] for c in readable_calls(reader)}, key=str.casefold)


# « Nous préparons une réponse » -------------------------------------------------------

def set_preparing(user: User, page: Page, preparing: bool) -> None:
    """Idempotent: say (or stop saying) that the member's structure prepares an answer."""
    policy.require(user, "prepare_answer", page)
    if not preparing:
        db.session.execute(delete(CallInterest).where(CallInterest.page_id == page.id,
                                                      CallInterest.user_id == user.id))
        db.session.commit()
        return
    if is_preparing(user, page):
        return
    db.session.add(CallInterest(page_id=page.id, user_id=user.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same click, twice at once
        db.session.rollback()


def is_preparing(user: User, page: Page) -> bool:
    return user.is_authenticated and db.session.scalar(
        select(CallInterest.id).where(CallInterest.page_id == page.id, CallInterest.user_id == user.id)) is not None


def preparing(reader, page: Page) -> tuple[int, list[User] | None]:
    """How many members prepare an answer, and who (with organisation and side) for those who
    may see people: the caller has checked the call is readable."""
    users = list(db.session.scalars(select(User).join(CallInterest, CallInterest.user_id == User.id)
                                    .where(CallInterest.page_id == page.id, User.is_enabled)
                                    .options(selectinload(User.organisation)).order_by(User.name)))
    return len(users), users if policy.may(reader, "see_people") else None


def sheets_funded_by(reader, funder: str, limit: int = 20) -> list[Page]:
    """Readable sheets whose « Financeurs » name this funder: what it already supported here."""
    rows = db.session.execute(
        select(Page, Revision.fields).join(Revision, Revision.id == Page.current_revision_id)
        .where(policy.readable_clause(reader), Page.kind == Kind.FICHE, Page.is_deleted == false())
        .order_by(Page.title))
    return [page for page, fields in rows if _names_same(funder, (fields or {}).get("funders", ""))][:limit]


def calls_for_digest(user: User, since: datetime, until: datetime,
                     followed_themes: frozenset[str]) -> tuple[list[Call], list[Call]]:
    """For the e-mail digest, on themes the member follows: calls new since the last digest, and
    open calls whose deadline came within DIGEST_DAYS since then (so each is announced once)."""
    calls = [c for c in open_calls(user, until.date()) if followed_themes & set(c.page.themes or [])]
    new = [c for c in calls if since < c.page.created_at <= until]
    closing = [c for c in calls if c not in new
               and since.date() < c.closes_on - timedelta(days=DIGEST_DAYS) <= until.date()]
    return new, closing
