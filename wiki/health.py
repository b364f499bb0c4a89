"""`GET /healthz` for load balancers and monitoring: 200 when the database answers, with how
many changes the search index of this server has not replayed yet and how many pages it left
out (their document could not be built; the log names them); 503 otherwise. It names
nothing private (no page, no count of the wiki's pages, no configuration)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from . import search

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    try:
        newest = search.latest_change_id()
    except SQLAlchemyError:
        current_app.logger.exception("health check: the database does not answer")
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
    else:
        response = jsonify(status="ok", database="ok", search={"changes_behind": search.changes_behind(newest),
                                                                 "pages_left_out": search.pages_left_out()})
    response.headers["Cache-Control"] = "no-store"
    return response
