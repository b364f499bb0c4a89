"""API: files attached to a page (multipart upload, listing)."""
from flask import jsonify, request
from flask_babel import gettext as _

from ..attachments import services
from ..attachments.links import attachment_json
from ..attachments.types import RejectedFile
from ..attachments.views import send_attachment, version_arg
from ..policy import PermissionDenied
from ..errors import error_response
from ..pages import services as pages
from .blueprint import bp
from .common import api_user, require_member


@bp.post("/pages/<slug>/attachments")
def upload_attachment(slug: str):
    """Field `file`; the body limit of this route is ATTACHMENT_MAX_BYTES (see attachments.views)."""
    user = require_member()
    page, _by_alias = pages.get_readable_page(user, slug)
    item = request.files.get("file")
    if item is None:
        return error_response(400, _("Un fichier est attendu (multipart/form-data, champ « file »)."))
    try:
        attachment, created = services.upload(page, user, item.stream, item.filename or "")
    except RejectedFile as exc:
        return error_response(exc.status, exc.message)
    except PermissionDenied as exc:
        return error_response(403, str(exc) or None)
    return jsonify(attachment_json(attachment, api=True)), 201 if created else 200


@bp.get("/pages/<slug>/attachments")
def list_attachments(slug: str):
    page, _by_alias = pages.get_readable_page(api_user(), slug)
    return jsonify({"slug": page.slug, "attachments": [
        {**attachment_json(entry.current, api=True),
         "older": [attachment_json(a, current=False, api=True) for a in entry.older]}
        for entry in services.list_files(page)]})


@bp.get("/pages/<slug>/attachments/<name>")
def attachment_file(slug: str, name: str):
    """The file (`?version=N` for an older one), with the caller's token: the same read check as the page."""
    page, _by_alias = pages.get_readable_page(api_user(), slug)
    return send_attachment(services.get_file(page, api_user(), name, version_arg()))


@bp.get("/pages/<slug>/attachments/<name>/thumbnail")
def attachment_thumbnail(slug: str, name: str):
    page, _by_alias = pages.get_readable_page(api_user(), slug)
    attachment = services.get_file(page, api_user(), name, version_arg())
    if not attachment.is_image:
        return error_response(404, _("Ce fichier n'a pas de miniature."))
    return send_attachment(attachment, thumbnail=True)
