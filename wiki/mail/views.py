"""One-click unsubscribe from the digests (RFC 8058): the signed link is the authorisation."""
from flask import Blueprint, render_template, request

from ..errors import NotFound
from ..extensions import csrf
from . import digests

bp = Blueprint("mail", __name__)


@bp.route("/desabonnement/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail programs POST "List-Unsubscribe=One-Click" without a form token
def unsubscribe(token: str):
    """GET asks (mail scanners open links); POST unsubscribes."""
    if request.method == "GET":
        if digests.check_unsubscribe_token(token) is None:
            raise NotFound()
        return render_template("mail/unsubscribe.html", done=False)
    if digests.unsubscribe(token) is None:
        raise NotFound()
    return render_template("mail/unsubscribe.html", done=True)
