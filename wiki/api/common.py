"""Helpers shared by the API modules."""
from datetime import datetime, timezone

from flask import abort, g
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


def as_utc(moment: datetime) -> datetime:
    """A moment without an offset is UTC."""
    try:
        return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except OverflowError:  # next to year 1 or 9999, an offset leaves the calendar
        return moment.replace(tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
