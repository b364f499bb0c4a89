"""API: pages, revisions and search."""
from flask import abort, jsonify, url_for
from flask_babel import gettext as _

from .. import search
from ..errors import NotFound, ValidationError, error_response
from ..groups import services as groups
from ..models import MAX_ID
from ..pages import services
from ..pages.models import Page, Revision
from ..policy import PermissionDenied
from . import schemas
from .common import api_user
from .operations import operation


def revision_json(page: Page, revision: Revision, *, with_html: bool = True) -> dict:
    data = {
        "slug": page.slug,
        "url": url_for("pages.view", slug=page.slug, _external=True),
        "title": revision.title,
        "kind": page.kind,
        "visibility": page.visibility,
        "group": page.group.slug if page.group else None,
        "themes": list(revision.themes or []),
        "fields": dict(revision.fields or {}),
        "body": revision.body,
        "revision": revision.number,
        "author": revision.author.name if revision.author else None,
        "side": revision.author_side,
        "summary": revision.summary,
        "updated": revision.created_at.isoformat(),
        "status": page.status,
        "language": page.language,
        "validated_by": page.validated_by.name if page.validated_by else None,
        "validated_at": page.validated_at.isoformat() if page.validated_at else None,
    }
    if with_html:
        data["html"] = str(services.revision_html(revision, api_user()))
    return data


PAGE_NOT_FOUND = "No such page, or the caller may not read it (both answer the same)."


def group_from(body, default=None):
    if "group" not in body.model_fields_set:
        return default
    if body.group in (None, ""):
        return None
    group = groups.find_group(body.group)
    if group is None:
        message = _("Groupe inconnu.")
        abort(error_response(422, message, fields={"group": message}))
    return group


def _fields(body) -> dict | None:
    return body.fields.model_dump(exclude_unset=True) if body.fields is not None else None


def _readable(slug: str) -> Page:
    page, _by_alias = services.get_readable_page(api_user(), slug)
    return page


def denied(exc: PermissionDenied):
    return error_response(403, str(exc) or None)


@operation("GET", "/pages", tag="pages", summary="List the pages the caller may read, newest first",
           query=schemas.PageListQuery, answers={200: (schemas.PageList, "Readable pages.")})
def list_pages(query: schemas.PageListQuery):
    group = groups.find_group(query.group[:200]) if query.group else None
    if query.group and group is None:
        return jsonify({"total": 0, "pages": []})
    items, total = services.list_pages(api_user(), kind=query.kind, group_id=group.id if group else None,
                                       theme=(query.theme or "")[:200] or None, limit=query.limit,
                                       offset=query.offset)
    return jsonify({"total": total, "pages": [
        {"slug": p.slug, "title": p.title, "kind": p.kind, "visibility": p.visibility,
         "group": p.group.slug if p.group else None, "themes": list(p.themes or []),
         "revision": p.current.number, "updated": p.updated_at.isoformat(),
         "url": url_for("pages.view", slug=p.slug, _external=True)} for p in items]})


@operation("POST", "/pages", tag="pages", summary="Create a page or an experience sheet (contributors)",
           writes=True, body=schemas.PageCreate, answers={
               201: (schemas.PageCreated, "Created."),
               403: "Role below contributor, `public` without being coordinator, a group the caller is not in, "
                    "or the other side's `regard_*` field.",
               409: "A page the caller can read already has this title's address; `slug` names it."})
def create_page(body: schemas.PageCreate):
    try:
        page = services.create_page(
            author=api_user(), title=body.title, body=body.body, kind=body.kind, visibility=body.visibility,
            group=group_from(body), themes=body.themes, fields=_fields(body), summary=body.summary,
            status=body.status, language=body.language)
    except services.PageExists as exc:
        return error_response(409, str(exc), slug=exc.page.slug)
    except PermissionDenied as exc:
        return denied(exc)
    return jsonify({"slug": page.slug, "revision": page.current.number,
                    "url": url_for("pages.view", slug=page.slug, _external=True)}), 201


@operation("GET", "/pages/<slug>", tag="pages", summary="Read a page at its current revision",
           answers={200: (schemas.Page, "The page."), 404: PAGE_NOT_FOUND})
def get_page(slug: str):
    page = _readable(slug)
    return jsonify(revision_json(page, page.current))


@operation("PUT", "/pages/<slug>", tag="pages", summary="Edit a page from a base revision (contributors)",
           description="Changes made by others since `base_revision` are merged when they do not overlap; "
                       "otherwise 409 returns both versions and nothing is saved.",
           writes=True, body=schemas.PageUpdate, answers={
               200: (schemas.PageSaved, "Saved (or nothing to change)."),
               403: "Role below contributor, `public` without being coordinator, a group the caller is not in, "
                    "or a change to the other side's `regard_*` field.",
               404: PAGE_NOT_FOUND,
               409: (schemas.Conflict, "Overlapping concurrent edit: the current version and yours."),
               422: "Unknown `base_revision`, or a change of `kind`."})
def update_page(slug: str, body: schemas.PageUpdate):
    page = _readable(slug)
    if "kind" in body.model_fields_set and body.kind != page.kind:
        raise ValidationError({"kind": _("Le type d'une page ne change pas.")})
    return save_edit(page, body, _fields(body))


def save_edit(page: Page, body, fields: dict | None, *, themes: list | None = None, status: str | None = None):
    """PUT of a page, a sheet, an event or a call: merge from `base_revision`, or 409 with both versions."""
    user = api_user()
    sent = body.model_fields_set
    try:
        if body.base_revision > MAX_ID:  # larger numbers overflow the database driver
            raise NotFound()
        base = services.get_revision(user, page, body.base_revision)
    except NotFound:
        raise ValidationError({"base_revision": _("Cette version de départ n'existe pas.")}) from None
    try:
        result = services.update_page(
            page, author=user, base_revision=body.base_revision, title=_sent(body, "title", base.title),
            body=_sent(body, "body", base.body), visibility=body.visibility, group=group_from(body, default=...),
            themes=getattr(body, "themes", themes), fields=fields, summary=body.summary,
            status=getattr(body, "status", status), language=body.language)
    except services.EditConflict as conflict:
        return error_response(
            409, _("Quelqu'un a enregistré une modification incompatible entre-temps ; rien n'a été enregistré."),
            conflicts=conflict.fields_in_conflict, base_revision=body.base_revision,
            current=revision_json(page, conflict.current, with_html=False),
            yours=body.model_dump(mode="json", include=sent - {"base_revision"}, exclude_unset=True))
    except PermissionDenied as exc:
        return denied(exc)
    return jsonify({"slug": page.slug, "revision": result.revision.number, "merged": result.merged,
                    "changed": result.created_revision,
                    "url": url_for("pages.view", slug=page.slug, _external=True)})


def _sent(body, key: str, default):
    value = getattr(body, key)
    return default if value is None else value


@operation("POST", "/pages/<slug>/validation", tag="pages", writes=True,
           summary="Validate a published sheet (a contributor of the other side than its first author).",
           answers={200: (schemas.Validated, "Validated."),
                    403: "Not a published sheet, not a contributor, or the same side as its first author.",
                    404: PAGE_NOT_FOUND})
def validate_sheet(slug: str):
    """A contributor of the other side confirms the sheet reflects the shared project."""
    user = api_user()
    page = _readable(slug)
    try:
        services.validate_sheet(page, by=user)
    except PermissionDenied as exc:
        return denied(exc)
    return jsonify({"slug": page.slug, "status": page.status, "validated_by": user.name,
                    "validated_at": page.validated_at.isoformat()})


@operation("GET", "/pages/<slug>/revisions", tag="pages", summary="History of a page, newest first",
           description="Only the revisions the caller may read: a revision saved while the page was reserved "
                       "to a narrower audience stays reserved to it when the page is made more visible later.",
           answers={200: (schemas.RevisionList, "The revisions the caller may read."), 404: PAGE_NOT_FOUND})
def list_revisions(slug: str):
    page = _readable(slug)
    return jsonify({"slug": page.slug, "revisions": [
        {"revision": r.number, "title": r.title, "author": r.author.name if r.author else None,
         "side": r.author_side, "summary": r.summary, "base_revision": r.base_number,
         "created": r.created_at.isoformat()} for r in services.list_revisions(page, api_user())]})


@operation("GET", "/pages/<slug>/revisions/<int:number>", tag="pages", summary="Read a page at one revision",
           answers={200: (schemas.Page, "The page at that revision (visibility and group are the current ones)."),
                    404: "No such page or revision, or the caller may not read it (a revision saved while the "
                         "page had a narrower audience keeps that audience)."})
def get_revision(slug: str, number: int):
    page = _readable(slug)
    return jsonify(revision_json(page, services.get_revision(api_user(), page, number)))


SEARCH_FILTERS = {"kind": "kind", "theme": "themes", "region": "region", "side": "sides", "year": "years"}


@operation("GET", "/search", tag="search", summary="Full-text search over the pages the caller may read",
           description="Pages matching more of the words come first; quotes, `+mot` and `ET` make words "
                       "required. Filters narrow the results and `facets` counts them.",
           query=schemas.SearchQuery, answers={200: (schemas.SearchResult, "Matches with facets.")})
def search_pages(query: schemas.SearchQuery):
    filters = {field: value[:200] for arg, field in SEARCH_FILTERS.items() if (value := getattr(query, arg))}
    group_ids_by_slug = {g.slug: g.id for g in groups.list_groups()}
    if query.group:
        filters["group"] = str(group_ids_by_slug.get(query.group[:200], -1))
    result, pairs = search.search_readable(api_user(), query.q[:500], filters=filters, page=query.page, per_page=20,
                                           sort=query.sort, correct=query.exact != "1")
    slug_by_id = {str(v): k for k, v in group_ids_by_slug.items()}
    facets = {arg: result.facets.get(field, {}) for arg, field in SEARCH_FILTERS.items()}
    facets["group"] = {slug_by_id.get(k, k): n for k, n in result.facets.get("group", {}).items() if k}
    return jsonify({"total": result.total, "page": query.page, "complete": result.complete,
                    "suggestion": result.suggestion,
                    "corrected_from": result.corrected_from, "facets": facets,
                    "results": [{"slug": p.slug, "title": p.title, "kind": p.kind, "snippet": hit.snippet,
                                 "score": hit.score,
                                 "url": url_for("pages.view", slug=p.slug, _external=True)}
                                for p, hit in pairs]})
