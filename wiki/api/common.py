"""Helpers shared by the API modules."""
from flask import abort, g, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin

from .. import policy
from ..errors import error_response


def api_user():
    return g.get("api_user") or AnonymousUserMixin()


def require_member():
    """Writes need a token: 401 for anonymous calls."""
    if not policy.reader_of(api_user()).is_member:
        abort(error_response(401, _("Un jeton d'API est nécessaire (en-tête Authorization: Bearer …).")))
    return api_user()


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(error_response(400, _("Un objet JSON est attendu (Content-Type: application/json).")))
    return body


def int_arg(name: str, default: int, low: int = 1, high: int = 10_000) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(error_response(400, _("Le paramètre « %(name)s » doit être un entier.", name=name)))
    if not low <= value <= high:
        abort(error_response(400, _("Le paramètre « %(name)s » doit être entre %(low)d et %(high)d.",
                                    name=name, low=low, high=high)))
    return value
