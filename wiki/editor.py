"""The server side of static/js/editor.js (the editing forms, better with JavaScript).

- `POST /apercu[?page=slug]`: the live preview. The Markdown goes through render_html, the
  one sanitizing pipeline, with the page's attachments, and its [[links]] are marked « à créer »
  exactly as on a saved page.
  Answers an HTML fragment, or a short sentence in the reader's language (text/plain) on error.
- Forms that editor.js sends with fetch() (header `X-Passerelle-Editor`) get a redirect
  turned into `204 No Content` + `X-Passerelle-Location`: fetch() would otherwise follow the
  redirect itself and that hidden GET would use up the flash messages (« Modifications
  enregistrées. ») of the page the browser then loads."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from .attachments.links import files_url
from . import policy
from .markup import TOO_COMPLEX_MESSAGE, TooComplex, render_html
from .pages.services import find_page, mark_links_for

bp = Blueprint("editor", __name__)

EDITOR_HEADER = "X-Passerelle-Editor"
LOCATION_HEADER = "X-Passerelle-Location"
# The longest text a form accepts is MAX_BODY_LENGTH characters (checked too): this leaves room
# for it in UTF-8 with the form's encoding around it. MAX_CONTENT_LENGTH bounds what is read.
MAX_PREVIEW_BYTES = 1024 * 1024

MESSAGES = {
    400: _l("Le formulaire a expiré ; rechargez la page (votre texte est gardé sur cet appareil)."),
    401: _l("Vous n'êtes plus connecté : reconnectez-vous pour voir l'aperçu."),
    403: _l("Vous n'avez pas le droit de modifier des pages."),
    413: _l("Texte trop long pour l'aperçu."),
    422: TOO_COMPLEX_MESSAGE,
}
UNAVAILABLE = _l("L'aperçu n'est pas disponible.")


def _text(status: int) -> Response:
    response = Response(str(MESSAGES.get(status, UNAVAILABLE)), status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def preview_error(exc: HTTPException):
    """Errors of this route (expired CSRF token, wrong method…) as one sentence for the reader."""
    return _text(exc.code or 500)


@bp.route("/apercu", methods=["POST"])
def preview():
    if not current_user.is_authenticated:
        return _text(401)
    if not policy.may(current_user, "create"):
        return _text(403)
    if (request.content_length or 0) > MAX_PREVIEW_BYTES:
        return _text(413)
    text = request.form.get("text", "")
    if len(text) > current_app.config["MAX_BODY_LENGTH"]:
        return _text(413)
    # On an existing page (?page=slug), `fichier:` references point at its attachments, as once saved.
    slug = request.args.get("page")
    page = find_page(slug)[0] if slug else None
    files = files_url(page) if page is not None and policy.may(current_user, "edit", page) else None
    try:
        html = render_html(text, files_url=files)
    except TooComplex:
        return _text(422)
    response = Response(mark_links_for(html, current_user), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_app_request
def redirect_for_editor(response: Response) -> Response:
    if request.method == "POST" and request.headers.get(EDITOR_HEADER) and response.status_code in (301, 302, 303):
        response.headers[LOCATION_HEADER] = response.headers.pop("Location", "")
        response.headers.pop("Content-Encoding", None)
        response.status_code = 204
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
    return response
