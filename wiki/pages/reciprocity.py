"""Reciprocity at a glance: who wrote lately (Nord / Sud), and which sheets still wait
for the other side's « regard ». Every number counts only pages the viewer may read."""
from __future__ import annotations

import calendar
from datetime import datetime

from sqlalchemy import false, func, or_, select

from .. import policy
from ..extensions import db
from ..models import utcnow
from .models import Kind, Page, Revision

SIDES = ("nord", "sud")
OTHER_SIDE = {"nord": "sud", "sud": "nord"}


def months_ago(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def contribution_counts(viewer, *, group_id: int | None = None, months: int = 12) -> dict[str, int]:
    """{"nord": N, "sud": M}: revisions saved in the last `months` months, by the author's
    side at the time, on pages `viewer` may read (optionally only the pages of one group)."""
    query = (select(Revision.author_side, func.count(Revision.id))
             .join(Page, Revision.page_id == Page.id)
             .where(policy.readable_revisions_clause(viewer), Page.is_deleted == false(),
                    Revision.created_at >= months_ago(utcnow(), months))
             .group_by(Revision.author_side))
    if group_id is not None:
        query = query.where(Page.group_id == group_id)
    counts = dict.fromkeys(SIDES, 0)
    for side, count in db.session.execute(query):
        if side in counts:
            counts[side] = count
    return counts


def missing_voice(page: Page, fields: dict | None) -> str | None:
    """The side whose « regard » a sheet still lacks: the empty one; when both are empty,
    the side opposite to the sheet's first author (who told the story already)."""
    fields = fields or {}
    missing = [side for side in SIDES if not fields.get(f"regard_{side}")]
    if len(missing) == 1:
        return missing[0]
    if len(missing) == 2:
        return OTHER_SIDE.get(page.origin_side, "sud")
    return None


def sheets_waiting_for_voice(viewer, *, group_id: int | None = None, limit: int = 20) -> list[tuple[Page, str]]:
    """Readable sheets whose current revision lacks a « regard », newest first, with the
    missing side ("nord" or "sud")."""
    # The « regards » live in a JSON column; SQLAlchemy's JSON accessors keep this portable
    # (json_extract on SQLite, ->> on PostgreSQL), and the database stops at `limit`.
    empty = [func.coalesce(Revision.fields[f"regard_{side}"].as_string(), "") == "" for side in SIDES]
    query = (select(Page, Revision.fields)
             .join(Revision, Revision.id == Page.current_revision_id)
             .where(policy.readable_revisions_clause(viewer), Page.is_deleted == false(), Page.kind == Kind.FICHE, or_(*empty))
             .order_by(Page.updated_at.desc(), Page.id.desc()).limit(limit))
    if group_id is not None:
        query = query.where(Page.group_id == group_id)
    waiting: list[tuple[Page, str]] = []
    for page, fields in db.session.execute(query):
        side = missing_voice(page, fields)
        if side:
            waiting.append((page, side))
    return waiting
