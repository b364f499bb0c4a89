"""The discussion below a page: write, reply, edit and delete (plain forms)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import policy
from ..errors import ValidationError
from ..pages import services as pages
from . import services
from .forms import CommentForm

bp = Blueprint("discussions", __name__)


@bp.app_template_global()
def discussion(page) -> dict:
    """What the page's discussion shows this reader: its threads, and a form if they may write."""
    may_write = policy.may(current_user, "comment", page)
    return {"threads": services.list_threads(page, current_user), "may_write": may_write,
            "form": CommentForm(formdata=None) if may_write else None}


@bp.app_template_global()
def comment_html(comment) -> str:
    return services.comment_html(comment, current_user)


def _page(slug: str):
    return pages.get_readable_page(current_user, slug)[0]


def _anchor(page, comment=None) -> str:
    return url_for("pages.view", slug=page.slug, _anchor=f"commentaire-{comment.id}" if comment else "discussion")


@bp.route("/p/<slug>/discussion", methods=["POST"])
@login_required
def add(slug: str):
    page = _page(slug)
    policy.abort_unless("comment", page)
    form = CommentForm()
    if form.validate_on_submit():
        parent = form.parent.data or ""
        parent = int(parent) if parent.isascii() and parent.isdigit() and len(parent) <= 9 else None
        try:
            comment = services.add_comment(page, current_user, form.body.data or "", parent_id=parent)
        except ValidationError as exc:
            form.body.errors = list(exc.errors.values())
        else:
            flash(_("Commentaire publié."), "success")
            return redirect(_anchor(page, comment))
    return render_template("discussions/write.html", page=page, form=form, comment=None), 422


@bp.route("/p/<slug>/discussion/<int:comment_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(slug: str, comment_id: int):
    page = _page(slug)
    comment = services.get_comment(page, current_user, comment_id)
    policy.abort_unless("change_comment", comment)
    form = CommentForm(body=comment.body)
    if form.validate_on_submit():
        try:
            services.edit_comment(comment, current_user, form.body.data or "")
        except ValidationError as exc:
            form.body.errors = list(exc.errors.values())
            return render_template("discussions/write.html", page=page, form=form, comment=comment), 422
        flash(_("Commentaire modifié."), "success")
        return redirect(_anchor(page, comment))
    return render_template("discussions/write.html", page=page, form=form, comment=comment)


@bp.route("/p/<slug>/discussion/<int:comment_id>/supprimer", methods=["POST"])
@login_required
def delete(slug: str, comment_id: int):
    page = _page(slug)
    comment = services.get_comment(page, current_user, comment_id)
    policy.abort_unless("change_comment", comment)
    services.delete_comment(comment, current_user)
    flash(_("Commentaire supprimé."), "info")
    return redirect(_anchor(page))
