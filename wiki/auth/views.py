"""Login (password, then a code when two-factor login is on), logout, invitations, password
change, two-factor setup, own contributions, API tokens."""
import time

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..i18n import clear_session_keeping_language
from ..errors import ValidationError, error_response
from ..pages import services as pages
from ..security import safe_next
from ..mail import outbox
from . import accounts, invitations, mails, sessions, two_factor
from . import tokens as api_tokens
from .forms import (ChangePasswordForm, ChoosePasswordForm, CodeForm, LanguageForm, LoginForm, PasswordConfirmForm,
                    ResetRequestForm, TokenForm, TotpSetupForm)

bp = Blueprint("auth", __name__)

# Flask-session keys: the login waiting for its code, and the secret being set up.
PENDING_LOGIN = "pending_login"
TOTP_SETUP = "totp_setup"
# Reachable by a coordinator who must still enable two-factor login.
SETUP_ENDPOINTS = {"auth.totp_setup", "auth.logout", "static"}


@bp.errorhandler(accounts.TooManyAttempts)
def too_many_attempts(exc: accounts.TooManyAttempts):
    response = error_response(429, str(exc))
    response.headers["Retry-After"] = str(exc.retry_after_seconds())
    return response


@bp.before_app_request
def require_two_factor_setup():
    """Load the user first thing (the loader applies the session timeouts), and keep a
    coordinator who must use two-factor login on the setup page until it is done."""
    if request.endpoint in (None, "static") or request.blueprint == "api":
        return None
    if request.endpoint in SETUP_ENDPOINTS or not two_factor.needs_totp_setup(current_user._get_current_object()):
        return None
    flash(_("Les coordinateurs doivent activer la double authentification avant de continuer."), "info")
    return redirect(url_for("auth.totp_setup"))


def _enter(user, remember: bool) -> None:
    """Put the user's (new) login session in fresh cookies: nothing set in the Flask session
    before the login survives it (session fixation), but the interface language."""
    clear_session_keeping_language()
    login_user(user, remember=remember)


def _log_in(user, remember: bool) -> None:
    sessions.complete_login(user, remember=remember)
    _enter(user, remember)


def _no_store(response):
    """Pages showing a secret (TOTP key, recovery codes) stay out of every cache."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        remember, next_url = bool(form.remember.data), safe_next(request.args.get("next"))
        user = accounts.check_login(form.email.data, form.password.data, address=request.remote_addr)
        if user is None:
            flash(_("Adresse ou mot de passe incorrect."), "error")
        elif user.is_totp_enabled:
            clear_session_keeping_language()
            timeout = current_app.config["LOGIN_SECOND_STEP_TIMEOUT"].total_seconds()
            session[PENDING_LOGIN] = {"user_id": user.id, "remember": remember, "next": next_url,
                                      "until": time.time() + timeout}
            return redirect(url_for("auth.login_code"))
        else:
            _log_in(user, remember)
            return redirect(next_url)
    return render_template("auth/login.html", form=form)


@bp.route("/connexion/oubli", methods=["GET", "POST"])
def forgotten_password():
    """The same answer whether or not the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        mails.request_reset(form.email.data, address=request.remote_addr)
        flash(_("Si un compte existe pour cette adresse, un message vient de lui être envoyé : ouvrez le lien "
                "qu'il contient dans l'heure."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgotten.html", form=form, mail=outbox.enabled())


def _pending_login() -> dict | None:
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        session.pop(PENDING_LOGIN, None)
        return None
    return pending


@bp.route("/connexion/code", methods=["GET", "POST"])
def login_code():
    """Second step of a two-factor login: the code of the application or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    pending = _pending_login()
    user = accounts.get_user(pending["user_id"]) if pending else None
    if user is None:
        flash(_("Le délai pour saisir le code est dépassé : reconnectez-vous."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        used = two_factor.check_second_factor(user, form.code.data, address=request.remote_addr)
        if used is None:
            form.code.errors.append(_("Code incorrect ou déjà utilisé."))
        else:
            _log_in(user, pending["remember"])
            if used.kind == "recovery":
                flash(_("Code de secours utilisé : il vous en reste %(count)d. Vous pouvez en générer de nouveaux "
                        "dans « Mon compte ».", count=used.recovery_codes_left), "info")
            return redirect(safe_next(pending["next"]))
    return render_template("auth/login_code.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        sessions.end_session(current_user.login_token)
    clear_session_keeping_language()
    logout_user()  # after clear(): it leaves the order to delete the remember cookie
    flash(_("Vous êtes déconnecté."), "info")
    response = redirect(url_for("pages.home"))
    # Phones and computers are often shared: unsaved drafts kept by editor.js (localStorage)
    # leave with the person who wrote them. Cookies stay, or the message above would be lost.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    invite = invitations.get_valid_invitation(token, address=request.remote_addr,
                                              count_failure=request.method == "POST")
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(token, form.password.data, address=request.remote_addr)
        except ValidationError as exc:
            form.password.errors.append(str(exc))
        else:
            if current_user.is_authenticated:
                sessions.end_session(current_user.login_token)
                logout_user()
            _log_in(user, remember=False)
            flash(_("Bienvenue sur Passerelle, %(name)s !", name=user.name), "success")
            return redirect(url_for("pages.home"))
    return render_template("auth/invitation.html", form=form, invited=invite.user)


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, current=form.current.data, new=form.password.data,
                                     address=request.remote_addr)
        except ValidationError as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.password).errors.append(message)
        else:
            user = current_user._get_current_object()
            _enter(user, user.login_remembered)  # cookies now carry the new session token
            flash(_("Mot de passe changé. Vos autres sessions ont été fermées."), "success")
            return redirect(url_for("auth.contributions"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/compte")
@login_required
def contributions():
    revisions = pages.list_contributions(current_user, current_user)
    form = LanguageForm(language=current_user.language or "")
    return render_template("auth/contributions.html", revisions=revisions, language_form=form)


@bp.route("/compte/langue", methods=["POST"])
@login_required
def choose_language():
    form = LanguageForm()
    if form.validate_on_submit():
        accounts.set_language(current_user, form.language.data or None)
        session.pop("language", None)  # the footer's choice of this session gives way to the setting
        flash(_("Langue de l'interface enregistrée."), "success")
    else:
        flash(_("Langue inconnue."), "error")
    return redirect(url_for("auth.contributions"))


@bp.route("/compte/jetons", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = api_tokens.create_api_token(current_user, form.name.data)
        form = TokenForm(formdata=None)
    return render_template("auth/tokens.html", form=form, tokens=api_tokens.list_api_tokens(current_user),
                           new_token=new_token, api_root=request.url_root + "api/v1")


@bp.route("/compte/jetons/<int:token_id>/supprimer", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    api_tokens.revoke_api_token(current_user, token_id)
    flash(_("Jeton supprimé : il ne permet plus d'accéder à l'API."), "info")
    return redirect(url_for("auth.tokens"))



@bp.route("/compte/double-authentification", methods=["GET", "POST"])
@login_required
def totp_setup():
    """Set up two-factor login (secret shown as text, confirmed by a first code), or manage it."""
    if current_user.is_totp_enabled:
        return _no_store(render_template("auth/totp_manage.html", disable_form=PasswordConfirmForm(),
                                         codes_form=PasswordConfirmForm(),
                                         codes_left=two_factor.count_recovery_codes(current_user)))
    setup = session.get(TOTP_SETUP)
    if not isinstance(setup, dict) or setup.get("user_id") != current_user.id:
        setup = session[TOTP_SETUP] = {"user_id": current_user.id, "secret": two_factor.new_totp_secret()}
    form = TotpSetupForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable_totp(current_user, secret=setup["secret"], code=form.code.data,
                                         password=form.password.data, address=request.remote_addr)
        except ValidationError as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(message)
        else:
            session.pop(TOTP_SETUP, None)
            flash(_("Double authentification activée. Vos autres sessions ont été fermées."), "success")
            return _no_store(render_template("auth/recovery_codes.html", codes=codes))
    return _no_store(render_template("auth/totp_setup.html", form=form, secret=setup["secret"],
                                     uri=two_factor.totp_uri(current_user, setup["secret"]),
                                     required=two_factor.is_totp_required(current_user)))


@bp.route("/compte/double-authentification/desactiver", methods=["POST"])
@login_required
def totp_disable():
    form = PasswordConfirmForm()
    if form.validate_on_submit():
        try:
            two_factor.disable_totp(current_user, password=form.password.data, address=request.remote_addr)
        except ValidationError as exc:
            form.password.errors.append(exc.errors["password"])
        else:
            flash(_("Double authentification désactivée."), "info")
            return redirect(url_for("auth.contributions"))
    return _no_store(render_template("auth/totp_manage.html", disable_form=form, codes_form=PasswordConfirmForm(),
                                     codes_left=two_factor.count_recovery_codes(current_user)))


@bp.route("/compte/double-authentification/codes", methods=["POST"])
@login_required
def recovery_codes():
    form = PasswordConfirmForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.regenerate_recovery_codes(current_user, password=form.password.data,
                                                       address=request.remote_addr)
        except ValidationError as exc:
            form.password.errors.append(exc.errors["password"])
        else:
            return _no_store(render_template("auth/recovery_codes.html", codes=codes))
    return _no_store(render_template("auth/totp_manage.html", disable_form=PasswordConfirmForm(), codes_form=form,
                                     codes_left=two_factor.count_recovery_codes(current_user)))
