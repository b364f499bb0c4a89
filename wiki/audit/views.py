"""The journal of coordinator actions (coordinators only)."""
from flask import Blueprint, current_app, render_template, request

from .. import policy
from ..pagination import Pagination
from . import services
from .services import ACTION_LABELS

bp = Blueprint("audit", __name__, url_prefix="/admin/journal")


@bp.route("/")
@policy.view_requires("manage")
def index():
    """Who did what, when, from which address; newest first, filterable by action."""
    pagination = Pagination.from_request(current_app.config["PER_PAGE"])
    action = request.args.get("action", "")[:60] or None
    events, total = services.list_events(pagination.page, pagination.per_page, action=action)
    return render_template("audit/index.html", events=events, pagination=pagination.with_total(total),
                           action=action, actions=services.list_actions(), labels=ACTION_LABELS)
