"""The search page."""
from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from ..pagination import Pagination
from . import search_readable

bp = Blueprint("search", __name__)

FILTERS = ("kind", "themes", "region", "group", "sides", "year")


@bp.route("/recherche")
def results():
    query = request.args.get("q", "")[:500]
    filters = {name: request.args.get(name, "")[:100] for name in FILTERS if request.args.get(name)}
    pagination = Pagination.from_request(current_app.config["PER_PAGE"])
    result, pairs = search_readable(current_user, query, filters=filters, page=pagination.page,
                                    per_page=pagination.per_page)
    return render_template("search/results.html", query=query, result=result, pairs=pairs, filters=filters,
                           pagination=pagination.with_total(result.total))
