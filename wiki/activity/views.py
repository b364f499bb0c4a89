"""« Modifications récentes », « Mon fil », following, and the Atom feeds of changes."""
from dataclasses import replace

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user, login_required

from ..errors import NotFound
from ..groups import services as groups
from ..models import utcnow
from ..mail import digests, outbox
from ..pages import services as pages
from ..pagination import Pagination
from ..security import safe_next
from ..sheets.themes import theme_names
from . import feeds, follows, services
from .forms import ChangesFilterForm, FollowSettingsForm, FollowThemeForm

bp = Blueprint("activity", __name__)

PER_PAGE = 50
FEED_SIZE = 50


def _listing(reader, template: str, followed=None, **context):
    form = ChangesFilterForm(formdata=request.args)
    all_groups = groups.list_groups()
    form.set_choices(all_groups, sorted(theme_names().items(), key=lambda item: item[1]))
    group = next((g for g in all_groups if g.slug == form.chosen("groupe")), None)
    filters = services.Filters(kind=form.chosen("type"), group_id=group.id if group else None,
                               theme=form.chosen("theme"), side=form.chosen("cote"))
    pagination = Pagination.from_request(PER_PAGE)
    with_followed = replace(filters, followed=followed)
    pagination.with_total(services.count_changes(reader, with_followed))
    items = services.recent_changes(reader, with_followed, offset=pagination.offset, limit=PER_PAGE)
    return render_template(template, changes=items, filters=form, pagination=pagination,
                           filtered=filters != services.Filters(), **context)


@bp.route("/modifications")
def changes():
    return _listing(current_user, "activity/changes.html")


@bp.route("/mon-fil")
@login_required
def my_feed():
    return _my_feed(new_feed_token=None)


def _my_feed(new_feed_token: str | None):
    """« Mon fil »: what changed in what the member follows, what they follow, their feeds'
    addresses (a new one shown once: only its hash is kept)."""
    theme_form = FollowThemeForm()
    theme_form.set_choices(theme_names())
    settings_form = FollowSettingsForm(follow_own_edits=current_user.follow_own_edits,
                                       mail_frequency=current_user.mail_frequency)
    return _listing(current_user, "activity/my_feed.html", followed=follows.followed(current_user),
                    followed_items=follows.followed_items(current_user), theme_form=theme_form,
                    settings_form=settings_form, new_feed_token=new_feed_token, theme_names=theme_names(),
                    mail=outbox.enabled())


def _target(target: str, key: str):
    """The followed object, if it exists and the member may read it (404 otherwise)."""
    if target == "page":
        return pages.get_readable_page(current_user, key)[0]
    if target == "group":
        return groups.get_group(key)
    if target == "theme" and key in theme_names():
        return key
    raise NotFound()


@bp.route("/suivre/<any(page, group, theme):target>/<key>", methods=["POST"])
@login_required
def follow(target: str, key: str):
    follows.follow(current_user, target, _target(target, key))
    flash(_("Vous suivez désormais ce contenu : ses modifications arrivent dans « Mon fil »."), "success")
    return redirect(safe_next(request.form.get("suite")))


@bp.route("/ne-plus-suivre/<any(page, group, theme):target>/<key>", methods=["POST"])
@login_required
def unfollow(target: str, key: str):
    follows.unfollow(current_user, target, _target(target, key))
    flash(_("Vous ne suivez plus ce contenu."), "info")
    return redirect(safe_next(request.form.get("suite")))


@bp.route("/mon-fil/theme", methods=["POST"])
@login_required
def follow_theme():
    form = FollowThemeForm()
    form.set_choices(theme_names())
    if form.validate_on_submit():
        follows.follow(current_user, "theme", form.theme.data)
        flash(_("Vous suivez désormais ce thème."), "success")
    else:
        flash(_("Choisissez un thème de la liste."), "error")
    return redirect(url_for("activity.my_feed"))


@bp.route("/mon-fil/reglages", methods=["POST"])
@login_required
def settings():
    form = FollowSettingsForm()
    if form.validate_on_submit():
        follows.set_follow_own_edits(current_user, form.follow_own_edits.data)
        if outbox.enabled() and form.mail_frequency.data in digests.FREQUENCIES:
            digests.set_frequency(current_user, form.mail_frequency.data)
        flash(_("Réglage enregistré."), "success")
    return redirect(url_for("activity.my_feed"))


@bp.route("/mon-fil/adresse", methods=["POST"])
@login_required
def new_feed_address():
    return _my_feed(new_feed_token=feeds.new_feed_token(current_user))


@bp.route("/mon-fil/adresse/supprimer", methods=["POST"])
@login_required
def revoke_feed_address():
    feeds.revoke_feed_token(current_user)
    flash(_("Adresse de vos flux supprimée : ils ne sont plus lisibles."), "info")
    return redirect(url_for("activity.my_feed"))


@bp.app_template_global()
def is_following(target: str, obj) -> bool:
    return follows.is_following(current_user, target, obj)


def _feed(reader, title: str, self_url: str, followed=None, personal: bool = True):
    items = services.recent_changes(reader, services.Filters(followed=followed), limit=FEED_SIZE)
    response = make_response(render_template("activity/feed.atom.xml", changes=items, title=title,
                                             self_url=self_url, updated=items[0].at if items else utcnow()))
    response.mimetype = "application/atom+xml"
    if personal:  # a member's reading, at a secret address: kept by no cache
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/flux/modifications.atom")
def public_feed():
    """What anyone may read, whoever asks: a feed is passed on and relayed to groups."""
    return _feed(AnonymousUserMixin(), _("Passerelle — modifications publiques"),
                 url_for("activity.public_feed", _external=True), personal=False)


@bp.route("/flux/<token>/modifications.atom")
def personal_feed(token: str):
    """Everything its member may read; a revoked address is a 404, like one that never was."""
    user = _feed_owner(token)
    return _feed(user, _("Passerelle — modifications pour %(name)s", name=user.name),
                 url_for("activity.personal_feed", token=token, _external=True))


@bp.route("/flux/<token>/fil.atom")
def personal_followed_feed(token: str):
    user = _feed_owner(token)
    return _feed(user, _("Passerelle — le fil de %(name)s", name=user.name),
                 url_for("activity.personal_followed_feed", token=token, _external=True),
                 followed=follows.followed(user))


def _feed_owner(token: str):
    user = feeds.user_for_feed_token(token)
    if user is None:
        raise NotFound()
    return user
