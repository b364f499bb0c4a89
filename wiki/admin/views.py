"""Coordinators manage accounts: create with an invitation link, edit, deactivate, unlock a
throttled login, reset two-factor login."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import accounts, invitations, mails, two_factor
from ..auth.models import User
from .. import policy
from ..directory import services as directory
from ..errors import NotFound, ValidationError
from ..extensions import db
from .forms import EditUserForm, NewUserForm, UnlockForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _invited(user: User):
    """A new invitation link to copy, also e-mailed to the person when e-mail is set up."""
    token = invitations.create_invitation(user, by=current_user, validity=current_app.config["INVITATION_VALIDITY"])
    mailed = mails.mail_invitation(user, token, by=current_user)
    return render_template("admin/invited.html", user=user, url=mails.invitation_url(token), mailed=mailed)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Ce compte n'existe pas."))
    return user


@bp.route("/")
@policy.view_requires("manage")
def index():
    return render_template("admin/index.html")


@bp.route("/utilisateurs", methods=["GET", "POST"])
@policy.view_requires("manage")
def users():
    form = NewUserForm()
    form.set_organisation_choices(directory.list_organisations())
    if form.validate_on_submit():
        try:
            user = accounts.create_user(email=form.email.data, name=form.name.data, side=form.side.data,
                                        role=form.role.data, by=current_user,
                                        organisation=directory.find_organisation(form.organisation.data))
        except ValidationError as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.email).errors.append(message)
        else:
            return _invited(user)
    users = accounts.list_users()
    return render_template("admin/users.html", form=form, users=users,
                           totp_missing={u.id for u in users if two_factor.needs_totp_setup(u)})


@bp.route("/utilisateurs/<int:user_id>", methods=["GET", "POST"])
@policy.view_requires("manage")
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = EditUserForm(obj=user)
    form.set_organisation_choices(directory.list_organisations())
    if not form.is_submitted():
        form.organisation.data = user.organisation.slug if user.organisation else ""
    if form.validate_on_submit():
        try:
            accounts.update_user(user, by=current_user, name=form.name.data, role=form.role.data,
                                 side=form.side.data, is_enabled=form.is_enabled.data,
                                 organisation=directory.find_organisation(form.organisation.data))
        except ValidationError as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.role).errors.append(message)
        else:
            flash(_("Compte mis à jour."), "success")
            return redirect(url_for("admin.users"))
    invitation = invitations.last_invitation(user)
    return render_template("admin/edit_user.html", form=form, user=user, invitation=invitation,
                           invitation_expired=invitation is not None and invitations.is_expired(invitation.expires_at),
                           login_status=accounts.login_status(user), totp_required=two_factor.is_totp_required(user))


@bp.route("/utilisateurs/<int:user_id>/invitation", methods=["POST"])
@policy.view_requires("manage")
def reinvite(user_id: int):
    user = _user_or_404(user_id)
    return _invited(user)


@bp.route("/utilisateurs/<int:user_id>/debloquer", methods=["POST"])
@policy.view_requires("manage")
def unlock(user_id: int):
    """Forget the failed logins of the account (or of one of the addresses they came from)."""
    user = _user_or_404(user_id)
    form = UnlockForm()
    if form.validate_on_submit():
        address = form.address.data or None
        accounts.unlock_login(user, by=current_user, address=address)
        flash(_("Adresse %(address)s débloquée.", address=address) if address
              else _("Connexion débloquée pour ce compte."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/utilisateurs/<int:user_id>/double-authentification", methods=["POST"])
@policy.view_requires("manage")
def reset_totp(user_id: int):
    """Turn off someone's two-factor login (lost phone and recovery codes)."""
    user = _user_or_404(user_id)
    try:
        two_factor.reset_totp(user, by=current_user)
    except ValidationError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Double authentification désactivée pour ce compte : la personne pourra la réactiver."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
