"""Comments below a page: written by members who may read it, read by who may read the page
and would have read it when the comment was written, edited and deleted by their author,
moderated by coordinators (soft delete, audited). A new comment reaches search through the
change feed, like an edit."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from .. import policy, search
from ..audit import services as audit
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..markup import TOO_COMPLEX_MESSAGE, TooComplex, render_html
from ..models import utcnow
from ..pages.models import Page, PageChange
from ..pages.services import mark_links_for
from .models import Comment

MAX_COMMENT = 5_000  # characters: a comment is a few paragraphs, a page is for more


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def list_threads(page: Page, reader) -> list[Thread]:
    """The page's comments `reader` may read, oldest first, replies under their comment. A
    deleted comment with replies stays as a placeholder, so that the replies keep their place."""
    comments = list(db.session.scalars(
        select(Comment).join(Page, Comment.page_id == Page.id)
        .where(Comment.page_id == page.id, policy.readable_comments_clause(reader))
        .order_by(Comment.created_at, Comment.id)))
    threads = {c.id: Thread(c) for c in comments if c.parent_id is None}
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads and not comment.is_deleted:
            threads[comment.parent_id].replies.append(comment)
    return [t for t in threads.values() if not t.comment.is_deleted or t.replies]


def comment_html(comment: Comment, reader) -> str:
    return mark_links_for(comment.html, reader)


def add_comment(page: Page, author, body: str, parent_id: int | None = None) -> Comment:
    policy.require(author, "comment", page)
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.page_id != page.id or not policy.may(author, "read_comment", parent) \
                or parent.is_deleted:
            raise NotFound(_("Ce commentaire n'existe pas."))
        if parent.parent_id is not None:  # one level deep: a reply to a reply joins its thread
            parent = db.session.get(Comment, parent.parent_id)
    text, html = _checked(body)
    comment = Comment(page_id=page.id, parent_id=parent.id if parent else None, author_id=author.id,
                      author_side=author.side, body=text, html=html, visibility=page.visibility,
                      group_id=page.group_id)
    db.session.add(comment)
    db.session.add(PageChange(page_id=page.id))  # search holds the comments of its page
    db.session.commit()
    search.catch_up(background=True)
    return comment


def get_comment(page: Page, reader, comment_id: int) -> Comment:
    """A comment readers see (a deleted one is gone for them)."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.page_id != page.id or comment.is_deleted \
            or not policy.may(reader, "read_comment", comment):
        raise NotFound(_("Ce commentaire n'existe pas."))
    return comment


def edit_comment(comment: Comment, by, body: str) -> Comment:
    policy.require(by, "change_comment", comment)
    comment.body, comment.html = _checked(body)
    comment.edited_at = utcnow()
    if comment.author_id != by.id:
        audit.record(by, "comment.edit", f"page:{comment.page.slug}", {"comment": comment.id})
    db.session.add(PageChange(page_id=comment.page_id))
    db.session.commit()
    search.catch_up(background=True)
    return comment


def delete_comment(comment: Comment, by) -> None:
    """Soft: the text stays in the database for the coordinators; readers no longer see it."""
    policy.require(by, "change_comment", comment)
    comment.is_deleted = True
    comment.deleted_by_id = by.id
    audit.record(by, "comment.delete", f"page:{comment.page.slug}",
                 {"comment": comment.id, "own": comment.author_id == by.id})
    db.session.add(PageChange(page_id=comment.page_id))
    db.session.commit()
    search.catch_up(background=True)


def _checked(body: str) -> tuple[str, str]:
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Le commentaire est vide.")})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"body": _("Un commentaire fait au plus %(max)d caractères.", max=MAX_COMMENT)})
    try:
        return text, render_html(text)
    except TooComplex:
        raise ValidationError({"body": str(TOO_COMPLEX_MESSAGE)}) from None
