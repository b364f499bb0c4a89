"""« Modifications récentes » and the public Atom feed of changes."""
from flask import Blueprint, make_response, render_template, request
from flask_login import AnonymousUserMixin, current_user

from ..groups import services as groups
from ..models import utcnow
from ..pagination import Pagination
from ..sheets.themes import theme_names
from . import services
from .forms import ChangesFilterForm

bp = Blueprint("activity", __name__)

PER_PAGE = 50
FEED_SIZE = 50


@bp.route("/modifications")
def changes():
    form = ChangesFilterForm(formdata=request.args)
    all_groups = groups.list_groups()
    form.set_choices(all_groups, sorted(theme_names().items(), key=lambda item: item[1]))
    group = next((g for g in all_groups if g.slug == form.chosen("groupe")), None)
    filters = services.Filters(kind=form.chosen("type"), group_id=group.id if group else None,
                               theme=form.chosen("theme"), side=form.chosen("cote"))
    pagination = Pagination.from_request(PER_PAGE)
    pagination.with_total(services.count_changes(current_user, filters))
    items = services.recent_changes(current_user, filters, offset=pagination.offset, limit=PER_PAGE)
    return render_template("activity/changes.html", changes=items, filters=form, pagination=pagination,
                           filtered=filters != services.Filters())


@bp.route("/flux/modifications.atom")
def public_feed():
    """What anyone may read, whoever asks: a feed is passed on and relayed to groups."""
    items = services.recent_changes(AnonymousUserMixin(), limit=FEED_SIZE)
    response = make_response(render_template("activity/feed.atom.xml", changes=items,
                                             updated=items[0].at if items else utcnow()))
    response.mimetype = "application/atom+xml"
    return response
