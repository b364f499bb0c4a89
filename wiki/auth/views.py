"""Login, logout, invitations, password change, own contributions, API tokens."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import ValidationError
from ..pages import services as pages
from . import services
from .forms import ChangePasswordForm, ChoosePasswordForm, LoginForm, TokenForm

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a path of this site; anything else lands on the home page."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or "\\" in target or parts.scheme or parts.netloc:
        return url_for("pages.home")
    return target


def _log_in(user, remember: bool) -> None:
    services.start_session(user)
    login_user(user, remember=remember)


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash("Adresse ou mot de passe incorrect.", "error")
        else:
            _log_in(user, form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user.login_token)
    logout_user()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("pages.home"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    invite = services.get_valid_invitation(token)
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.password.data)
        except ValidationError as exc:
            form.password.errors.append(str(exc))
        else:
            if current_user.is_authenticated:
                logout_user()
            _log_in(user, remember=False)
            flash(f"Bienvenue sur Passerelle, {user.name} !", "success")
            return redirect(url_for("pages.home"))
    return render_template("auth/invitation.html", form=form, invited=invite.user)


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, current=form.current.data, new=form.password.data)
        except ValidationError as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.password).errors.append(message)
        else:
            login_user(current_user._get_current_object())  # cookie now carries the new session token
            flash("Mot de passe changé. Vos autres sessions ont été fermées.", "success")
            return redirect(url_for("auth.contributions"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/compte")
@login_required
def contributions():
    revisions = pages.list_contributions(current_user, current_user)
    return render_template("auth/contributions.html", revisions=revisions)


@bp.route("/compte/jetons", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = services.create_api_token(current_user, form.name.data)
        form = TokenForm(formdata=None)
    return render_template("auth/tokens.html", form=form, tokens=services.list_api_tokens(current_user),
                           new_token=new_token, api_root=request.url_root + "api/v1")


@bp.route("/compte/jetons/<int:token_id>/supprimer", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    services.revoke_api_token(current_user, token_id)
    flash("Jeton supprimé : il ne permet plus d'accéder à l'API.", "info")
    return redirect(url_for("auth.tokens"))

