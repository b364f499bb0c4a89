"""The directory of actors (organisations, Nord and Sud): list with filters, entry, create, edit."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import policy
from ..errors import ValidationError
from ..pagination import Pagination
from . import services
from .forms import DirectoryFilterForm, OrganisationForm

bp = Blueprint("directory", __name__, url_prefix="/annuaire")


def _form_errors(form: OrganisationForm, exc: ValidationError) -> None:
    for name, message in exc.errors.items():
        getattr(form, name, form.name).errors.append(message)


@bp.route("")
def index():
    """All organisations; the filters (side, kind, region) keep each other."""
    form = DirectoryFilterForm(formdata=request.args)
    form.set_choices(services.list_kinds(), services.list_regions())
    filters = form.filters()
    organisations = services.list_organisations(**filters)
    pagination = Pagination.from_request(current_app.config["PER_PAGE"]).with_total(len(organisations))
    return render_template("directory/index.html", form=form, filters=filters, pagination=pagination,
                           organisations=organisations[pagination.offset:pagination.offset + pagination.per_page],
                           counts=services.count_by_side(kind=filters["kind"], region=filters["region"]))


@bp.route("/nouvelle", methods=["GET", "POST"])
@policy.view_requires("manage")
def create():
    form = OrganisationForm()
    form.set_kind_choices(services.list_kinds())
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(by=current_user, **form.values())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            flash(_("« %(name)s » a été ajoutée à l'annuaire.", name=organisation.name), "success")
            return redirect(url_for("directory.view", slug=organisation.slug))
    return render_template("directory/edit.html", form=form, organisation=None)


@bp.route("/<slug>")
def view(slug: str):
    organisation = services.get_organisation(slug)
    # People's names are for members only (security of partners in Mali).
    show_people = policy.may(current_user, "see_people")
    return render_template("directory/view.html", organisation=organisation, show_people=show_people,
                           members=services.members_of(organisation),
                           sheets=services.sheets_citing(organisation, current_user),
                           can_edit=policy.may(current_user, "edit_organisation", organisation))


@bp.route("/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    organisation = services.get_organisation(slug)
    policy.abort_unless("edit_organisation", organisation)
    form = OrganisationForm(obj=organisation)
    form.set_kind_choices(services.list_kinds())
    if form.validate_on_submit():
        try:
            services.update_organisation(organisation, by=current_user, **form.values())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            flash(_("Organisation mise à jour."), "success")
            return redirect(url_for("directory.view", slug=organisation.slug))
    return render_template("directory/edit.html", form=form, organisation=organisation)
