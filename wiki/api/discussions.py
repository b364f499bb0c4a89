"""API: the discussion below a page."""
from flask import jsonify

from ..discussions import services
from ..pages import services as pages
from ..policy import PermissionDenied
from ..errors import error_response
from . import schemas
from .common import api_user
from .operations import operation

PAGE_NOT_FOUND = "No such page, or the caller may not read it (both answer the same)."


@operation("GET", "/pages/<slug>/comments", tag="pages", summary="The discussion below a page",
           description="Comments the caller may read: one written while the page was reserved to a narrower "
                       "audience stays reserved to it.",
           answers={200: (schemas.CommentList, "The comments."), 404: PAGE_NOT_FOUND})
def list_comments(slug: str):
    page, _by_alias = pages.get_readable_page(api_user(), slug)
    items = [c for t in services.list_threads(page, api_user()) for c in (t.comment, *t.replies)]
    return jsonify({"slug": page.slug, "comments": [_comment_json(c) for c in items]})


@operation("POST", "/pages/<slug>/comments", tag="pages", writes=True, body=schemas.CommentCreate,
           summary="Comment on a page (members who may read it)",
           answers={201: (schemas.CommentItem, "Published."), 404: "No such page or comment to answer, or "
                    "the caller may not read it.", 403: "The caller may not comment (a deleted page)."})
def add_comment(slug: str, body: schemas.CommentCreate):
    page, _by_alias = pages.get_readable_page(api_user(), slug)
    try:
        comment = services.add_comment(page, api_user(), body.body, parent_id=body.parent)
    except PermissionDenied as exc:
        return error_response(403, str(exc) or None)
    return jsonify(_comment_json(comment)), 201


def _comment_json(comment) -> dict:
    deleted = comment.is_deleted
    return {"id": comment.id, "parent": comment.parent_id, "author": comment.author.name if comment.author and not deleted else None,
            "side": comment.author_side, "body": "" if deleted else comment.body,
            "html": "" if deleted else services.comment_html(comment, api_user()),
            "created": comment.created_at.isoformat(), "edited": comment.edited_at.isoformat() if comment.edited_at
            else None, "deleted": deleted}
