"""Recent changes: revisions (new pages and edits), sheet validations, attached files,
comments and news from the field, newest first, each read through the policy (a revision, a
comment and a news item keep the audience they were written for; a validation and a file are
as readable as their page)."""
from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import joinedload

from .. import policy
from .follows import Followed
from ..attachments.models import Attachment
from ..auth.models import User
from ..discussions.models import Comment
from ..extensions import db
from ..news.models import News
from ..pages.models import Kind, Page, Revision
from ..sheets.fields import SIDE_FIELDS

KINDS = ("creation", "edit", "validation", "attachment", "comment", "news")
EXCERPT = 140  # characters of a comment shown in the list
MAX_SCANNED = 5_000  # changes a listing may reach (page × size); older ones are in each page's history


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    at: datetime
    page: Page
    author: User | None
    side: str
    summary: str = ""
    revision: int | None = None  # creation, edit
    file_name: str | None = None  # attachment
    file_version: int | None = None
    source_id: int = 0  # the revision's, page's, attachment's, comment's or news item's id
    voice: str | None = None  # an edit that gave a sheet its « Regard du Nord » or « du Sud »: that side

    @property
    def key(self) -> str:
        """Stable across requests and servers: feeds and programs tell changes apart by it."""
        return f"{self.kind}-{self.source_id}"


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    group_id: int | None = None
    theme: str | None = None
    side: str | None = None
    since: datetime | None = None  # strictly after
    followed: Followed | None = None  # « Mon fil »: only the pages, groups and themes followed


def recent_changes(reader, filters: Filters = Filters(), *, offset: int = 0, limit: int = 50) -> list[Change]:
    """Newest first; `offset + limit` is bounded by MAX_SCANNED."""
    wanted = min(offset + limit, MAX_SCANNED)
    sources = [_fetch(source, reader, filters, wanted) for source in _sources(filters)]
    merged = heapq.merge(*sources, key=_order, reverse=True)
    return _with_voices(list(merged)[offset:wanted])


def changes_after(reader, since: datetime, *, limit: int) -> list[Change]:
    """Oldest first after `since`: a program reads on from the last change it saw."""
    filters = Filters(since=since)
    sources = [_fetch(source, reader, filters, limit, oldest_first=True) for source in _sources(filters)]
    return _with_voices(list(heapq.merge(*sources, key=_order))[:limit])


def _with_voices(changes: list[Change]) -> list[Change]:
    """Edits that filled a side's « regard » of a sheet say so: the product makes both voices
    visible. One query for the revisions before these edits."""
    edits = [c for c in changes if c.kind == "edit" and c.page.kind == Kind.FICHE]
    if not edits:
        return changes
    before = {(page_id, number): fields or {} for page_id, number, fields in db.session.execute(
        select(Revision.page_id, Revision.number, Revision.fields).where(or_(*(
            (Revision.page_id == c.page.id) & (Revision.number == c.revision - 1) for c in edits))))}
    now = {revision_id: fields or {} for revision_id, fields in db.session.execute(
        select(Revision.id, Revision.fields).where(Revision.id.in_([c.source_id for c in edits])))}
    voices = {}
    for change in edits:
        previous = before.get((change.page.id, change.revision - 1), {})
        added = [side for key, side in SIDE_FIELDS.items() if now.get(change.source_id, {}).get(key)
                 and not previous.get(key)]
        if added:
            voices[change.key] = added[0]
    return [replace(c, voice=voices[c.key]) if c.key in voices else c for c in changes]


def _order(change: Change) -> tuple:
    """As each source is sorted (by time, then row id)."""
    return change.at, change.source_id


def count_changes(reader, filters: Filters = Filters()) -> int:
    return min(MAX_SCANNED, sum(db.session.scalar(select(func.count()).select_from(_query(source, reader, filters)
                                                                                    .subquery()))
                                for source in _sources(filters)))


@dataclass(frozen=True)
class Source:
    """One table changes are read from: its rows the reader may read (`readable`), when they
    happened, by which side, and how a row reads as a Change."""

    kinds: tuple[str, ...]
    readable: Callable  # reader → the select of its rows, joined with Page, through the policy
    at: object  # the row's time column
    side: object  # the author's side column
    row_id: object
    loads: tuple  # relationships read with each row
    change: Callable  # row → Change


def _sources(filters: Filters) -> list[Source]:
    return [source for source in SOURCES if filters.kind in (None, *source.kinds)]


def _query(source: Source, reader, filters: Filters):
    query = source.readable(reader)
    if filters.kind == "creation":
        query = query.where(Revision.number == 1)
    elif filters.kind == "edit":
        query = query.where(Revision.number > 1)
    if filters.side:
        query = query.where(source.side == filters.side)
    if filters.since:
        query = query.where(source.at > filters.since)
    return _page_filters(query, filters)


def _fetch(source: Source, reader, filters: Filters, limit: int, oldest_first: bool = False) -> list[Change]:
    order = (source.at, source.row_id) if oldest_first else (source.at.desc(), source.row_id.desc())
    query = (_query(source, reader, filters).options(*(joinedload(load) for load in source.loads))
             .order_by(*order).limit(limit))
    return [source.change(row) for row in db.session.scalars(query)]


def _page_filters(query, filters: Filters):
    query = query.where(Page.is_deleted == false())
    if filters.group_id is not None:
        query = query.where(Page.group_id == filters.group_id)
    if filters.theme:
        query = query.where(Page.id.in_(_pages_with_themes({filters.theme})))
    if filters.followed is not None:
        chosen = filters.followed
        query = query.where(Page.id.in_(sorted(chosen.page_ids | set(_pages_with_themes(chosen.themes))))
                            | Page.group_id.in_(sorted(chosen.group_ids)))
    return query


def _pages_with_themes(themes: frozenset[str] | set[str]) -> list[int]:
    """Themes are a short JSON list: matched here, portable across databases."""
    if not themes:
        return []
    return [page_id for page_id, page_themes in db.session.execute(select(Page.id, Page.themes))
            if themes.intersection(page_themes or ())]


def comment_change(comment: Comment) -> Change:
    return Change("comment", comment.created_at, comment.page, comment.author, comment.author_side,
                  excerpt(comment.body), source_id=comment.id)


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1].rstrip() + "…"


SOURCES = (
    Source(("creation", "edit"),
           lambda reader: select(Revision).join(Page, Revision.page_id == Page.id)
           .where(policy.readable_revisions_clause(reader)),
           Revision.created_at, Revision.author_side, Revision.id, (Revision.page, Revision.author),
           lambda r: Change("creation" if r.number == 1 else "edit", r.created_at, r.page, r.author, r.author_side,
                            r.summary, revision=r.number, source_id=r.id)),
    Source(("validation",),
           lambda reader: select(Page).join(User, Page.validated_by_id == User.id)
           .where(Page.validated_at.is_not(None), policy.readable_clause(reader)),
           Page.validated_at, User.side, Page.id, (Page.validated_by,),
           lambda p: Change("validation", p.validated_at, p, p.validated_by, p.validated_by.side, source_id=p.id)),
    Source(("attachment",),
           lambda reader: select(Attachment).join(Page, Attachment.page_id == Page.id)
           .where(Attachment.is_deleted == false(), policy.readable_clause(reader)),
           Attachment.created_at, Attachment.uploader_side, Attachment.id, (Attachment.page, Attachment.uploader),
           lambda a: Change("attachment", a.created_at, a.page, a.uploader, a.uploader_side, file_name=a.name,
                            file_version=a.version, source_id=a.id)),
    Source(("comment",),
           lambda reader: select(Comment).join(Page, Comment.page_id == Page.id)
           .where(Comment.is_deleted == false(), policy.readable_comments_clause(reader)),
           Comment.created_at, Comment.author_side, Comment.id, (Comment.page, Comment.author),
           comment_change),
    Source(("news",),
           lambda reader: select(News).join(Page, News.page_id == Page.id).where(policy.readable_news_clause(reader)),
           News.created_at, News.author_side, News.id, (News.page, News.author),
           lambda n: Change("news", n.created_at, n.page, n.author, n.author_side, excerpt(n.text), source_id=n.id)),
)
