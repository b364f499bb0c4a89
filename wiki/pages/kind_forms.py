"""Creating and editing a page of a kind with its own form (events, calls for funding): the
page form's fields plus the kind's `fields`, saved through pages.services, errors shown on
their field, nothing typed lost (a conflict gives the text back, 409)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..errors import ValidationError
from ..groups import services as groups
from . import services
from .models import Page


@dataclass(frozen=True)
class KindForm:
    kind: str
    template: str
    created: Callable[[], str]  # the message after a creation, in the reader's language
    conflict: Callable[[], str]  # the message when someone saved the page meanwhile


def create(form, spec: KindForm, fields: Callable[[], dict]):
    """`fields()` reads the kind's fields from the submitted form."""
    if form.validate_on_submit():
        try:
            page = services.create_page(author=current_user, kind=spec.kind, fields=fields(), **_values(form))
        except services.PageExists as exc:
            flash(_("Une page « %(title)s » existe déjà. Vous pouvez la compléter.", title=exc.page.title), "info")
            return redirect(url_for("pages.edit", slug=exc.page.slug))
        except ValidationError as exc:
            _show_errors(form, exc)
        except policy.PermissionDenied as exc:
            form.visibility.errors = [str(exc) or _("Action non autorisée.")]
        else:
            flash(spec.created(), "success")
            return redirect(url_for("pages.view", slug=page.slug))
    return render_template(spec.template, form=form, page=None)


def edit(page: Page, form, spec: KindForm, fields: Callable[[dict], dict]):
    """`fields(stored)` reads the kind's fields from the submitted form, given those of the
    revision the edit started from."""
    current = page.current
    if request.method == "GET":
        form.title.data, form.body.data = current.title, current.body
        if hasattr(form, "themes"):
            form.themes.data = list(current.themes or [])
        form.visibility.data, form.language.data = page.visibility, page.language
        form.group.data = page.group.slug if page.group else ""
        form.base_revision.data = current.number
        form.load_fields(current.fields or {})
    if form.validate_on_submit():
        try:
            base = services.get_revision(current_user, page, int(form.base_revision.data or current.number))
        except ValueError:
            abort(400)
        try:
            result = services.update_page(page, author=current_user, base_revision=base.number,
                                          fields=fields(base.fields or {}), **_values(form))
        except services.EditConflict as conflict:
            form.base_revision.data = conflict.current.number
            flash(spec.conflict(), "error")
            return render_template(spec.template, form=form, page=page), 409
        except ValidationError as exc:
            _show_errors(form, exc)
        except policy.PermissionDenied as exc:
            form.visibility.errors = [str(exc) or _("Action non autorisée.")]
        else:
            flash(_("Modifications enregistrées.") if result.created_revision else _("Aucun changement à enregistrer."),
                  "success" if result.created_revision else "info")
            return redirect(url_for("pages.view", slug=page.slug))
    return render_template(spec.template, form=form, page=page)


def _values(form) -> dict:
    values = dict(title=form.title.data, body=form.body.data or "", visibility=form.visibility.data,
                  group=groups.find_group(form.group.data), summary=form.summary.data, language=form.language.data)
    if hasattr(form, "themes"):
        values["themes"] = list(form.themes.data or [])
    return values


def _show_errors(form, exc: ValidationError) -> None:
    for name, message in exc.errors.items():
        target = getattr(form, name.removeprefix("fields."), None) or form.title
        target.errors = [*target.errors, message]
