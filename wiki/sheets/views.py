"""Experience sheets: form, view, validation, lessons across sheets, themes and questions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import policy
from ..attachments.views import attachments_of
from ..cache import fragments
from ..policy import PermissionDenied
from ..directory import services as directory
from ..errors import ValidationError
from ..groups import services as groups
from ..pages import services as pages
from ..pages.models import Kind, Page, Revision
from ..templating import markdown_filter
from . import services, themes
from .fields import LABELS, SECTIONS, SIDE_FIELDS
from .forms import SheetForm

bp = Blueprint("sheets", __name__)

# Shown in the summary card (or as the lead paragraph), not again as sections.
SUMMARY_FIELDS = ("abstract", "region", "cercle", "commune", "town_fr", "period_start", "period_end",
                  "partners_nord", "partners_sud", "funders", "budget")


def sheet_page(page: Page, revision: Revision, html: str):
    """The reading view of a sheet (called by pages.view and pages.revision), once the read
    check has passed. The parts the same for every reader (head, sections, voices) are a
    shared fragment; the buttons and forms are decided and rendered for this reader."""
    reader = policy.reader_of(current_user)
    parts = fragments.shared("sheet", (revision.id,), reader, lambda _reader, env: _shared_parts(page, revision, env))
    may_edit = policy.may(reader, "edit", page)
    return render_template(
        "sheets/view.html", page=page, revision=revision, html=html, parts=parts, labels=LABELS,
        att=attachments_of(page), may_edit=may_edit,
        may_revert=revision.id != page.current_revision_id and policy.may(reader, "revert", page),
        may_restore=page.is_deleted and policy.may(reader, "restore", page),
        may_delete=policy.may(reader, "delete", page),
        voice_writable={side: may_edit and policy.may(reader, "write_voice", side) for side in ("nord", "sud")},
        validation_refusal=policy.validation_refusal(reader, page) if reader.is_member else "")


def _shared_parts(page: Page, revision: Revision, env) -> dict:
    """Everything of the sheet view that does not depend on the reader, rendered once."""
    fields = revision.fields or {}
    partners_nord, partners_sud = services.partners(fields, "partners_nord", "partners_sud")
    context = dict(
        page=page, revision=revision, fields=fields, labels=LABELS,
        sections=[(title, [k for k in keys if k not in SUMMARY_FIELDS and k not in SIDE_FIELDS and fields.get(k)])
                  for title, keys in SECTIONS],
        place=services.place_label(fields), period=services.period_label(fields),
        partners_nord=partners_nord, partners_sud=partners_sud, theme_names=themes.theme_names())
    slug = page.slug
    return {
        "head": fragments.render(env, "sheets/_head.html", **context),
        "content": fragments.render(env, "sheets/_content.html", **context),
        "voices": {side: Markup(markdown_filter(fields[key], page)) if fields.get(key) else None
                   for key, side in SIDE_FIELDS.items()},
        "urls": {"edit": url_for("pages.edit", slug=slug), "history": url_for("pages.history", slug=slug),
                 "source": url_for("pages.source", slug=slug), "validate": url_for("sheets.validate", slug=slug),
                 "revert": url_for("pages.revert", slug=slug, number=revision.number),
                 "restore": url_for("pages.restore", slug=slug), "delete": url_for("pages.delete", slug=slug)},
    }


def _form() -> SheetForm:
    form = SheetForm()
    form.set_choices(themes=themes.list_themes(), groups=groups.groups_for(current_user),
                     regions=services.mali_regions(), organisations=directory.list_organisations())
    return form


def _render_form(form: SheetForm, page: Page | None, status: int = 200):
    return render_template("sheets/edit.html", form=form, page=page, sections=SECTIONS, labels=LABELS,
                           guides=services.guiding_questions(), regions=services.mali_regions(),
                           writable={side: policy.may(current_user, "write_voice", side) for side in ("nord", "sud")},
                           current_fields=page.current.fields if page else {}), status


def _form_errors(form: SheetForm, exc: ValidationError) -> None:
    for name, message in exc.errors.items():
        target = getattr(form, name.removeprefix("fields."), None) or form.title
        target.errors = [*target.errors, message]


def _values(form: SheetForm) -> dict:
    return dict(title=form.title.data, body=form.body.data or "", visibility=form.visibility.data,
                group=groups.find_group(form.group.data), themes=list(form.themes.data or []),
                summary=form.summary.data, status=form.status.data or None, language=form.language.data)


def _keep_other_voices(fields: dict, stored: dict) -> list[str]:
    """Sections of the other side are not editable here: keep their stored text (nothing else
    of the save is lost) and report any attempt to change them."""
    refused = []
    for key, side in SIDE_FIELDS.items():
        if not policy.may(current_user, "write_voice", side):
            if (fields.get(key) or None) not in (None, stored.get(key)):
                refused.append(str(LABELS[key]))
            fields[key] = stored.get(key)
    return refused


@bp.route("/fiches/nouvelle", methods=["GET", "POST"])
@policy.view_requires("create")
def create():
    form = _form()
    if form.validate_on_submit():
        fields = form.sheet_fields()
        refused = _keep_other_voices(fields, {})
        try:
            page = pages.create_page(author=current_user, kind=Kind.FICHE, fields=fields, **_values(form))
        except pages.PageExists as exc:
            flash(_("Une page « %(title)s » existe déjà. Vous pouvez la compléter.", title=exc.page.title), "info")
            return redirect(url_for("pages.edit", slug=exc.page.slug))
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.visibility.errors = [str(exc) or _("Action non autorisée.")]
        else:
            _warn_refused(refused)
            flash(_("Fiche enregistrée."), "success")
            return redirect(url_for("pages.view", slug=page.slug))
    return _render_form(form, None)


def _warn_refused(refused: list[str]) -> None:
    for label in refused:
        flash(_("La section « %(label)s » n'a pas été modifiée : elle est écrite par les contributeurs de ce côté. "
                "Le reste de vos changements est enregistré.", label=label), "error")


def edit_sheet(page: Page):
    """The sheet form for /p/<slug>/modifier (pages.edit hands sheets over here)."""
    form = _form()
    current = page.current
    if request.method == "GET":
        form.title.data, form.body.data = current.title, current.body
        form.themes.data = list(current.themes or [])
        form.visibility.data, form.status.data, form.language.data = page.visibility, page.status, page.language
        form.group.data = page.group.slug if page.group else ""
        form.base_revision.data = current.number
        form.load_fields(current.fields or {}, {o.slug for o in directory.list_organisations()})
    if form.validate_on_submit():
        try:
            base = pages.get_revision(current_user, page, int(form.base_revision.data or current.number))
        except ValueError:
            abort(400)
        fields = form.sheet_fields()
        refused = _keep_other_voices(fields, base.fields or {})
        values = _values(form)
        if values["status"] == "publiee" and page.status == "validee":
            values["status"] = None  # a validated sheet stays so unless its content changes
        try:
            result = pages.update_page(page, author=current_user, base_revision=base.number, fields=fields, **values)
        except pages.EditConflict as conflict:
            form.base_revision.data = conflict.current.number
            sections = ", ".join(str(LABELS.get(k.removeprefix("fields."), k)) for k in conflict.fields_in_conflict)
            if conflict.current.author:
                flash(_("Pendant que vous écriviez, %(name)s a modifié les mêmes sections (%(sections)s). Votre texte "
                        "est conservé ci-dessous ; comparez avec la version enregistrée, puis enregistrez à nouveau.",
                        name=conflict.current.author.name, sections=sections), "error")
            else:
                flash(_("Pendant que vous écriviez, quelqu’un a modifié les mêmes sections (%(sections)s). Votre texte "
                        "est conservé ci-dessous ; comparez avec la version enregistrée, puis enregistrez à nouveau.",
                        sections=sections), "error")
            return _render_form(form, page, 409)
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.status.errors = [str(exc) or _("Action non autorisée.")]
        else:
            _warn_refused(refused)
            flash(_("Modifications enregistrées.") if result.created_revision else _("Aucun changement à enregistrer."),
                  "success" if result.created_revision else "info")
            return redirect(url_for("pages.view", slug=page.slug))
    return _render_form(form, page)


@bp.route("/p/<slug>/valider", methods=["POST"])
@login_required
def validate(slug: str):
    page, _revision = pages.get_readable_page(current_user, slug)
    try:
        pages.validate_sheet(page, by=current_user)
    except PermissionDenied as exc:
        flash(str(exc), "error")
        return redirect(url_for("pages.view", slug=page.slug))
    flash(_("Merci : la fiche est validée par les partenaires."), "success")
    return redirect(url_for("pages.view", slug=page.slug))


@bp.route("/enseignements")
def lessons():
    theme = request.args.get("theme") or None
    group = groups.find_group(request.args.get("groupe"))
    gathered = services.gather_lessons(current_user, theme=theme, group_id=group.id if group else None)
    return render_template("sheets/lessons.html", gathered=gathered, theme=theme, group=group, labels=LABELS,
                           themes=themes.list_themes(), theme_names=themes.theme_names(),
                           groups=groups.list_groups())


@bp.route("/admin/themes", methods=["GET", "POST"], endpoint="themes")
@policy.view_requires("manage")
def edit_themes():
    if request.method == "POST":
        action, theme_id = request.form.get("action"), request.form.get("theme_id", type=int)
        try:
            if action == "add":
                themes.add_theme(request.form.get("name", ""), by=current_user)
            elif action == "rename" and theme_id:
                themes.rename_theme(theme_id, request.form.get("name", ""), by=current_user)
            elif action == "remove" and theme_id:
                themes.remove_theme(theme_id, by=current_user)
            else:
                abort(400)
        except ValidationError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Liste des thèmes mise à jour."), "success")
        return redirect(url_for("sheets.themes"))
    return render_template("sheets/themes.html", themes=themes.list_themes())


@bp.route("/admin/questions", methods=["GET", "POST"])
@policy.view_requires("manage")
def questions():
    if request.method == "POST":
        try:
            services.set_guiding_questions({k: v for k, v in request.form.items() if k in LABELS}, by=current_user)
        except ValidationError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Questions-guides enregistrées."), "success")
        return redirect(url_for("sheets.questions"))
    return render_template("sheets/questions.html", questions=services.guiding_questions(), sections=SECTIONS,
                           labels=LABELS)
