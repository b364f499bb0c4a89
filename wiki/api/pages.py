"""API: pages, revisions and search."""
import re

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _

from .. import search
from ..policy import PermissionDenied
from ..errors import NotFound, ValidationError, error_response
from ..groups import services as groups
from ..pages import services
from ..pages.models import Page, Revision
from ..sheets.fields import YEAR_FIELDS
from .blueprint import bp
from .common import api_user, int_arg, json_body, require_member

PAGE_KEYS = ("title", "kind", "visibility", "group", "themes", "fields", "body", "summary", "status", "language")
YEAR_TEXT = re.compile(r"[0-9]{1,4}")


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


def _group_from(body: dict, default=None):
    if "group" not in body:
        return default
    slug = body["group"]
    if slug in (None, ""):
        return None
    group = groups.find_group(slug) if isinstance(slug, str) else None
    if group is None:
        message = _("Groupe inconnu.")
        abort(error_response(422, message, fields={"group": message}))
    return group


def _check_types(body: dict) -> None:
    unknown = set(body) - set(PAGE_KEYS) - {"base_revision"}
    if unknown:
        raise ValidationError({k[:50]: _("Clé inconnue.") for k in sorted(unknown)})
    for key in ("title", "kind", "visibility", "body", "summary", "status", "language"):
        if key in body and not isinstance(body[key], str):
            raise ValidationError({key: _("Un texte est attendu.")})
    fields = body.get("fields")
    for key in YEAR_FIELDS if isinstance(fields, dict) else ():
        # "²".isdigit() is true but int("²") fails, and int() refuses over 4300 digits:
        # a year given as text is up to 4 ASCII digits before the sheet rules see it.
        value = fields.get(key)
        if isinstance(value, str) and value.strip() and not YEAR_TEXT.fullmatch(value.strip()):
            raise ValidationError({f"fields.{key}": _("Une année entre 1900 et 2100 est attendue.")})


def _base_revision(body: dict) -> int:
    number = body.get("base_revision")
    if not isinstance(number, int) or isinstance(number, bool):
        raise ValidationError({"base_revision": _("Le numéro de la version de départ (entier) est obligatoire.")})
    if not 1 <= number <= services.MAX_ID:  # larger numbers overflow the database driver
        raise ValidationError({"base_revision": _("Cette version de départ n'existe pas.")})
    return number


def _readable(slug: str) -> Page:
    page, _by_alias = services.get_readable_page(api_user(), slug)
    return page


def _denied(exc: PermissionDenied):
    return error_response(403, str(exc) or None)


@bp.get("/pages")
def list_pages():
    group = groups.find_group(_arg("group")) if _arg("group") else None
    if _arg("group") and group is None:
        return jsonify({"total": 0, "pages": []})
    limit = int_arg("limit", 50, 1, 200)
    offset = int_arg("offset", 0, 0, 1_000_000)
    items, total = services.list_pages(api_user(), kind=_arg("kind"), group_id=group.id if group else None,
                                       theme=_arg("theme"), limit=limit, offset=offset)
    return jsonify({"total": total, "pages": [
        {"slug": p.slug, "title": p.title, "kind": p.kind, "visibility": p.visibility,
         "group": p.group.slug if p.group else None, "themes": list(p.themes or []),
         "revision": p.current.number, "updated": p.updated_at.isoformat(),
         "url": url_for("pages.view", slug=p.slug, _external=True)} for p in items]})


def _arg(name: str) -> str | None:
    value = request.args.get(name, "")[:200]
    return value or None


@bp.post("/pages")
def create_page():
    user = require_member()
    body = json_body()
    try:
        _check_types(body)
        page = services.create_page(
            author=user, title=body.get("title", ""), body=body.get("body", ""),
            kind=body.get("kind", "page"), visibility=body.get("visibility", "membres"),
            group=_group_from(body), themes=body.get("themes") or [], fields=body.get("fields"),
            summary=body.get("summary", ""), status=body.get("status"), language=body.get("language", "fr"))
    except services.PageExists as exc:
        return error_response(409, str(exc), slug=exc.page.slug)
    except PermissionDenied as exc:
        return _denied(exc)
    return jsonify({"slug": page.slug, "revision": page.current.number,
                    "url": url_for("pages.view", slug=page.slug, _external=True)}), 201


@bp.get("/pages/<slug>")
def get_page(slug: str):
    page = _readable(slug)
    return jsonify(revision_json(page, page.current))


@bp.put("/pages/<slug>")
def update_page(slug: str):
    user = require_member()
    page = _readable(slug)
    body = json_body()
    _check_types(body)
    base_number = _base_revision(body)
    try:
        base = services.get_revision(user, page, base_number)
    except NotFound:
        raise ValidationError({"base_revision": _("Cette version de départ n'existe pas.")}) from None
    if "kind" in body and body["kind"] != page.kind:
        raise ValidationError({"kind": _("Le type d'une page ne change pas.")})
    try:
        result = services.update_page(
            page, author=user, base_revision=base_number, title=body.get("title", base.title),
            body=body.get("body", base.body), visibility=body.get("visibility"),
            group=_group_from(body, default=...), themes=body.get("themes"), fields=body.get("fields"),
            summary=body.get("summary", ""), status=body.get("status"), language=body.get("language"))
    except services.EditConflict as conflict:
        return error_response(
            409, _("Quelqu'un a enregistré une modification incompatible entre-temps ; rien n'a été enregistré."),
            conflicts=conflict.fields_in_conflict, base_revision=base_number,
            current=revision_json(page, conflict.current, with_html=False),
            yours={key: body[key] for key in PAGE_KEYS if key in body})
    except PermissionDenied as exc:
        return _denied(exc)
    return jsonify({"slug": page.slug, "revision": result.revision.number, "merged": result.merged,
                    "changed": result.created_revision,
                    "url": url_for("pages.view", slug=page.slug, _external=True)})


@bp.post("/pages/<slug>/validation")
def validate_sheet(slug: str):
    """A contributor of the other side confirms the sheet reflects the shared project."""
    user = require_member()
    page = _readable(slug)
    try:
        services.validate_sheet(page, by=user)
    except PermissionDenied as exc:
        return _denied(exc)
    return jsonify({"slug": page.slug, "status": page.status, "validated_by": user.name,
                    "validated_at": page.validated_at.isoformat()})


@bp.get("/pages/<slug>/revisions")
def list_revisions(slug: str):
    page = _readable(slug)
    return jsonify({"slug": page.slug, "revisions": [
        {"revision": r.number, "title": r.title, "author": r.author.name if r.author else None,
         "side": r.author_side, "summary": r.summary, "base_revision": r.base_number,
         "created": r.created_at.isoformat()} for r in services.list_revisions(page, api_user())]})


@bp.get("/pages/<slug>/revisions/<int:number>")
def get_revision(slug: str, number: int):
    page = _readable(slug)
    return jsonify(revision_json(page, services.get_revision(api_user(), page, number)))


SEARCH_FILTERS = {"kind": "kind", "theme": "themes", "region": "region", "side": "sides", "year": "years"}


@bp.get("/search")
def search_pages():
    filters = {field: _arg(arg) for arg, field in SEARCH_FILTERS.items() if _arg(arg)}
    group_ids_by_slug = {g.slug: g.id for g in groups.list_groups()}
    if _arg("group"):
        filters["group"] = str(group_ids_by_slug.get(_arg("group"), -1))
    page = int_arg("page", 1, 1, 1000)
    sort = "date" if request.args.get("sort") == "date" else "relevance"
    result, pairs = search.search_readable(api_user(), _arg_long("q"), filters=filters, page=page, per_page=20,
                                           sort=sort, correct=request.args.get("exact") != "1")
    slug_by_id = {str(v): k for k, v in group_ids_by_slug.items()}
    facets = {arg: result.facets.get(field, {}) for arg, field in SEARCH_FILTERS.items()}
    facets["group"] = {slug_by_id.get(k, k): n for k, n in result.facets.get("group", {}).items() if k}
    return jsonify({"total": result.total, "page": page, "complete": result.complete,
                    "suggestion": result.suggestion,
                    "corrected_from": result.corrected_from, "facets": facets,
                    "results": [{"slug": p.slug, "title": p.title, "kind": p.kind, "snippet": hit.snippet,
                                 "score": hit.score,
                                 "url": url_for("pages.view", slug=p.slug, _external=True)}
                                for p, hit in pairs]})


def _arg_long(name: str) -> str:
    return request.args.get(name, "")[:500]
