"""API: calls for funding (pages of kind `appel`) and « nous préparons une réponse »."""
from __future__ import annotations

from flask import jsonify, url_for

from ..errors import error_response
from ..funding import services as funding
from ..models import utcnow
from ..pages import services as pages
from ..pages.models import Kind
from ..policy import PermissionDenied
from . import schemas
from .common import api_user
from .operations import operation
from .pages import denied, group_from, save_edit

NO_CALL = "No such call, or the caller may not read it (both answer the same)."


def _summary(call: funding.Call) -> dict:
    page = call.page
    return {"id": page.id, "slug": page.slug, "title": page.title, "visibility": page.visibility,
            "group": page.group.slug if page.group else None, "themes": list(page.themes or []),
            "funder": call.fields.get("funder", ""), "closes_on": call.closes_on.isoformat(),
            "open": call.is_open(utcnow().date()), "url": url_for("pages.view", slug=page.slug, _external=True)}


def _call_json(page) -> dict:
    call = funding.call_of(page)
    reader = api_user()
    count, people = funding.preparing(reader, page)
    funder = call.fields.get("funder")
    return {**_summary(call), "fields": call.fields, "body": page.current.body, "revision": page.current.number,
            "preparing": count,
            "preparers": None if people is None else [
                {"name": u.name, "side": u.side, "organisation": u.organisation.name if u.organisation else None}
                for u in people],
            "funded_sheets": [p.slug for p in funding.sheets_funded_by(reader, funder)] if funder else []}


def _fields(body) -> dict | None:
    return body.fields.model_dump(exclude_none=True) if body.fields is not None else None


@operation("GET", "/calls", tag="funding", summary="List the calls for funding the caller may read",
           query=schemas.CallQuery, answers={200: (schemas.CallList, "Readable calls.")})
def list_calls(query: schemas.CallQuery):
    filters = funding.Filters(theme=query.theme, region=query.region, eligibility=query.eligibility,
                              funder=query.funder)
    listing = funding.closed_calls if query.closed else funding.open_calls
    return jsonify({"calls": [_summary(c) for c in listing(api_user(), utcnow().date(), filters)]})


@operation("POST", "/calls", tag="funding", summary="Add a call for funding (contributors)", writes=True,
           body=schemas.CallCreate, answers={
               201: (schemas.Created, "Created."),
               403: "Role below contributor, `public` without being coordinator, or a group the caller is not in.",
               409: "A page the caller can read already has this title's address; `slug` names it."})
def create_call(body: schemas.CallCreate):
    try:
        page = pages.create_page(author=api_user(), title=body.title, body=body.body, kind=Kind.APPEL,
                                 visibility=body.visibility, group=group_from(body), themes=body.themes,
                                 fields=_fields(body), summary=body.summary, language=body.language)
    except pages.PageExists as exc:
        return error_response(409, str(exc), slug=exc.page.slug)
    except PermissionDenied as exc:
        return denied(exc)
    return jsonify({"id": page.id, "slug": page.slug, "revision": page.current.number,
                    "url": url_for("pages.view", slug=page.slug, _external=True)}), 201


@operation("GET", "/calls/<int:call_id>", tag="funding", summary="Read a call, who prepares an answer, and "
           "the sheets its funder supported", answers={200: (schemas.Call, "The call."), 404: NO_CALL})
def get_call(call_id: int):
    return jsonify(_call_json(funding.readable_call(api_user(), call_id)))


@operation("PUT", "/calls/<int:call_id>", tag="funding", summary="Edit a call from a base revision", writes=True,
           body=schemas.CallUpdate, answers={
               200: (schemas.PageSaved, "Saved (or nothing to change)."),
               403: "Role below contributor, `public` without being coordinator, or a group the caller is not in.",
               404: NO_CALL, 409: (schemas.Conflict, "Overlapping concurrent edit."),
               422: "Invalid fields or unknown `base_revision`."})
def update_call(call_id: int, body: schemas.CallUpdate):
    page = funding.readable_call(api_user(), call_id)
    return save_edit(page, body, _fields(body))


@operation("POST", "/calls/<int:call_id>/interest", tag="funding", writes=True, body=schemas.Interest,
           body_required=False, summary="Say that the caller's structure prepares an answer (or no longer does)",
           answers={200: (schemas.InterestState, "Recorded."), 404: NO_CALL})
def prepare_answer(call_id: int, body: schemas.Interest):
    page = funding.readable_call(api_user(), call_id)
    try:
        funding.set_preparing(api_user(), page, body.preparing)
    except PermissionDenied as exc:
        return denied(exc)
    count, _people = funding.preparing(api_user(), page)
    return jsonify({"preparing": body.preparing, "count": count})
