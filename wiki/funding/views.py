"""Calls for funding: the list, the form and view, « nous préparons une réponse »."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import policy
from ..groups import services as groups
from ..i18n import language_name
from ..models import utcnow
from ..pages import kind_forms, services as pages
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


CALL_FORM = kind_forms.KindForm(
    kind=Kind.APPEL, template="funding/edit.html", created=lambda: _("Appel à projets enregistré."),
    conflict=lambda: _("Pendant que vous écriviez, quelqu’un a modifié l'appel. Votre texte est conservé "
                       "ci-dessous ; comparez avec la version enregistrée, puis enregistrez à nouveau."))


@bp.route("/appels/nouveau", methods=["GET", "POST"])
@policy.view_requires("create")
def create():
    form = _form()
    return kind_forms.create(form, CALL_FORM, form.call_fields)


def edit_call(page: Page):
    """The call form for /p/<slug>/modifier (pages.edit hands calls over here)."""
    form = _form()
    return kind_forms.edit(page, form, CALL_FORM, lambda _stored: form.call_fields())


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
