"""API: thematic groups and the directory of organisations."""
from flask import jsonify, request, url_for
from flask_babel import gettext as _

from ..auth import accounts
from .. import policy
from ..policy import PermissionDenied
from ..directory import services as directory
from ..directory.models import Organisation
from ..errors import ValidationError, error_response
from ..groups import services as groups
from .blueprint import bp
from .common import api_user, int_arg, json_body, require_member


def organisation_json(org: Organisation, viewer) -> dict:
    """The directory entry; the contact (often a person's name) only for members."""
    return {"slug": org.slug, "name": org.name, "side": org.side, "kind": org.kind, "town": org.town,
            "region": org.region, "description": org.description, "website": org.website,
            "contact": org.contact if policy.may(viewer, "see_people") else None,
            "url": url_for("directory.view", slug=org.slug, _external=True)}


def organisation_detail_json(org: Organisation, viewer) -> dict:
    members = directory.members_of(org) if policy.may(viewer, "see_people") else []  # names are for members only
    return {
        **organisation_json(org, viewer),
        "members": [{"name": m.name, "side": m.side} for m in members],
        "sheets": [{"slug": p.slug, "title": p.title, "url": url_for("pages.view", slug=p.slug, _external=True)}
                   for p in directory.sheets_citing(org, viewer)],
    }


def _organisation_values(body: dict) -> dict:
    unknown = set(body) - set(directory.EDITABLE)
    if unknown:
        raise ValidationError({str(k)[:50]: _("Clé inconnue.") for k in sorted(unknown)})
    _require_text(body, *directory.EDITABLE)
    return body


def _require_text(body: dict, *keys: str) -> None:
    """JSON texts must be strings: services would otherwise turn [1] or 5 into "[1]" or "5"."""
    for key in keys:
        if key in body and body[key] is not None and not isinstance(body[key], str):
            raise ValidationError({key: _("Un texte est attendu.")})


@bp.get("/groups")
def list_groups():
    return jsonify({"groups": [{"slug": g.slug, "name": g.name, "description": g.description}
                               for g in groups.list_groups()]})


@bp.get("/groups/<slug>")
def get_group(slug: str):
    """The group, its members (for members only) and its readable pages, filtered by
    `region`, `theme` and `year` like the group home."""
    group = groups.get_group(slug)
    user = api_user()
    members = groups.members_of(group)
    shown = members if policy.may(user, "see_people") else []
    year = int_arg("year", 0, 1900, 2100) or None
    items = groups.list_group_pages(group, user, region=request.args.get("region") or None,
                                    theme=request.args.get("theme") or None, year=year)[:200]
    return jsonify({
        "slug": group.slug, "name": group.name, "description": group.description,
        "members": [{"name": m.user.name, "side": m.user.side, "animator": m.is_animator} for m in shown],
        "animators": [{"name": m.user.name, "side": m.user.side} for m in shown if m.is_animator],
        "missing_animator_sides": groups.missing_animator_sides(members),
        "pages": [{"slug": p.slug, "title": p.title, "kind": p.kind,
                   "url": url_for("pages.view", slug=p.slug, _external=True)} for p in items],
    })


@bp.post("/groups")
def create_group():
    user = require_member()
    body = json_body()
    _require_text(body, "name", "description")
    try:
        group = groups.create_group(name=body.get("name", ""), description=body.get("description") or "", by=user)
    except PermissionDenied:
        return error_response(403, _("Seuls les coordinateurs créent des groupes."))
    return jsonify({"slug": group.slug}), 201


@bp.post("/groups/<slug>/members")
def add_group_member(slug: str):
    user = require_member()
    group = groups.get_group(slug)
    refusal = _("Seuls les coordinateurs et les animateurs du groupe ajoutent des membres.")
    if not policy.may(user, "manage_group", group):  # before the address is looked up: it tells who has an account
        return error_response(403, refusal)
    body = json_body()
    email = body.get("email")
    member = accounts.get_user_by_email(email) if isinstance(email, str) and len(email) <= 254 else None
    if member is None:
        raise ValidationError({"email": _("Aucun compte avec cette adresse.")})
    if not isinstance(body.get("animator", False), bool):
        raise ValidationError({"animator": _("Vrai ou faux (true / false) est attendu.")})
    try:
        groups.add_member(group, member, animator=bool(body.get("animator")), by=user)
    except PermissionDenied as exc:  # naming a co-animator: policy's lead_group
        return error_response(403, str(exc) or refusal)
    return jsonify({"group": group.slug, "email": member.email, "animator": bool(body.get("animator"))}), 201


@bp.post("/groups/<slug>/requests")
def request_to_join_group(slug: str):
    """Ask to join a group; an animator (or a coordinator) answers in the web interface."""
    user = require_member()
    group = groups.get_group(slug)
    body = request.get_json(silent=True)
    if body is None and not request.get_data():
        body = {}
    if not isinstance(body, dict):
        return error_response(400, _("Un objet JSON est attendu (Content-Type: application/json)."))
    message = body.get("message") or ""
    if not isinstance(message, str):
        raise ValidationError({"message": _("Un texte est attendu.")})
    groups.request_to_join(group, user, message)
    return jsonify({"group": group.slug, "status": "pending"}), 201


@bp.get("/organisations")
def list_organisations():
    args = {key: request.args.get(key) or None for key in ("side", "kind", "region")}
    return jsonify({"organisations": [organisation_json(o, api_user()) for o in directory.list_organisations(**args)]})


@bp.get("/organisations/<slug>")
def get_organisation(slug: str):
    return jsonify(organisation_detail_json(directory.get_organisation(slug), api_user()))


@bp.post("/organisations")
def create_organisation():
    user = require_member()
    values = _organisation_values(json_body())
    values = {key: values.get(key, "") for key in directory.EDITABLE}
    values["kind"] = values["kind"] or "association"
    try:
        org = directory.create_organisation(by=user, **values)
    except PermissionDenied:
        return error_response(403, _("Seuls les coordinateurs ajoutent des organisations."))
    return jsonify(organisation_json(org, user)), 201


@bp.put("/organisations/<slug>")
def update_organisation(slug: str):
    """Coordinators and the organisation's own contributors; keys left out keep their value."""
    user = require_member()
    body = json_body()
    org = directory.get_organisation(slug)
    if not policy.may(user, "edit_organisation", org):
        return error_response(403, policy.MESSAGES["edit_organisation"])
    directory.update_organisation(org, by=user, **_organisation_values(body))
    return jsonify(organisation_detail_json(org, user))
