"""Agenda pages: the list, the event form and view, answers, decisions, minutes, calendars."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user, login_required

from .. import policy
from ..activity import feeds
from ..errors import NotFound, ValidationError
from ..groups import services as groups
from ..i18n import language_name
from ..models import MAX_ID, utcnow
from ..pages import kind_forms, services as pages
from ..pages.forms import name_languages
from ..pages.models import Kind, Page, Revision, Visibility
from . import services
from .calendar import calendar_of
from .fields import EVENT_KINDS, schedule_of
from .forms import EventForm
from .models import ANSWERS, DECISION_STATUS_LABELS

bp = Blueprint("agenda", __name__)


def _today() -> date:
    return utcnow().date()


@bp.route("/agenda")
def index():
    group = groups.find_group(request.args.get("groupe"))
    kind = request.args.get("type") if request.args.get("type") in EVENT_KINDS else None
    past = request.args.get("passes") == "1"
    filters = dict(group_id=group.id if group else None, event_kind=kind)
    events = services.past_events(current_user, **filters) if past else services.upcoming_events(current_user, **filters)
    return render_template("agenda/index.html", events=events, past=past, group=group, kind=kind,
                           kinds=EVENT_KINDS, groups=groups.list_groups())


def _form() -> EventForm:
    form = EventForm()
    form.set_group_choices(groups.groups_for(current_user))
    name_languages(form.language, language_name)
    return form


EVENT_FORM = kind_forms.KindForm(
    kind=Kind.EVENEMENT, template="agenda/edit.html", created=lambda: _("Événement enregistré."),
    conflict=lambda: _("Pendant que vous écriviez, quelqu’un a modifié l'événement. Votre texte est conservé "
                       "ci-dessous ; comparez avec la version enregistrée, puis enregistrez à nouveau."))


@bp.route("/agenda/nouveau", methods=["GET", "POST"])
@policy.view_requires("create")
def create():
    form = _form()
    return kind_forms.create(form, EVENT_FORM, lambda: form.event_fields({}))


def edit_event(page: Page):
    """The event form for /p/<slug>/modifier (pages.edit hands events over here)."""
    form = _form()
    return kind_forms.edit(page, form, EVENT_FORM, form.event_fields)


def event_page(page: Page, revision: Revision, html: str, decision_form: dict | None = None):
    """The reading view of an event (called by pages.view and pages.revision), once the read
    check has passed; `decision_form` gives back a refused decision as it was typed."""
    event = services.Event(page=page, fields=dict(revision.fields or {}), schedule=schedule_of(revision.fields or {}))
    return render_template(
        "agenda/event.html", page=page, revision=revision, html=html, event=event, kinds=EVENT_KINDS,
        attendees=services.attendees(current_user, page), answers=ANSWERS,
        decisions=services.decisions_of(page), statuses=DECISION_STATUS_LABELS, today=_today(),
        is_overdue=services.is_overdue, minutes=services.minutes_of(current_user, event),
        people=services.people_in_charge() if policy.may(current_user, "add_decision", page) else [],
        decision_form=decision_form or {})


def _refused(page: Page, exc: ValidationError, decision_form: dict | None = None):
    """The event again, with what was wrong (422) and nothing typed lost."""
    for message in exc.errors.values():
        flash(message, "error")
    return event_page(page, page.current, pages.revision_html(page.current, current_user), decision_form), 422


def _event(slug: str) -> Page:
    page, _by_alias = pages.get_readable_page(current_user, slug)
    if page.kind != Kind.EVENEMENT:
        abort(404)
    return page


@bp.route("/p/<slug>/presence", methods=["POST"])
@login_required
def answer(slug: str):
    page = _event(slug)
    policy.abort_unless("answer_event", page)
    try:
        services.answer(current_user, page, request.form.get("answer", ""))
    except ValidationError as exc:
        return _refused(page, exc)
    flash(_("Réponse enregistrée : %(answer)s.", answer=ANSWERS[request.form["answer"]]), "success")
    return redirect(url_for("pages.view", slug=page.slug, _anchor="presence"))


def _due_on(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"due_on": _("Une date est attendue (AAAA-MM-JJ).")}) from None


def _owner_id(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError({"owner": _("Personne inconnue.")})
    return int(value)


@bp.route("/p/<slug>/decisions", methods=["POST"])
@login_required
def add_decision(slug: str):
    page = _event(slug)
    policy.abort_unless("add_decision", page)
    try:
        services.add_decision(current_user, page, text=request.form.get("text", ""),
                              owner_id=_owner_id(request.form.get("owner", "")),
                              due_on=_due_on(request.form.get("due_on", "")))
    except ValidationError as exc:
        return _refused(page, exc, request.form.to_dict())
    flash(_("Décision notée."), "success")
    return redirect(url_for("pages.view", slug=page.slug, _anchor="decisions"))


@bp.route("/decisions/<int:decision_id>", methods=["POST"])
@login_required
def update_decision(decision_id: int):
    try:
        decision = services.readable_decision(current_user, decision_id)
    except NotFound:
        abort(404)
    policy.abort_unless("update_decision", decision)
    try:
        services.update_decision(current_user, decision, status=request.form.get("status", ""))
    except ValidationError as exc:
        return _refused(decision.page, exc)
    flash(_("État de la décision : %(status)s.", status=DECISION_STATUS_LABELS[decision.status]), "success")
    back = request.form.get("retour")
    if back == "suivi":
        return redirect(url_for("agenda.decisions"))
    return redirect(url_for("pages.view", slug=decision.page.slug, _anchor="decisions"))


@bp.route("/decisions")
def decisions():
    """« Suivi des décisions »: what meetings decided and is not done yet."""
    group = groups.find_group(request.args.get("groupe"))
    sees_people = policy.may(current_user, "see_people")  # visitors filter by no one
    owner_id = request.args.get("personne", type=int) if sees_people else None
    items = services.open_decisions(current_user, group_id=group.id if group else None,
                                    owner_id=owner_id if owner_id and owner_id <= MAX_ID else None)
    people = services.people_in_charge() if sees_people else []
    return render_template("agenda/decisions.html", decisions=items, group=group, owner_id=owner_id,
                           groups=groups.list_groups(), people=people, today=_today(),
                           is_overdue=services.is_overdue, statuses=DECISION_STATUS_LABELS)


@bp.route("/p/<slug>/compte-rendu", methods=["POST"])
@login_required
def minutes(slug: str):
    page = _event(slug)
    policy.abort_unless("add_decision", page)
    minutes_page = services.write_minutes(current_user, page)
    flash(_("Page du compte rendu prête : complétez-la."), "success")
    return redirect(url_for("pages.edit", slug=minutes_page.slug))


# iCalendar ---------------------------------------------------------------------------

def _ics(body: bytes, filename: str, personal: bool) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if personal:  # a member's reading, at a secret address: kept by no cache
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _calendar_events(reader) -> list[services.Event]:
    """Upcoming events and those of the last 90 days (a calendar keeps what it has shown)."""
    return services.upcoming_events(reader, now=utcnow() - timedelta(days=90))


@bp.route("/agenda.ics")
def public_calendar():
    """Public events, whoever asks: a calendar is shared."""
    return _ics(calendar_of(_calendar_events(AnonymousUserMixin()), _("Passerelle — agenda public")),
                "passerelle.ics", personal=False)


@bp.route("/flux/<token>/agenda.ics")
def personal_calendar(token: str):
    """Every event its member may read; a revoked address is a 404, like one that never was."""
    user = feeds.user_for_feed_token(token)
    if user is None:
        raise NotFound()
    return _ics(calendar_of(_calendar_events(user), _("Passerelle — agenda de %(name)s", name=user.name)),
                "passerelle.ics", personal=True)


@bp.route("/p/<slug>/evenement.ics")
def single_calendar(slug: str):
    page = _event(slug)
    event = services.event_of(page)
    if event.schedule is None:
        abort(404)
    return _ics(calendar_of([event], page.title), f"{page.slug}.ics", personal=page.visibility != Visibility.PUBLIC)
