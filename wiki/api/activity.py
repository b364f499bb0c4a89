"""API: the changes a program may read on from."""
from flask import jsonify, url_for

from ..activity import services
from . import schemas
from .common import api_user, as_utc, iso
from .operations import operation


@operation("GET", "/changes", tag="changes", query=schemas.ChangesQuery,
           summary="What changed after a moment, as the caller may read it, oldest first",
           description="New pages, edits, sheet validations and attached files of the pages the caller may "
                       "read (a revision saved while its page was reserved stays reserved to that audience).",
           answers={200: (schemas.ChangeList, "The changes.")})
def list_changes(query: schemas.ChangesQuery):
    items = services.changes_after(api_user(), as_utc(query.since), limit=query.limit)
    return jsonify({"changes": [_change_json(c) for c in items],
                    "next_since": iso(items[-1].at) if items else None})


def _change_json(change: services.Change) -> dict:
    page = change.page
    url = (url_for("pages.revision", slug=page.slug, number=change.revision, _external=True) if change.revision
           else url_for("pages.view", slug=page.slug, _external=True))
    return {"id": change.key, "kind": change.kind, "at": iso(change.at), "slug": page.slug, "title": page.title,
            "page_kind": page.kind, "author": change.author.name if change.author else None, "side": change.side,
            "summary": change.summary, "revision": change.revision, "file": change.file_name, "voice": change.voice,
            "url": url}
