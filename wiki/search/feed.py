"""Turns database rows into search documents and reads the page_changes feed."""
from __future__ import annotations

import re
from collections.abc import Iterator

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import policy
from ..auth.models import User
from ..discussions.models import Comment
from ..extensions import db
from ..markup import plain_text
from ..pages.models import Page, PageChange, Revision
from ..sheets.fields import LIST_FIELDS, SIDE_FIELDS, YEAR_FIELDS, sheet_years
from ..sheets.themes import theme_names
from .documents import SearchDoc

# Sections that identify a sheet (summary, place, partners, funders): they come first in its text.
IDENTITY_FIELDS = ("abstract", "region", "cercle", "commune", "town_fr", *LIST_FIELDS, "funders")


def latest_change_id() -> int:
    return db.session.scalar(select(func.max(PageChange.id))) or 0


def changes_since(change_id: int, limit: int = 500) -> tuple[list[int], int]:
    """(distinct page ids changed after change_id, newest change id seen)."""
    rows = db.session.execute(select(PageChange.id, PageChange.page_id).where(PageChange.id > change_id)
                              .order_by(PageChange.id).limit(limit)).all()
    if not rows:
        return [], change_id
    return list(dict.fromkeys(r.page_id for r in rows)), rows[-1].id


def docs_for(page_ids: list[int]) -> dict[int, SearchDoc | None]:
    """A document per page id; None for pages that must leave the index."""
    pages = {p.id: p for p in db.session.scalars(select(Page).where(Page.id.in_(page_ids))
                                                 .options(selectinload(Page.current)))}
    live = [pages[pid] for pid in page_ids if pid in pages and not pages[pid].is_deleted]
    docs = _docs(live, theme_names())
    return {pid: docs.get(pid) for pid in page_ids}


def rebuild_docs() -> Iterator[SearchDoc]:
    themes = theme_names()
    ids = db.session.scalars(select(Page.id).where(Page.is_deleted.is_(False)).order_by(Page.id)).all()
    for start in range(0, len(ids), 500):
        pages = db.session.scalars(select(Page).where(Page.id.in_(ids[start:start + 500])).order_by(Page.id)
                                   .options(selectinload(Page.current))).all()
        yield from _docs(pages, themes).values()


def _text(value) -> str:
    return " ".join(value) if isinstance(value, list) else str(value)


# What Markdown would change: inline marks, links, HTML and entities, and block syntax at
# the start of a line (headings, lists, quotes, code, tables, definitions, setext underlines).
_MARKDOWN = re.compile(r"[\\`*_\[\]<>&|~]|^(?: {0,3}(?:[#>:=+-]|\d+[.)])|    |\t)", re.MULTILINE)


def _plain(text: str) -> str:
    """plain_text() for what a reader sees; prose without any Markdown (most sheet sections)
    skips the renderer, which would only wrap its paragraphs."""
    return plain_text(text) if _MARKDOWN.search(text) else "\n".join(p.strip() for p in text.split("\n\n")).strip()


def left_out() -> set[int]:
    """Pages whose document could not be built (a damaged row): left out of this app's index,
    which keeps following the feed; logged, and counted in /healthz."""
    return current_app.extensions.setdefault("wiki_search_left_out", set())


def _docs(pages: list[Page], theme_names: dict[str, str]) -> dict[int, SearchDoc]:
    """Documents of these pages by page id, their authors read in one query."""
    authors: dict[int, list] = {}
    rows = db.session.execute(select(Revision.page_id, Revision.author_side, User.name, User.id)
                              .join(User, Revision.author_id == User.id)
                              .where(Revision.page_id.in_([p.id for p in pages])).distinct()
                              .order_by(Revision.page_id, User.id))
    for row in rows:
        authors.setdefault(row.page_id, []).append(row)
    comments: dict[int, list[Comment]] = {}
    for comment in db.session.scalars(select(Comment).where(Comment.page_id.in_([p.id for p in pages]),
                                                            Comment.is_deleted.is_(False)).order_by(Comment.id)):
        comments.setdefault(comment.page_id, []).append(comment)
    docs = {}
    for page in pages:
        try:
            docs[page.id] = _doc(page, theme_names, authors.get(page.id, []), comments.get(page.id, []))
        except Exception:  # noqa: BLE001 - one damaged page must not stop search for everyone
            current_app.logger.exception("search: page %d left out of the index, its document cannot be built", page.id)
            left_out().add(page.id)
        else:
            left_out().discard(page.id)
    return docs


def _doc(page: Page, theme_names: dict[str, str], authors: list, comments: list[Comment]) -> SearchDoc:
    current = page.current
    # The document is read by whoever may read the page: only comments they may all read.
    discussion = [_plain(c.body) for c in comments
                  if policy.audience_covers((c.visibility, c.group_id), (page.visibility, page.group_id))]
    fields = current.fields or {}
    identity = [_text(fields[k]) for k in IDENTITY_FIELDS if fields.get(k)]
    identity += [theme_names.get(t, t.replace("-", " ")) for t in page.themes or []]
    story = [_plain(_text(v)) for k, v in fields.items() if k not in IDENTITY_FIELDS and k not in YEAR_FIELDS]
    sides = {a.author_side for a in authors} | {side for key, side in SIDE_FIELDS.items() if fields.get(key)}
    return SearchDoc(
        page_id=page.id, slug=page.slug, title=current.title, identity="\n".join(identity),
        body="\n\n".join([_plain(current.body), *story, *discussion]).strip(), people=" ".join(a.name for a in authors),
        kind=page.kind, visibility=page.visibility, group=str(page.group_id or ""), themes=list(page.themes or []),
        region=fields.get("region", ""), sides=sorted(sides), years=sheet_years(fields, page.updated_at), status=page.status,
        author_ids=sorted({a.id for a in authors}), updated=int(page.updated_at.timestamp()),
        language=page.language)
