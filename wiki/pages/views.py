"""Web pages: read, create, edit (with merge and conflicts), history, diff, revert, delete."""
from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import policy
from ..activity import follows
from ..agenda import services as agenda
from ..agenda.fields import EVENT_KINDS
from ..agenda.models import DECISION_STATUS_LABELS
from ..funding import services as funding
from ..funding.fields import ELIGIBILITY
from ..models import utcnow
from ..errors import ValidationError
from ..i18n import language_name
from ..groups import services as groups
from ..pagination import Pagination
from . import reciprocity, services
from .diff import word_diff
from .forms import PageForm, name_languages
from ..sheets.services import section_diff
from ..sheets.views import edit_sheet, sheet_page
from ..agenda.views import edit_event, event_page
from ..funding.views import call_page, edit_call
from .models import Kind, Page

bp = Blueprint("pages", __name__)
# Kinds with structured fields have their own view and form.
VIEWS = {Kind.FICHE: sheet_page, Kind.EVENEMENT: event_page, Kind.APPEL: call_page}
EDITORS = {Kind.FICHE: edit_sheet, Kind.EVENEMENT: edit_event, Kind.APPEL: edit_call}


def _load(slug: str) -> Page:
    """Readable page or 404; an old address redirects to the same view at the new one."""
    page, by_alias = services.get_readable_page(current_user, slug)
    if by_alias:
        args = {**request.view_args, "slug": page.slug, **request.args.to_dict()}
        abort(redirect(url_for(request.endpoint, **args), 301))
    return page


def _form_errors(form: PageForm, exc: ValidationError) -> None:
    for name, message in exc.errors.items():
        getattr(form, name, form.body).errors.append(message)


def _form_values(form: PageForm) -> dict:
    return dict(title=form.title.data, body=form.body.data, visibility=form.visibility.data,
                group=groups.find_group(form.group.data), summary=form.summary.data, language=form.language.data)


@bp.route("/")
def home():
    """The next events, the latest changes and, for members, the reciprocity box, the decisions
    they are in charge of and the deadlines of calls on themes they follow."""
    recent, _total = services.list_pages(current_user, limit=15, with_total=False)
    reciprocity_box, waiting_decisions, deadlines = None, [], []
    if current_user.is_authenticated:
        reciprocity_box = dict(counts=reciprocity.contribution_counts(current_user),
                               waiting=reciprocity.sheets_waiting_for_voice(current_user, limit=10))
        waiting_decisions = agenda.waiting_for(current_user)
        deadlines = funding.closing_soon_for(current_user, utcnow().date(), follows.followed(current_user).themes)
    return render_template("pages/home.html", recent=recent, reciprocity_box=reciprocity_box,
                           events=agenda.upcoming_events(current_user, limit=5), waiting_decisions=waiting_decisions,
                           deadlines=deadlines, today=utcnow().date(), is_overdue=agenda.is_overdue,
                           statuses=DECISION_STATUS_LABELS, kinds=EVENT_KINDS, eligibility=ELIGIBILITY)


@bp.route("/pages")
def index():
    pagination = Pagination.from_request(current_app.config["PER_PAGE"])
    group = groups.find_group(request.args.get("groupe"))
    items, total = services.list_pages(current_user, kind=request.args.get("type") or None,
                                       group_id=group.id if group else None,
                                       limit=pagination.per_page, offset=pagination.offset)
    return render_template("pages/index.html", pages=items, group=group, pagination=pagination.with_total(total))


@bp.route("/pages/corbeille")
@policy.view_requires("restore")
def trash():
    items, _total = services.list_pages(current_user, deleted=True, limit=500)
    return render_template("pages/trash.html", pages=items)


@bp.route("/pages/nouvelle", methods=["GET", "POST"])
@policy.view_requires("create")
def create():
    form = PageForm()
    form.set_group_choices(groups.groups_for(current_user))
    name_languages(form.language, language_name)
    if request.method == "GET":
        form.title.data = request.args.get("titre", "")[:200]
    if form.validate_on_submit():
        try:
            page = services.create_page(author=current_user, **_form_values(form))
        except services.PageExists as exc:
            flash(_("Une page « %(title)s » existe déjà. Vous pouvez la compléter.", title=exc.page.title), "info")
            return redirect(url_for("pages.edit", slug=exc.page.slug))
        except ValidationError as exc:
            _form_errors(form, exc)
        except policy.PermissionDenied as exc:
            form.visibility.errors.append(str(exc) or _("Action non autorisée."))
        else:
            flash(_("Page créée."), "success")
            return redirect(url_for("pages.view", slug=page.slug))
    return render_template("pages/edit.html", form=form, page=None)


def _show(page: Page, revision):
    html = services.revision_html(revision, current_user)
    if page.kind in VIEWS:
        return VIEWS[page.kind](page, revision, html)
    return render_template("pages/view.html", page=page, revision=revision, html=html)


@bp.route("/p/<slug>")
def view(slug: str):
    page = _load(slug)
    return _show(page, page.current)


@bp.route("/p/<slug>/source")
def source(slug: str):
    page = _load(slug)
    return Response(page.current.body, mimetype="text/plain")


@bp.route("/p/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    page = _load(slug)
    policy.abort_unless("edit", page)
    if page.kind in EDITORS:
        return EDITORS[page.kind](page)
    form = PageForm()
    form.set_group_choices(groups.groups_for(current_user))
    name_languages(form.language, language_name)
    if request.method == "GET":
        form.title.data, form.body.data = page.current.title, page.current.body
        form.language.data = page.language
        form.visibility.data = page.visibility
        form.group.data = page.group.slug if page.group else ""
        form.base_revision.data = page.current.number
    if form.validate_on_submit():
        language_before = page.language
        try:
            base = int(form.base_revision.data or page.current.number)
            result = services.update_page(page, author=current_user, base_revision=base, **_form_values(form))
        except ValueError:
            form.body.errors.append(_("Version de départ invalide ; rechargez la page."))
        except services.EditConflict as conflict:
            form.base_revision.data = conflict.current.number
            return render_template("pages/conflict.html", form=form, page=page, current=conflict.current,
                                   diff=word_diff(conflict.current.body, form.body.data or "")), 409
        except ValidationError as exc:
            _form_errors(form, exc)
        except policy.PermissionDenied as exc:
            form.visibility.errors.append(str(exc) or _("Action non autorisée."))
        else:
            if not result.created_revision and page.language != language_before:
                flash(_("Langue du texte enregistrée."), "success")
            elif not result.created_revision:
                flash(_("Aucun changement à enregistrer."), "info")
            elif result.merged:
                flash(_("Enregistré. Une modification faite entre-temps a été fusionnée avec la vôtre."),
                      "success")
            else:
                flash(_("Modifications enregistrées."), "success")
            return redirect(url_for("pages.view", slug=page.slug))
    return render_template("pages/edit.html", form=form, page=page)


@bp.route("/p/<slug>/historique")
def history(slug: str):
    page = _load(slug)
    revisions = services.list_revisions(page, current_user)
    return render_template("pages/history.html", page=page, revisions=revisions,
                           older_hidden=bool(revisions) and revisions[-1].number > 1)


@bp.route("/p/<slug>/version/<int:number>")
def revision(slug: str, number: int):
    page = _load(slug)
    return _show(page, services.get_revision(current_user, page, number))


@bp.route("/p/<slug>/comparer")
def diff(slug: str):
    page = _load(slug)
    try:
        new_number = int(request.args.get("a", page.current.number))
        old_number = int(request.args["de"]) if "de" in request.args else None
    except ValueError:
        abort(400)
    new = services.get_revision(current_user, page, new_number)
    if old_number is None:  # the one before, among those the reader may read
        old = services.previous_revision(current_user, new) or new
    else:
        old = services.get_revision(current_user, page, old_number)
    return render_template("pages/diff.html", page=page, old=old, new=new,
                           title_diff=word_diff(old.title, new.title), body_diff=word_diff(old.body, new.body),
                           section_changes=section_diff(old, new) if page.kind == Kind.FICHE else [])


@bp.route("/p/<slug>/version/<int:number>/restaurer", methods=["POST"])
@login_required
def revert(slug: str, number: int):
    page = _load(slug)
    policy.abort_unless("revert", page)
    result = services.revert_page(page, number, author=current_user)
    flash(_("La version %(number)d est de nouveau la version courante.", number=number) if result.created_revision
          else _("Cette version est déjà la version courante."), "success")
    return redirect(url_for("pages.view", slug=page.slug))


@bp.route("/p/<slug>/supprimer", methods=["POST"])
@login_required
def delete(slug: str):
    page = _load(slug)
    policy.abort_unless("delete", page)
    services.set_deleted(page, True, by=current_user)
    flash(_("Page supprimée. Elle reste récupérable depuis la corbeille."), "info")
    return redirect(url_for("pages.trash"))


@bp.route("/p/<slug>/retablir", methods=["POST"])
@login_required
def restore(slug: str):
    page = _load(slug)
    policy.abort_unless("restore", page)
    services.set_deleted(page, False, by=current_user)
    flash(_("Page rétablie."), "success")
    return redirect(url_for("pages.view", slug=page.slug))
