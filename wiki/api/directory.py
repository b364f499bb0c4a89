"""API: thematic groups and the directory of organisations."""
from flask import jsonify, url_for

from ..auth import services as accounts
from ..auth.models import Role
from ..auth.permissions import PermissionDenied, has_role
from ..directory import services as directory
from ..directory.models import Organisation
from ..errors import ValidationError, error_response
from ..groups import services as groups
from ..pages import services as pages
from . import bp
from .common import api_user, json_body, require_member


def organisation_json(org: Organisation) -> dict:
    return {"slug": org.slug, "name": org.name, "side": org.side, "kind": org.kind, "town": org.town,
            "region": org.region, "description": org.description}


@bp.get("/groups")
def list_groups():
    return jsonify({"groups": [{"slug": g.slug, "name": g.name, "description": g.description}
                               for g in groups.list_groups()]})


@bp.get("/groups/<slug>")
def get_group(slug: str):
    group = groups.get_group(slug)
    user = api_user()
    members = groups.members_of(group) if has_role(user, Role.LECTEUR) else []
    items, _ = pages.list_pages(user, group_id=group.id, limit=200)
    return jsonify({
        "slug": group.slug, "name": group.name, "description": group.description,
        "members": [{"name": m.user.name, "side": m.user.side, "animator": m.is_animator} for m in members],
        "animators": [{"name": m.user.name, "side": m.user.side} for m in members if m.is_animator],
        "pages": [{"slug": p.slug, "title": p.title, "kind": p.kind,
                   "url": url_for("pages.view", slug=p.slug, _external=True)} for p in items],
    })


@bp.post("/groups")
def create_group():
    user = require_member()
    body = json_body()
    try:
        group = groups.create_group(name=body.get("name", ""), description=body.get("description") or "", by=user)
    except PermissionDenied:
        return error_response(403, "Seuls les coordinateurs créent des groupes.")
    return jsonify({"slug": group.slug}), 201


@bp.post("/groups/<slug>/members")
def add_group_member(slug: str):
    user = require_member()
    group = groups.get_group(slug)
    body = json_body()
    email = body.get("email")
    member = accounts.get_user_by_email(email) if isinstance(email, str) else None
    if member is None:
        raise ValidationError({"email": "Aucun compte avec cette adresse."})
    try:
        groups.add_member(group, member, animator=bool(body.get("animator")), by=user)
    except PermissionDenied:
        return error_response(403, "Seuls les coordinateurs et les animateurs du groupe ajoutent des membres.")
    return jsonify({"group": group.slug, "email": member.email, "animator": bool(body.get("animator"))}), 201


@bp.get("/organisations")
def list_organisations():
    return jsonify({"organisations": [organisation_json(o) for o in directory.list_organisations()]})


@bp.get("/organisations/<slug>")
def get_organisation(slug: str):
    return jsonify(organisation_json(directory.get_organisation(slug)))


@bp.post("/organisations")
def create_organisation():
    user = require_member()
    body = json_body()
    values = {key: body.get(key, "") for key in ("name", "side", "kind", "town", "region", "description")}
    values["kind"] = values["kind"] or "association"
    try:
        org = directory.create_organisation(by=user, **values)
    except PermissionDenied:
        return error_response(403, "Seuls les coordinateurs ajoutent des organisations.")
    return jsonify(organisation_json(org)), 201

