"""Experience sheets: form, view, validation, lessons across sheets, themes and questions."""
import hashlib
import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from .. import pagecache
from ..attachments.views import attachments_of
from ..auth.models import Role
from ..auth.permissions import PermissionDenied, can, is_member, role_required
from ..directory import services as directory
from ..errors import ValidationError
from ..groups import services as groups
from ..pages import services as pages
from ..pages.models import Kind, Page, Revision
from ..templating import markdown_filter
from . import services
from .fields import LABELS, SECTIONS, SIDE_FIELDS
from .forms import SheetForm

bp = Blueprint("sheets", __name__)

# Shown in the summary card (or as the lead paragraph), not again as sections.
SUMMARY_FIELDS = ("abstract", "region", "cercle", "commune", "town_fr", "period_start", "period_end",
                  "partners_nord", "partners_sud", "funders", "budget")
# Stand for the reader's form token and name in kept content; random, so no page text can hold them.
TOKEN_SLOT = f"csrf-token-{secrets.token_hex(16)}"
NAME_SLOT = f"reader-name-{secrets.token_hex(16)}"


class _ReaderWithNameSlot:
    """The reader as a kept page's header shows them: the name is a slot, the rest is theirs
    (side, rights), and is in the page's key."""
    name = NAME_SLOT

    def __init__(self, user):
        self._user = user

    def __getattr__(self, attribute):
        return getattr(self._user, attribute)


def sheet_page(page: Page, revision: Revision, html: str):
    """The reading view of a sheet (called by pages.view and pages.revision), once the read
    check has passed. What is the same for every reader (sections, summary card, addresses)
    comes from a fragment kept under the data version. What depends on the reader's rights
    (buttons, links marked « à créer » in `html`, the upload form) is decided here on every
    request, and the content rendered from those values is kept per reader class: readers
    with the same rights share it, each with their own form token put in on the way out.
    For members without a message waiting, so is the whole page: the header adds their side
    and rights to the key, and their name goes in on the way out, like the token."""
    parts = pagecache.fragment(("sheet", revision.id), lambda: _shared_parts(page, revision))
    user = current_user._get_current_object()  # one proxy lookup, not one per check
    member = is_member(user)
    may_edit = member and can(user, "edit", page)
    rights = dict(
        may_edit=may_edit,
        may_revert=revision.id != page.current_revision_id and member and can(user, "revert", page),
        may_restore=page.is_deleted and member and can(user, "restore"),
        may_delete=member and can(user, "delete"),
        voice_writable={side: may_edit and services.can_write_voice(user, side) for side in ("nord", "sud")},
        validation_refusal=pages.validation_refusal(user, page) if user.is_authenticated else "")
    files = attachments_of(page)
    if files["deleted"] or can(user, "delete"):
        # Coordinators: their file list holds delete buttons with their token; theirs alone.
        main = _render_main(page, revision, html, parts, rights, files, generate_csrf)
    else:  # the same listing for all of them (a fragment): what else they see is in the key
        key = ("sheet-main", revision.id, page.current_revision_id, page.is_deleted, _digest(html),
               *(tuple(value.items()) if isinstance(value, dict) else value for value in rights.values()),
               files["has_files"], files["can_upload"], files["max_bytes"])
        kept = pagecache.fragment(key, lambda: _render_main(page, revision, html, parts, rights, files,
                                                            lambda: TOKEN_SLOT))
        if user.is_authenticated and "_flashes" not in session:
            # The whole page, header included, for members with these rights and this side.
            whole_key = ("sheet-page", *key[1:], user.side, can(user, "manage"), request.script_root)
            whole = pagecache.fragment(whole_key, lambda: (
                render_template("sheets/view.html", page=page, revision=revision, main=kept,
                                current_user=_ReaderWithNameSlot(user), csrf_token=lambda: TOKEN_SLOT)))
            return whole.replace(NAME_SLOT, escape(user.name)).replace(TOKEN_SLOT, generate_csrf())
        # No form for a visitor: no token asked, so no session cookie and the page stays shareable.
        main = Markup(kept.replace(TOKEN_SLOT, generate_csrf())) if TOKEN_SLOT in kept else kept
    return render_template("sheets/view.html", page=page, revision=revision, main=main)


def _digest(html: str) -> bytes:
    """Stands for the reader's version of the body in a key (the HTML itself would be kept twice)."""
    return hashlib.blake2b(html.encode(), digest_size=16).digest()


def _render_main(page, revision, html, parts, rights, files, csrf_token) -> Markup:
    template = current_app.jinja_env.get_template("sheets/_main.html")
    return Markup(template.render(page=page, revision=revision, html=html, parts=parts, labels=LABELS,
                                  att=files, csrf_token=csrf_token, **rights))


def _shared_parts(page: Page, revision: Revision) -> dict:
    """Everything of the sheet view that does not depend on the reader, rendered once.
    Rendered without the request's context processors: no current_user in reach."""
    fields = revision.fields or {}
    partners_nord, partners_sud = services.partners(fields, "partners_nord", "partners_sud")
    env = current_app.jinja_env
    context = dict(
        page=page, revision=revision, fields=fields, labels=LABELS,
        sections=[(title, [k for k in keys if k not in SUMMARY_FIELDS and k not in SIDE_FIELDS and fields.get(k)])
                  for title, keys in SECTIONS],
        place=services.place_label(fields), period=services.period_label(fields),
        partners_nord=partners_nord, partners_sud=partners_sud, theme_names=services.theme_names())
    slug = page.slug
    return {
        "head": Markup(env.get_template("sheets/_head.html").render(context)),
        "content": Markup(env.get_template("sheets/_content.html").render(context)),
        "voices": {side: Markup(markdown_filter(fields[key], page)) if fields.get(key) else None
                   for key, side in SIDE_FIELDS.items()},
        "urls": {"edit": url_for("pages.edit", slug=slug), "history": url_for("pages.history", slug=slug),
                 "source": url_for("pages.source", slug=slug), "validate": url_for("sheets.validate", slug=slug),
                 "revert": url_for("pages.revert", slug=slug, number=revision.number),
                 "restore": url_for("pages.restore", slug=slug), "delete": url_for("pages.delete", slug=slug)},
    }


def _form() -> SheetForm:
    form = SheetForm()
    form.set_choices(themes=services.list_themes(), groups=groups.groups_for(current_user),
                     regions=services.mali_regions(), organisations=directory.list_organisations())
    return form


def _render_form(form: SheetForm, page: Page | None, status: int = 200):
    return render_template("sheets/edit.html", form=form, page=page, sections=SECTIONS, labels=LABELS,
                           guides=services.guiding_questions(), regions=services.mali_regions(),
                           writable={side: services.can_write_voice(current_user, side) for side in ("nord", "sud")},
                           current_fields=page.current.fields if page else {}), status


def _form_errors(form: SheetForm, exc: ValidationError) -> None:
    for name, message in exc.errors.items():
        target = getattr(form, name.removeprefix("fields."), None) or form.title
        target.errors = [*target.errors, message]


def _values(form: SheetForm) -> dict:
    return dict(title=form.title.data, body=form.body.data or "", visibility=form.visibility.data,
                group=groups.find_group(form.group.data), themes=list(form.themes.data or []),
                summary=form.summary.data, status=form.status.data or None)


def _keep_other_voices(fields: dict, stored: dict) -> list[str]:
    """Sections of the other side are not editable here: keep their stored text (nothing else
    of the save is lost) and report any attempt to change them."""
    refused = []
    for key, side in SIDE_FIELDS.items():
        if not services.can_write_voice(current_user, side):
            if (fields.get(key) or None) not in (None, stored.get(key)):
                refused.append(LABELS[key])
            fields[key] = stored.get(key)
    return refused


@bp.route("/fiches/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    if not can(current_user, "create"):
        abort(403)
    form = _form()
    if form.validate_on_submit():
        fields = form.sheet_fields()
        refused = _keep_other_voices(fields, {})
        try:
            page = pages.create_page(author=current_user, kind=Kind.FICHE, fields=fields, **_values(form))
        except pages.PageExists as exc:
            flash(f"{exc} Vous pouvez la compléter.", "info")
            return redirect(url_for("pages.edit", slug=exc.page.slug))
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.visibility.errors = [str(exc) or "Action non autorisée."]
        else:
            _warn_refused(refused)
            flash("Fiche enregistrée.", "success")
            return redirect(url_for("pages.view", slug=page.slug))
    return _render_form(form, None)


def _warn_refused(refused: list[str]) -> None:
    for label in refused:
        flash(f"La section « {label} » n'a pas été modifiée : elle est écrite par les contributeurs de ce côté. "
              "Le reste de vos changements est enregistré.", "error")


def edit_sheet(page: Page):
    """The sheet form for /p/<slug>/modifier (pages.edit hands sheets over here)."""
    form = _form()
    current = page.current
    if request.method == "GET":
        form.title.data, form.body.data = current.title, current.body
        form.themes.data = list(current.themes or [])
        form.visibility.data, form.status.data = page.visibility, page.status
        form.group.data = page.group.slug if page.group else ""
        form.base_revision.data = current.number
        form.load_fields(current.fields or {}, {o.slug for o in directory.list_organisations()})
    if form.validate_on_submit():
        try:
            base = pages.get_revision(page, int(form.base_revision.data or current.number))
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
            fields_in_conflict = ", ".join(LABELS.get(k.removeprefix("fields."), k) for k in conflict.fields_in_conflict)
            flash(f"Pendant que vous écriviez, {conflict.current.author.name if conflict.current.author else 'quelqu’un'} "
                  f"a modifié les mêmes sections ({fields_in_conflict}). Votre texte est conservé ci-dessous ; "
                  "comparez avec la version enregistrée, puis enregistrez à nouveau.", "error")
            return _render_form(form, page, 409)
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.status.errors = [str(exc) or "Action non autorisée."]
        else:
            _warn_refused(refused)
            flash("Modifications enregistrées." if result.created_revision else "Aucun changement à enregistrer.",
                  "success" if result.created_revision else "info")
            return redirect(url_for("pages.view", slug=page.slug))
    return _render_form(form, page)


@bp.route("/p/<slug>/valider", methods=["POST"])
@login_required
def validate(slug: str):
    page, _ = pages.get_readable_page(current_user, slug)
    try:
        pages.validate_sheet(page, by=current_user)
    except PermissionDenied as exc:
        flash(str(exc), "error")
        return redirect(url_for("pages.view", slug=page.slug))
    flash("Merci : la fiche est validée par les partenaires.", "success")
    return redirect(url_for("pages.view", slug=page.slug))


@bp.route("/enseignements")
def lessons():
    theme = request.args.get("theme") or None
    group = groups.find_group(request.args.get("groupe"))
    gathered = services.gather_lessons(current_user, theme=theme, group_id=group.id if group else None)
    return render_template("sheets/lessons.html", gathered=gathered, theme=theme, group=group, labels=LABELS,
                           themes=services.list_themes(), theme_names=services.theme_names(),
                           groups=groups.list_groups())


@bp.route("/admin/themes", methods=["GET", "POST"])
@role_required(Role.COORDINATEUR)
def themes():
    if request.method == "POST":
        action, theme_id = request.form.get("action"), request.form.get("theme_id", type=int)
        try:
            if action == "add":
                services.add_theme(request.form.get("name", ""), by=current_user)
            elif action == "rename" and theme_id:
                services.rename_theme(theme_id, request.form.get("name", ""), by=current_user)
            elif action == "remove" and theme_id:
                services.remove_theme(theme_id, by=current_user)
            else:
                abort(400)
        except ValidationError as exc:
            flash(str(exc), "error")
        else:
            flash("Liste des thèmes mise à jour.", "success")
        return redirect(url_for("sheets.themes"))
    return render_template("sheets/themes.html", themes=services.list_themes())


@bp.route("/admin/questions", methods=["GET", "POST"])
@role_required(Role.COORDINATEUR)
def questions():
    if request.method == "POST":
        try:
            services.set_guiding_questions({k: v for k, v in request.form.items() if k in LABELS}, by=current_user)
        except ValidationError as exc:
            flash(str(exc), "error")
        else:
            flash("Questions-guides enregistrées.", "success")
        return redirect(url_for("sheets.questions"))
    return render_template("sheets/questions.html", questions=services.guiding_questions(), sections=SECTIONS,
                           labels=LABELS)
