"""Calls for funding: the list, the form and view, « nous préparons une réponse »."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import policy
from ..errors import ValidationError
from ..groups import services as groups
from ..i18n import language_name
from ..models import utcnow
from ..pages import services as pages
from ..pages.forms import name_languages
from ..pages.models import Kind, Page, Revision
from ..sheets import themes
from ..sheets.services import mali_regions
from . import services
from .fields import CURRENCIES, ELIGIBILITY
from .forms import CallForm

bp = Blueprint("funding", __name__)


@bp.route("/appels")
def index():
    today = utcnow().date()
    theme = request.args.get("theme") or None
    region = request.args.get("region") or None
    eligibility = request.args.get("eligibilite") if request.args.get("eligibilite") in ELIGIBILITY else None
    funder = (request.args.get("financeur") or "")[:200] or None
    filters = services.Filters(theme=theme, region=region, eligibility=eligibility, funder=funder)
    return render_template(
        "funding/index.html", open_calls=services.open_calls(current_user, today, filters),
        closed_calls=services.closed_calls(current_user, today, filters), filters=filters, today=today,
        themes=themes.list_themes(), theme_names=themes.theme_names(), regions=mali_regions(),
        eligibility=ELIGIBILITY, funders=services.funders_of(current_user))


def _form() -> CallForm:
    form = CallForm()
    form.set_choices(groups=groups.groups_for(current_user), themes=themes.list_themes(), regions=mali_regions())
    name_languages(form.language, language_name)
    return form


def _form_errors(form: CallForm, exc: ValidationError) -> None:
    for name, message in exc.errors.items():
        target = getattr(form, name.removeprefix("fields."), None) or form.title
        target.errors = [*target.errors, message]


def _values(form: CallForm) -> dict:
    return dict(title=form.title.data, body=form.body.data or "", visibility=form.visibility.data,
                group=groups.find_group(form.group.data), themes=list(form.themes.data or []),
                summary=form.summary.data, language=form.language.data)


@bp.route("/appels/nouveau", methods=["GET", "POST"])
@policy.view_requires("create")
def create():
    form = _form()
    if form.validate_on_submit():
        try:
            page = pages.create_page(author=current_user, kind=Kind.APPEL, fields=form.call_fields(), **_values(form))
        except pages.PageExists as exc:
            flash(_("Une page « %(title)s » existe déjà. Vous pouvez la compléter.", title=exc.page.title), "info")
            return redirect(url_for("pages.edit", slug=exc.page.slug))
        except ValidationError as exc:
            _form_errors(form, exc)
        except policy.PermissionDenied as exc:
            form.visibility.errors = [str(exc) or _("Action non autorisée.")]
        else:
            flash(_("Appel à projets enregistré."), "success")
            return redirect(url_for("pages.view", slug=page.slug))
    return render_template("funding/edit.html", form=form, page=None)


def edit_call(page: Page):
    """The call form for /p/<slug>/modifier (pages.edit hands calls over here)."""
    form = _form()
    current = page.current
    if request.method == "GET":
        form.title.data, form.body.data = current.title, current.body
        form.themes.data = list(current.themes or [])
        form.visibility.data, form.language.data = page.visibility, page.language
        form.group.data = page.group.slug if page.group else ""
        form.base_revision.data = current.number
        form.load_fields(current.fields or {})
    if form.validate_on_submit():
        try:
            base = int(form.base_revision.data or current.number)
        except ValueError:
            abort(400)
        try:
            result = pages.update_page(page, author=current_user, base_revision=base, fields=form.call_fields(),
                                       **_values(form))
        except pages.EditConflict as conflict:
            form.base_revision.data = conflict.current.number
            flash(_("Pendant que vous écriviez, quelqu’un a modifié l'appel. Votre texte est conservé "
                    "ci-dessous ; comparez avec la version enregistrée, puis enregistrez à nouveau."), "error")
            return render_template("funding/edit.html", form=form, page=page), 409
        except ValidationError as exc:
            _form_errors(form, exc)
        except policy.PermissionDenied as exc:
            form.visibility.errors = [str(exc) or _("Action non autorisée.")]
        else:
            flash(_("Modifications enregistrées.") if result.created_revision else _("Aucun changement à enregistrer."),
                  "success" if result.created_revision else "info")
            return redirect(url_for("pages.view", slug=page.slug))
    return render_template("funding/edit.html", form=form, page=page)


def call_page(page: Page, revision: Revision, html: str):
    """The reading view of a call (called by pages.view and pages.revision), once the read
    check has passed."""
    call = services.Call(page=page, fields=dict(revision.fields or {}))
    count, people = services.preparing(current_user, page)
    funder = call.fields.get("funder")
    return render_template(
        "funding/call.html", page=page, revision=revision, html=html, call=call, today=utcnow().date(),
        eligibility=ELIGIBILITY, currencies=CURRENCIES, preparing_count=count, preparing_people=people,
        i_prepare=services.is_preparing(current_user, page), theme_names=themes.theme_names(),
        funded=services.sheets_funded_by(current_user, funder) if funder else [])


@bp.route("/p/<slug>/interet", methods=["POST"])
@login_required
def prepare(slug: str):
    page, _by_alias = pages.get_readable_page(current_user, slug)
    if page.kind != Kind.APPEL:
        abort(404)
    policy.abort_unless("prepare_answer", page)
    preparing = request.form.get("preparing", "1") != "0"
    services.set_preparing(current_user, page, preparing)
    flash(_("C'est noté : votre structure prépare une réponse.") if preparing
          else _("C'est noté : vous ne préparez plus de réponse."), "success")
    return redirect(url_for("pages.view", slug=page.slug, _anchor="reponses"))
