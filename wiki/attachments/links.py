"""Addresses of attachments, shared by the views, the API and the Markdown rendering."""
from __future__ import annotations

from flask import url_for


def files_url(page) -> str:
    """Prefix of the page's file addresses (`fichier:NAME` in Markdown → prefix + NAME). It
    names files, not versions: rendered HTML cached with a revision stays right after later
    uploads, and a renamed page's old address redirects."""
    return url_for("pages.view", slug=page.slug) + "/fichiers/"


def attachment_json(attachment, *, current: bool = True, api: bool = False) -> dict:
    """The API's (and the upload script's) description of one version. api: the addresses are
    the API's, readable with the same bearer token (the web's need the browser's session)."""
    slug = attachment.page.slug
    version = {} if current else {"version": attachment.version}
    serve, thumbnail = ("api.attachment_file", "api.attachment_thumbnail") if api else \
        ("attachments.serve", "attachments.thumbnail")
    return {
        "name": attachment.name,
        "version": attachment.version,
        "url": url_for(serve, slug=slug, name=attachment.name, _external=True, **version),
        "thumbnail_url": url_for(thumbnail, slug=slug, name=attachment.name, _external=True,
                                 **version) if attachment.is_image else None,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "width": attachment.width,
        "height": attachment.height,
        "uploader": attachment.uploader.name if attachment.uploader else None,
        "side": attachment.uploader_side,
        "created": attachment.created_at.isoformat(),
    }
