"""API: thematic groups and the directory of organisations."""
from flask import jsonify, url_for
from flask_babel import gettext as _

from .. import policy
from ..auth import accounts
from ..directory import services as directory
from ..directory.models import Organisation
from ..errors import ValidationError, error_response
from ..groups import services as groups
from ..policy import PermissionDenied
from . import schemas
from .common import api_user
from .operations import operation

GROUP = {"slug": "Group slug."}
ORGANISATION = {"slug": "Organisation slug."}
NO_GROUP = "No such group."
NO_ORGANISATION = "No such organisation."


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


@operation("GET", "/groups", tag="groups", summary="List thematic groups",
           answers={200: (schemas.GroupList, "All groups.")})
def list_groups():
    return jsonify({"groups": [{"slug": g.slug, "name": g.name, "description": g.description}
                               for g in groups.list_groups()]})


@operation("GET", "/groups/<slug>", tag="groups", path=GROUP, query=schemas.GroupQuery,
           summary="A group with its members, co-animators and readable pages",
           description="Member and co-animator names are for members (a token); anonymous callers get empty "
                       "lists. The filters narrow `pages` as on the group's web page.",
           answers={200: (schemas.GroupDetail, "The group."), 404: NO_GROUP})
def get_group(slug: str, query: schemas.GroupQuery):
    group = groups.get_group(slug)
    user = api_user()
    members = groups.members_of(group)
    shown = members if policy.may(user, "see_people") else []
    items = groups.list_group_pages(group, user, region=query.region or None, theme=query.theme or None,
                                    year=query.year, limit=schemas.GROUP_PAGES_SHOWN)
    return jsonify({
        "slug": group.slug, "name": group.name, "description": group.description,
        "members": [{"name": m.user.name, "side": m.user.side, "animator": m.is_animator} for m in shown],
        "animators": [{"name": m.user.name, "side": m.user.side} for m in shown if m.is_animator],
        "missing_animator_sides": groups.missing_animator_sides(members),
        "pages": [{"slug": p.slug, "title": p.title, "kind": p.kind,
                   "url": url_for("pages.view", slug=p.slug, _external=True)} for p in items],
    })


@operation("POST", "/groups", tag="groups", summary="Create a thematic group (coordinators)", writes=True,
           body=schemas.GroupCreate, answers={201: (schemas.GroupCreated, "Created."),
                                              403: "The caller is not a coordinator.",
                                              422: "Missing or already used name."})
def create_group(body: schemas.GroupCreate):
    try:
        group = groups.create_group(name=body.name, description=body.description or "", by=api_user())
    except PermissionDenied:
        return error_response(403, _("Seuls les coordinateurs créent des groupes."))
    return jsonify({"slug": group.slug}), 201


@operation("POST", "/groups/<slug>/members", tag="groups", path=GROUP, writes=True, body=schemas.MemberAdd,
           summary="Add a member to a group, or change their animator flag (coordinators, animators)",
           answers={201: (schemas.MemberAdded, "Added (or updated)."),
                    403: "The caller is neither a coordinator nor an animator of the group.",
                    404: NO_GROUP, 422: "No account with this email."})
def add_group_member(slug: str, body: schemas.MemberAdd):
    user = api_user()
    group = groups.get_group(slug)
    refusal = _("Seuls les coordinateurs et les animateurs du groupe ajoutent des membres.")
    if not policy.may(user, "manage_group", group):  # before the address is looked up: it tells who has an account
        return error_response(403, refusal)
    member = accounts.get_user_by_email(body.email)
    if member is None:
        raise ValidationError({"email": _("Aucun compte avec cette adresse.")})
    try:
        groups.add_member(group, member, animator=body.animator, by=user)
    except PermissionDenied as exc:  # naming a co-animator: policy's lead_group
        return error_response(403, str(exc) or refusal)
    return jsonify({"group": group.slug, "email": member.email, "animator": body.animator}), 201


@operation("POST", "/groups/<slug>/requests", tag="groups", path=GROUP, writes=True, body=schemas.JoinRequest,
           body_required=False, summary="Ask to join a group (members); an animator or a coordinator answers",
           description="Asking again while a request waits keeps it (a new message replaces the old).",
           answers={201: (schemas.JoinRequested, "The request waits for an animator."), 404: NO_GROUP,
                    422: "The caller is already a member."})
def request_to_join_group(slug: str, body: schemas.JoinRequest):
    """Ask to join a group; an animator (or a coordinator) answers in the web interface."""
    group = groups.get_group(slug)
    groups.request_to_join(group, api_user(), body.message or "")
    return jsonify({"group": group.slug, "status": "pending"}), 201


@operation("GET", "/organisations", tag="organisations", query=schemas.OrganisationQuery,
           summary="The directory of organisations, optionally filtered",
           answers={200: (schemas.OrganisationList, "Matching organisations.")})
def list_organisations(query: schemas.OrganisationQuery):
    args = {key: getattr(query, key) or None for key in ("side", "kind", "region")}
    return jsonify({"organisations": [organisation_json(o, api_user()) for o in directory.list_organisations(**args)]})


@operation("GET", "/organisations/<slug>", tag="organisations", path=ORGANISATION,
           summary="One organisation with its members and the sheets citing it",
           answers={200: (schemas.OrganisationDetail, "The organisation."), 404: NO_ORGANISATION})
def get_organisation(slug: str):
    return jsonify(organisation_detail_json(directory.get_organisation(slug), api_user()))


@operation("POST", "/organisations", tag="organisations", writes=True, body=schemas.OrganisationCreate,
           summary="Add an organisation to the directory (coordinators)",
           answers={201: (schemas.Organisation, "Created."), 403: "The caller is not a coordinator."})
def create_organisation(body: schemas.OrganisationCreate):
    user = api_user()
    values = {key: getattr(body, key) or "" for key in directory.EDITABLE}
    values["kind"] = values["kind"] or "association"
    try:
        org = directory.create_organisation(by=user, **values)
    except PermissionDenied:
        return error_response(403, _("Seuls les coordinateurs ajoutent des organisations."))
    return jsonify(organisation_json(org, user)), 201


@operation("PUT", "/organisations/<slug>", tag="organisations", path=ORGANISATION, writes=True,
           body=schemas.OrganisationUpdate,
           summary="Edit an organisation (coordinators, and contributors belonging to it)",
           answers={200: (schemas.OrganisationDetail, "Saved."),
                    403: "The caller is neither a coordinator nor a contributor of this organisation.",
                    404: NO_ORGANISATION})
def update_organisation(slug: str, body: schemas.OrganisationUpdate):
    """Coordinators and the organisation's own contributors; keys left out keep their value."""
    user = api_user()
    org = directory.get_organisation(slug)
    if not policy.may(user, "edit_organisation", org):
        return error_response(403, policy.MESSAGES["edit_organisation"])
    directory.update_organisation(org, by=user, **body.model_dump(exclude_unset=True))
    return jsonify(organisation_detail_json(org, user))
