"""API: files attached to a page (multipart upload, listing)."""
from flask import jsonify, request
from flask_babel import gettext as _

from ..attachments import services
from ..attachments.links import attachment_json
from ..attachments.types import RejectedFile
from ..attachments.views import send_attachment
from ..errors import error_response
from ..pages import services as pages
from ..policy import PermissionDenied
from . import schemas
from .common import api_user
from .operations import operation

NO_FILE = "No such page, file or version, or not readable by the caller."


@operation("POST", "/pages/<slug>/attachments", tag="pages", writes=True, upload=schemas.AttachmentUpload,
           summary="Attach a file to a page (contributors who may edit it)",
           description="Photos are turned upright (EXIF orientation), reduced to 1600 px and re-encoded as WebP "
                       "without metadata (GPS position, camera, author), with a 400 px thumbnail. A new upload "
                       "under an existing name becomes a new version; the same content again under the same "
                       "name changes nothing (200).",
           answers={201: (schemas.Attachment, "Stored."),
                    200: (schemas.Attachment, "Identical to the current version under this name: nothing new "
                                              "stored."),
                    400: "No `file` field in a multipart/form-data body, or a file name holding control "
                         "characters or bidi overrides.",
                    403: "The caller may read the page but not edit it.",
                    404: "No such page, or the caller may not read it (both answer the same).",
                    413: "The file exceeds {ATTACHMENT_MAX_BYTES} bytes (ATTACHMENT_MAX_BYTES); nothing is stored.",
                    422: "Refused file: a type not accepted (whatever its name says), empty, damaged, a photo "
                         "of too many pixels, a document that would decompress to too much, encrypted or with "
                         "macros. Nothing is stored."})
def upload_attachment(slug: str):
    """Field `file`; the body limit of this route is ATTACHMENT_MAX_BYTES (see attachments.views)."""
    user = api_user()
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


@operation("GET", "/pages/<slug>/attachments", tag="pages",
           summary="Files attached to a page (deleted versions are left out)",
           answers={200: (schemas.AttachmentList, "The files."),
                    404: "No such page, or the caller may not read it (both answer the same)."})
def list_attachments(slug: str):
    page, _by_alias = pages.get_readable_page(api_user(), slug)
    return jsonify({"slug": page.slug, "attachments": [
        {**attachment_json(entry.current, api=True),
         "older": [attachment_json(a, current=False, api=True) for a in entry.older]}
        for entry in services.list_files(page)]})


@operation("GET", "/pages/<slug>/attachments/<name>", tag="pages", query=schemas.FileQuery,
           summary="The file's bytes (the current version, or `version`), with the caller's token",
           answers={200: (None, "The file, with its stored content type."), 404: NO_FILE})
def attachment_file(slug: str, name: str, query: schemas.FileQuery):
    """The file (`?version=N` for an older one), with the caller's token: the same read check as the page."""
    page, _by_alias = pages.get_readable_page(api_user(), slug)
    return send_attachment(services.get_file(page, api_user(), name, query.version))


@operation("GET", "/pages/<slug>/attachments/<name>/thumbnail", tag="pages", query=schemas.FileQuery,
           summary="The 400 px WebP thumbnail of an image, with the caller's token",
           answers={200: (None, "The thumbnail (image/webp)."),
                    404: "Not an image, or no such page, file or version readable by the caller."})
def attachment_thumbnail(slug: str, name: str, query: schemas.FileQuery):
    page, _by_alias = pages.get_readable_page(api_user(), slug)
    attachment = services.get_file(page, api_user(), name, query.version)
    if not attachment.is_image:
        return error_response(404, _("Ce fichier n'a pas de miniature."))
    return send_attachment(attachment, thumbnail=True)
