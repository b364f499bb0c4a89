"""Thematic groups: list, home page, creation, join requests and member management."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from .. import policy
from ..auth import accounts
from ..auth.models import User
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..pagination import Pagination
from . import services
from .forms import AddMemberForm, GroupFilterForm, GroupForm, JoinRequestForm
from .models import Group

bp = Blueprint("groups", __name__, url_prefix="/groupes")


def _managed_group(slug: str) -> Group:
    """The group, if the current user may manage it (403 otherwise)."""
    group = services.get_group(slug)
    policy.abort_unless("manage_group", group)
    return group


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Ce compte n'existe pas."))
    return user


def _form_errors(form, exc: ValidationError, default) -> None:
    for name, message in exc.errors.items():
        getattr(form, name, default).errors.append(message)


@bp.route("")
def index():
    return render_template("groups/index.html", groups=services.list_groups_with_counts())


@bp.route("/nouveau", methods=["GET", "POST"])
@policy.view_requires("manage")
def create():
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = services.create_group(name=form.name.data, description=form.description.data or "",
                                          by=current_user)
        except ValidationError as exc:
            _form_errors(form, exc, form.name)
        else:
            flash(_("Groupe créé. Ajoutez-lui ses co-animateurs, un du Nord et un du Sud."), "success")
            return redirect(url_for("groups.members", slug=group.slug))
    return render_template("groups/create.html", form=form)


@bp.route("/<slug>")
def view(slug: str):
    """Group home; the query string filters its pages (region, theme, year)."""
    group = services.get_group(slug)
    filters = GroupFilterForm(formdata=request.args)
    pagination = Pagination.from_request(services.SHEETS_PER_PAGE)
    home = services.group_home(group, current_user, **filters.values(), page=pagination.page,
                               per_page=pagination.per_page)
    filters.set_choices(home.regions, home.themes, home.years)
    # The join form (and its CSRF token) only for members who may ask: a visitor's page
    # then carries no token nor cookie, and the anonymous page cache may keep it.
    join_form = JoinRequestForm() if current_user.is_authenticated and home.can_join else None
    pagination.with_total(home.sheet_count)
    return render_template("groups/view.html", group=group, home=home, filters=filters, join_form=join_form,
                           pagination=pagination)


@bp.route("/<slug>/rejoindre", methods=["POST"])
@login_required
def join(slug: str):
    group = services.get_group(slug)
    form = JoinRequestForm()
    if not form.validate_on_submit():
        flash(_("Le message ne peut dépasser %(max)d caractères.", max=services.MAX_MESSAGE), "error")
        return redirect(url_for("groups.view", slug=group.slug))
    try:
        services.request_to_join(group, current_user, form.message.data or "")
    except ValidationError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Demande envoyée : un animateur du groupe va y répondre."), "success")
    return redirect(url_for("groups.view", slug=group.slug))


@bp.route("/<slug>/quitter", methods=["POST"])
@login_required
def leave(slug: str):
    group = services.get_group(slug)
    services.remove_member(group, current_user, by=current_user)
    flash(_("Vous avez quitté le groupe « %(name)s ».", name=group.name), "info")
    return redirect(url_for("groups.view", slug=group.slug))


@bp.route("/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    group = services.get_group(slug)
    policy.abort_unless("lead_group", group)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        try:
            services.update_group(group, by=current_user, name=form.name.data,
                                  description=form.description.data or "")
        except ValidationError as exc:
            _form_errors(form, exc, form.description)
        else:
            flash(_("Groupe mis à jour."), "success")
            return redirect(url_for("groups.view", slug=group.slug))
    return render_template("groups/edit.html", group=group, form=form)


@bp.route("/<slug>/membres", methods=["GET", "POST"])
@login_required
def members(slug: str):
    """Pending requests, the member list, and adding a member by email."""
    group = _managed_group(slug)
    form = AddMemberForm()
    if form.validate_on_submit():
        user = accounts.get_user_by_email(form.email.data)
        if user is None:
            form.email.errors.append(_("Aucun compte avec cette adresse : un coordinateur peut inviter la personne."))
        else:
            services.add_member(group, user, animator=form.animator.data, by=current_user)
            flash(_("%(name)s fait partie du groupe.", name=user.name), "success")
            return redirect(url_for("groups.members", slug=group.slug))
    return render_template("groups/members.html", group=group, form=form,
                           requests=services.list_requests(group, current_user),
                           memberships=services.members_of(group))


@bp.route("/<slug>/demandes/<int:request_id>/accepter", methods=["POST"])
@login_required
def approve(slug: str, request_id: int):
    group = _managed_group(slug)
    membership = services.approve_request(request_id, by=current_user, group=group)
    flash(_("%(name)s fait maintenant partie du groupe.", name=membership.user.name), "success")
    return redirect(url_for("groups.members", slug=group.slug))


@bp.route("/<slug>/demandes/<int:request_id>/refuser", methods=["POST"])
@login_required
def decline(slug: str, request_id: int):
    group = _managed_group(slug)
    services.decline_request(request_id, by=current_user, group=group)
    flash(_("Demande refusée."), "info")
    return redirect(url_for("groups.members", slug=group.slug))


@bp.route("/<slug>/membres/<int:user_id>/animateur", methods=["POST"], defaults={"animator": True})
@bp.route("/<slug>/membres/<int:user_id>/membre", methods=["POST"], defaults={"animator": False})
@login_required
def set_animator(slug: str, user_id: int, animator: bool):
    group = _managed_group(slug)
    user = _user_or_404(user_id)
    services.set_animator(group, user, animator, by=current_user)
    flash(_("%(name)s co-anime le groupe.", name=user.name) if animator
          else _("%(name)s ne co-anime plus le groupe.", name=user.name), "success")
    return redirect(url_for("groups.members", slug=group.slug))


@bp.route("/<slug>/membres/<int:user_id>/retirer", methods=["POST"])
@login_required
def remove(slug: str, user_id: int):
    group = _managed_group(slug)
    user = _user_or_404(user_id)
    services.remove_member(group, user, by=current_user)
    flash(_("%(name)s ne fait plus partie du groupe.", name=user.name), "info")
    return redirect(url_for("groups.members", slug=group.slug))
