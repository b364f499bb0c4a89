"""The API's routes, declared once: `@operation` registers the view on the blueprint, checks
the token for writes, validates the query string and the JSON body with their pydantic models
(api/schemas.py) and records all of it for the OpenAPI document (api/openapi.py)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pydantic
from flask import abort, request
from flask_babel import gettext as _, lazy_gettext as _l

from ..errors import ValidationError, error_response
from .blueprint import bp
from .common import require_member
from .schemas import Query, Request


@dataclass
class Operation:
    method: str
    rule: str
    operation_id: str
    tag: str
    summary: str
    description: str | None
    writes: bool  # needs a token (401 without)
    query: type[Query] | None
    body: type[Request] | None
    body_required: bool
    upload: type[pydantic.BaseModel] | None  # multipart/form-data
    answers: dict[int, str | tuple[type[pydantic.BaseModel] | None, str]]
    path_descriptions: dict[str, str] = field(default_factory=dict)


OPERATIONS: list[Operation] = []


def operation(method: str, rule: str, *, tag: str, summary: str, answers: dict, description: str | None = None,
              writes: bool = False, query: type[Query] | None = None, body: type[Request] | None = None,
              body_required: bool = True, upload: type[pydantic.BaseModel] | None = None,
              path: dict[str, str] | None = None):
    """`answers`: status → description (an Error answer) or (model or None, description). The
    view receives `query=` and `body=` (validated models) when they are declared."""

    def register(view):
        @functools.wraps(view)
        def run(**kwargs):
            if writes:
                require_member()
            if query is not None:
                kwargs["query"] = _parse_query(query)
            if body is not None:
                kwargs["body"] = _parse_body(body, body_required, form=upload is not None)
            return view(**kwargs)

        bp.add_url_rule(rule, view.__name__, run, methods=[method])
        OPERATIONS.append(Operation(method.lower(), rule, _camel(view.__name__), tag, summary, description, writes,
                                    query, body, body_required, upload, answers, path or {}))
        return run

    return register


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


NOT_JSON = _l("Un objet JSON est attendu (Content-Type: application/json).")


def _parse_body(model: type[Request], required: bool, form: bool = False) -> Request:
    """The JSON body; or, for an operation that also takes uploads, its form fields."""
    if form and request.mimetype == "multipart/form-data":
        body = {key: value for key, value in request.form.items()}
    else:
        body = request.get_json(silent=True)
    if body is None and not required and not request.get_data():
        body = {}
    if not isinstance(body, dict):
        abort(error_response(400, str(NOT_JSON)))
    try:
        return model.model_validate(body)
    except pydantic.ValidationError as exc:
        raise ValidationError(field_errors(exc, model)) from None


def _parse_query(model: type[Query]) -> Query:
    try:
        return model.model_validate(request.args.to_dict())
    except pydantic.ValidationError as exc:
        name, message = next(iter(field_errors(exc, model).items()))
        abort(error_response(400, _("Le paramètre « %(name)s » est invalide : %(reason)s", name=name,
                                    reason=message)))


def field_errors(exc: pydantic.ValidationError, model: type[pydantic.BaseModel]) -> dict[str, str]:
    """Offending key (`title`, `fields.region`, `themes.0`) → its message in the reader's language."""
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        errors.setdefault(_key(error["loc"], error["type"], model)[:100], _message(error))
    return errors


def _key(loc: tuple, kind: str, model: type[pydantic.BaseModel]) -> str:
    """The error's place without pydantic's names for the members of a union (`str`, `none`…)."""
    parts, current = [], model
    for part in loc:
        if kind == "extra_forbidden" or isinstance(part, int):
            parts.append(str(part))
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            break
        parts.append(part)
        current = _model_of(fields[part].annotation)
    return ".".join(parts) or "body"


def _model_of(annotation) -> type[pydantic.BaseModel] | None:
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    return next((c for c in candidates if isinstance(c, type) and issubclass(c, pydantic.BaseModel)), None)


MESSAGES = {
    "missing": _l("Ce champ est obligatoire."),
    "extra_forbidden": _l("Clé inconnue."),
    "string_type": _l("Un texte est attendu."),
    "int_type": _l("Un nombre entier est attendu."),
    "int_parsing": _l("Un nombre entier est attendu."),
    "int_from_float": _l("Un nombre entier est attendu."),
    "bool_type": _l("Vrai ou faux (true / false) est attendu."),
    "bool_parsing": _l("Vrai ou faux (true / false) est attendu."),
    "list_type": _l("Une liste est attendue."),
    "dict_type": _l("Un objet JSON est attendu."),
    "model_type": _l("Un objet JSON est attendu."),
    "literal_error": _l("Cette valeur n'est pas reconnue."),
    "year": _l("Une année entre 1900 et 2100 est attendue."),
}


def _message(error: dict) -> str:
    kind, limits = error["type"], error.get("ctx") or {}
    if kind == "string_too_long":
        return _("Au plus %(max)d caractères.", max=limits["max_length"])
    if kind == "too_long":
        return _("Au plus %(max)d éléments.", max=limits["max_length"])
    if kind in ("greater_than_equal", "greater_than"):
        return _("Au moins %(limit)s.", limit=limits.get("ge", limits.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("Au plus %(limit)s.", limit=limits.get("le", limits.get("lt")))
    return str(MESSAGES.get(kind, _l("Valeur invalide.")))
