"""Web routes: upload from the page (plain form, or upload.js), serve files and thumbnails,
delete and restore. Every route loads the page through the read check first: a page the
reader may not see answers 404 for its files too."""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, request, send_file,
                   url_for)
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import policy
from ..cache import fragments
from ..errors import NotFound
from ..pages import services as pages
from . import services
from .forms import UploadForm
from .links import attachment_json
from .types import RejectedFile

bp = Blueprint("attachments", __name__)

# Downloads run in a sandbox with nothing allowed: a file that a browser would still render
# (a PDF viewer, an image opened alone) can neither run script nor reach the site.
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'"
UPLOAD_ENDPOINTS = {"attachments.upload", "api.upload_attachment"}
MULTIPART_MARGIN = 64 * 1024  # form fields and part headers around the file


@bp.app_url_value_preprocessor
def raise_body_limit_for_uploads(endpoint, _values):
    """Runs before every before_request hook (the input checks read the body first): the
    upload routes take files up to ATTACHMENT_MAX_BYTES, the others keep MAX_CONTENT_LENGTH."""
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = services.max_bytes() + MULTIPART_MARGIN


@bp.app_template_global()
def attachments_of(page) -> dict:
    """What the page templates show (the page is already readable for this reader). The
    listing is a shared fragment: the same for every reader without delete buttons."""
    reader = policy.reader_of(current_user)
    has_files, listing = fragments.shared("files", (page.id,), reader,
                                          lambda reader_, env: _listing(page, reader_, env))
    return {"has_files": has_files, "listing": listing,
            "deleted": services.list_deleted(page) if policy.may(reader, "restore") else [],
            "can_upload": policy.may(reader, "upload", page),
            "max_bytes": services.max_bytes()}


def _listing(page, reader, env) -> tuple[bool, Markup]:
    files = services.list_files(page)
    if not files:
        return False, Markup("")
    return True, fragments.render(env, "attachments/_files.html", page=page, files=files,
                                  can_delete=policy.may(reader, "delete"))


def _load(slug: str):
    page, by_alias = pages.get_readable_page(current_user, slug)
    if by_alias:
        args = {**request.view_args, "slug": page.slug, **request.args.to_dict()}
        abort(redirect(url_for(request.endpoint, **args), 301))
    return page


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/p/<slug>/fichiers", methods=["POST"])
@login_required
def upload(slug: str):
    page = _load(slug)
    policy.abort_unless("upload", page)
    form = UploadForm()
    files = [f for f in request.files.getlist("file") if f and f.filename is not None]
    if not form.validate_on_submit() or not files:
        return _upload_refused(_("Choisissez un fichier à joindre."), 400, page)
    done = []
    for item in files:
        try:
            attachment, _created = services.upload(page, current_user, item.stream, item.filename or "")
        except RejectedFile as exc:
            message = _("%(name)s : %(message)s", name=item.filename or _("Fichier"), message=exc.message)
            return _upload_refused(message, exc.status, page, done)
        except policy.PermissionDenied as exc:
            return _upload_refused(str(exc), 403, page, done)
        done.append(attachment)
    if _wants_json():
        return jsonify({"attachments": [attachment_json(a) for a in done]}), 201
    if len(done) == 1:
        flash(_attached(done), "success")
    else:
        flash(ngettext("%(num)d fichier joint.", "%(num)d fichiers joints.", len(done)), "success")
    return redirect(url_for("pages.view", slug=page.slug) + "#fichiers")


def _upload_refused(message: str, status: int, page, done=()):
    if _wants_json():
        return jsonify({"error": "refused", "message": message,
                        "attachments": [attachment_json(a) for a in done]}), status
    if done:
        flash(_attached(done), "success")
    flash(message, "error")
    return redirect(url_for("pages.view", slug=page.slug) + "#fichiers")


def _attached(done) -> str:
    """« Fichier joint : a.pdf. » (the files already stored when a later one is refused, too)."""
    return _("Fichier joint : %(names)s.", names=", ".join(a.name for a in done))


def version_arg() -> int | None:
    raw = request.args.get("version")
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise NotFound(_("Cette version du fichier n'existe pas."))
    return int(raw)


@bp.route("/p/<slug>/fichiers/<name>")
def serve(slug: str, name: str):
    page = _load(slug)
    attachment = services.get_file(page, current_user, name, version_arg())
    return send_attachment(attachment)


@bp.route("/p/<slug>/fichiers/<name>/miniature")
def thumbnail(slug: str, name: str):
    page = _load(slug)
    attachment = services.get_file(page, current_user, name, version_arg())
    if not attachment.is_image:
        raise NotFound(_("Ce fichier n'a pas de miniature."))
    return send_attachment(attachment, thumbnail=True)


def send_attachment(attachment, thumbnail: bool = False):
    """Images the pages show are inline; everything else is a download (RFC 6266 name,
    ASCII fallback and UTF-8 form). Always nosniff and sandboxed."""
    path = services.file_path(attachment, thumbnail)
    if not path.is_file():
        current_app.logger.error("Attachment %s: stored file %s is missing", attachment.id, path.name)
        raise NotFound(_("Ce fichier est introuvable sur le serveur."))
    name = attachment.download_name
    if thumbnail:
        name = name.rsplit(".", 1)[0] + "-miniature.webp"
    response = send_file(path, mimetype=attachment.content_type, as_attachment=not attachment.is_image,
                         download_name=name, conditional=True,
                         etag=attachment.thumbnail_hash if thumbnail else attachment.content_hash)
    response.headers["Content-Type"] = attachment.content_type  # as stored (send_file would add a charset)
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/p/<slug>/fichiers/<int:attachment_id>/supprimer", methods=["POST"])
@login_required
def delete(slug: str, attachment_id: int):
    return _set_deleted(slug, attachment_id, True)


@bp.route("/p/<slug>/fichiers/<int:attachment_id>/retablir", methods=["POST"])
@login_required
def restore(slug: str, attachment_id: int):
    return _set_deleted(slug, attachment_id, False)


def _set_deleted(slug: str, attachment_id: int, deleted: bool):
    page = _load(slug)
    policy.abort_unless("delete" if deleted else "restore", page)
    attachment = services.get_by_id(page, attachment_id)
    services.set_deleted(attachment, deleted, by=current_user)
    if deleted:
        message = _("Fichier « %(name)s » (version %(version)d) supprimé ; un coordinateur peut le rétablir.",
                    name=attachment.name, version=attachment.version)
    else:
        message = _("Fichier « %(name)s » (version %(version)d) rétabli.", name=attachment.name,
                    version=attachment.version)
    flash(message, "info")
    return redirect(url_for("pages.view", slug=page.slug) + "#fichiers")
