"""The API's blueprint: bearer tokens only (cookies are ignored, so no CSRF), never stored."""
from flask import Blueprint, g, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin

from ..auth import tokens
from ..errors import error_response
from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def authenticate():
    g.api_user = AnonymousUserMixin()
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _space, token = header.partition(" ")
    user = tokens.user_for_api_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return error_response(401, _("Jeton d'API invalide ou révoqué."))
    g.api_user = user
    return None


@bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
