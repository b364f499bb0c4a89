"""Turns database rows into search documents and reads the page_changes feed."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select

from ..auth.models import User
from ..extensions import db
from ..sheets.fields import LIST_FIELDS
from ..pages.models import Page, PageChange, Revision
from . import SearchDoc


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
    pages = {p.id: p for p in db.session.scalars(select(Page).where(Page.id.in_(page_ids)))}
    return {pid: (_doc(pages[pid]) if pid in pages and not pages[pid].is_deleted else None)
            for pid in page_ids}


def rebuild_docs() -> Iterator[SearchDoc]:
    for page in db.session.scalars(select(Page).where(Page.is_deleted.is_(False)).order_by(Page.id)):
        yield _doc(page)


def _doc(page: Page) -> SearchDoc:
    current = page.current
    fields = current.fields or {}
    authors = db.session.execute(select(Revision.author_side, User.name, User.id)
                                 .join(User, Revision.author_id == User.id)
                                 .where(Revision.page_id == page.id).distinct()).all()
    text_fields = " \n".join(str(v) for k, v in fields.items() if not isinstance(v, list))
    partners = [name for key in LIST_FIELDS for name in fields.get(key, [])]
    return SearchDoc(
        page_id=page.id, slug=page.slug, title=current.title, body=f"{current.body}\n{text_fields}".strip(),
        people=" ".join([*(a.name for a in authors), *partners]), kind=page.kind, visibility=page.visibility,
        group=str(page.group_id or ""), themes=list(page.themes or []), region=fields.get("region", ""),
        sides=sorted({a.author_side for a in authors}), year=page.updated_at.year, status=page.status,
        author_ids=sorted({a.id for a in authors}))
