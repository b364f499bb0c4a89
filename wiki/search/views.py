"""The search page and the thesaurus that coordinators edit."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from .. import policy
from ..errors import ValidationError
from ..auth.models import SIDE_LABELS
from ..groups import services as groups
from ..pages.models import KIND_LABELS
from ..pagination import Pagination
from ..sheets import services as sheets, themes
from . import search_readable, thesaurus

bp = Blueprint("search", __name__)

# URL parameter → index facet field
FILTERS = {"theme": "themes", "region": "region", "group": "group", "kind": "kind", "side": "sides", "year": "years"}
FACET_TITLES = {"theme": _l("Thème"), "region": _l("Région"), "group": _l("Groupe"), "kind": _l("Type"),
                "side": _l("Voix"), "year": _l("Année")}


@bp.route("/recherche")
def results():
    query = request.args.get("q", "")[:500]
    chosen = {name: request.args.get(name, "")[:100] for name in FILTERS if request.args.get(name)}
    group_ids = {g.slug: g for g in groups.list_groups()}
    filters = {FILTERS[k]: (str(group_ids[v].id) if v in group_ids else "-") if k == "group" else v
               for k, v in chosen.items()}
    sort = "date" if request.args.get("tri") == "date" else "relevance"
    pagination = Pagination.from_request(current_app.config["PER_PAGE"])
    result, pairs = search_readable(current_user, query, filters=filters, page=pagination.page,
                                    per_page=pagination.per_page, sort=sort,
                                    correct=request.args.get("exact") != "1")
    facets = _facets(result.facets, group_ids)
    return render_template("search/results.html", query=query, result=result, pairs=pairs, chosen=chosen,
                           sort=sort, facets=facets, facet_titles=FACET_TITLES,
                           region_counts={value: count for value, _label, count in facets["region"] if value},
                           theme_names=themes.theme_names(), place=sheets.place_label,
                           pagination=pagination.with_total(result.total))


def _facets(raw: dict, groups_by_slug: dict) -> dict[str, list[tuple[str, str, int]]]:
    """URL parameter → [(value, label, count)] with readable labels."""
    names = {str(g.id): (slug, g.name) for slug, g in groups_by_slug.items()}
    theme_names = themes.theme_names()
    labelled = {}
    for param, field in FILTERS.items():
        values = []
        for value, count in raw.get(field, {}).items():
            if param == "group":
                if value not in names:
                    continue
                value, label = names[value]
            else:
                label = {"theme": theme_names, "kind": KIND_LABELS, "side": SIDE_LABELS}.get(param, {}).get(value, value)
            values.append((value, label, count))
        if param == "year":
            values.sort(reverse=True)
        labelled[param] = values[:15]
    return labelled


@bp.route("/admin/thesaurus", methods=["GET", "POST"])
@policy.view_requires("manage")
def synonyms():
    if request.method == "POST":
        try:
            if request.form.get("action") == "delete":
                thesaurus.delete_group(request.form.get("group_id", type=int) or 0, by=current_user)
            else:
                thesaurus.save_group(request.form.get("terms", ""), by=current_user,
                                     group_id=request.form.get("group_id", type=int))
        except ValidationError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Thésaurus mis à jour."), "success")
        return redirect(url_for("search.synonyms"))
    return render_template("search/thesaurus.html", groups=thesaurus.list_groups())
