"""The OpenAPI 3.1 document of the API, generated from the declared operations
(api/operations.py) and their pydantic models (api/schemas.py), with this server's limits."""
from __future__ import annotations

import re

from flask import current_app, jsonify
from pydantic.json_schema import models_json_schema

from ..models import MAX_ID
from . import schemas
from .operations import OPERATIONS, operation

SCHEMA_REF = "#/components/schemas/{model}"
READ_SECURITY = [{}, {"bearerAuth": []}]
WRITE_SECURITY = [{"bearerAuth": []}]
PATH_DESCRIPTIONS = {
    "slug": "Page slug (a former slug of a renamed page works too).",
    "name": "The file's name, as in `url` of the attachment list.",
    "number": "Revision number.",
    "event_id": "The event's id (`id` in GET /events).",
    "decision_id": "The decision's id (`id` in GET /events/{event_id}/decisions).",
    "call_id": "The call's id (`id` in GET /calls).",
    "photo_id": "The photo's id (in the `photos` of a news item).",
}
TAGS = [
    {"name": "pages", "description": "Pages, experience sheets and their revisions."},
    {"name": "search", "description": "Full-text search with facets."},
    {"name": "groups", "description": "Thematic groups."},
    {"name": "organisations", "description": "Directory of organisations (Nord and Sud)."},
    {"name": "changes", "description": "Recent changes, for programs that follow the wiki."},
    {"name": "agenda", "description": "Events (France's and Mali's hours), answers and decisions."},
    {"name": "funding", "description": "Calls for funding and who prepares an answer."},
    {"name": "news", "description": "News from the field, on sheets and group pages."},
    {"name": "meta", "description": "This description."},
]
# Answers every operation may give; wiki/security.py refuses hostile bytes before any route.
BAD_TOKEN = "The Authorization header carries an invalid or revoked token (or the token's account is disabled)."
NEED_TOKEN = "No token (writes need one), or an invalid or revoked token."
HOSTILE_INPUT = ("the path, a query parameter or a JSON text holds a NUL byte, another control character (tab, "
                 "LF and CR are accepted in JSON texts), a bidi override (U+202A-U+202E, U+2066-U+2069) or "
                 "invalid UTF-8.")
HOSTILE_FIELD = ("a JSON text (named in `fields`, e.g. `fields.context` or `themes.0`) holds a NUL byte, another "
                 "control character, a bidi override or a lone surrogate.")
BAD_QUERY = "A query parameter is not of its type or out of its bounds."
NOT_JSON = "The body is not a JSON object (send Content-Type: application/json)."
INVALID = "Invalid data; `fields` maps each offending key to a message."


@operation("GET", "/openapi.json", tag="meta", summary="This document",
           answers={200: ({"type": "object"}, "OpenAPI 3.1 document.")})
def openapi():
    document = current_app.extensions.get("passerelle.openapi")
    if document is None:  # built once per application, with its configuration
        document = current_app.extensions["passerelle.openapi"] = build_document(current_app.config)
    return jsonify(document)


def build_document(config) -> dict:
    models = {schemas.Error, schemas.AttachmentUpload}
    for op in OPERATIONS:
        models.update(m for m in (op.body, op.upload) if m is not None)
        models.update(a[0] for a in op.answers.values() if isinstance(a, tuple) and isinstance(a[0], type))
    _refs, components = models_json_schema([(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
                                           ref_template=SCHEMA_REF)
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", op.rule)
        paths.setdefault(path, {})[op.method] = _operation(op, config)
    return _apply_settings({
        "openapi": "3.1.0",
        "info": {
            "title": "Passerelle API",
            "version": "1",
            "description": (
                "JSON API of the Passerelle wiki. Authenticate with `Authorization: Bearer TOKEN`; tokens come "
                "from `flask --app wiki token create EMAIL` or the \"Jetons d'API\" page. Anonymous calls see "
                "only public pages; every write needs a token. An invalid or revoked token is refused (401) on "
                "every route, even reads. Errors are JSON `{error, message}`, sometimes with extra keys. "
                "Answers carry `Cache-Control: no-store`."),
        },
        "servers": [{"url": "/api/v1"}],
        "tags": TAGS,
        "security": READ_SECURITY,
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "API token from `flask --app wiki token create EMAIL` or the \"Jetons d'API\" "
                               "page of the web interface."}},
            "schemas": _without_titles(components.get("$defs", {})),
        },
    }, config)


def _operation(op, config) -> dict:
    parameters = [{"name": name, "in": "path", "required": True,
                   "description": op.path_descriptions.get(name, PATH_DESCRIPTIONS.get(name, name)),
                   "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID} if kind == "int" else {"type": "string"}}
                  for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", op.rule)]
    if op.query is not None:
        parameters += _query_parameters(op.query)
    answers = {status: _answer(model, _with_settings(text, config))
               for status, (model, text) in sorted((s, a if isinstance(a, tuple) else (schemas.Error, a))
                                                   for s, a in op.answers.items())}
    _add_common_answers(op, answers, config)
    document = {"tags": [op.tag], "operationId": op.operation_id, "summary": op.summary,
                "security": WRITE_SECURITY if op.writes else READ_SECURITY,
                "responses": {str(status): answers[status] for status in sorted(answers)}}
    if op.description:
        document["description"] = _with_settings(op.description, config)
    if parameters:
        document["parameters"] = parameters
    if op.body is not None:
        document["requestBody"] = {"required": op.body_required,
                                   "content": {"application/json": {"schema": _ref(op.body)}}}
    if op.upload is not None:
        content = document.get("requestBody", {}).get("content", {})
        document["requestBody"] = {"required": True,
                                   "content": {**content, "multipart/form-data": {"schema": _ref(op.upload)}}}
    return document


def _add_common_answers(op, answers: dict, config) -> None:
    """What the blueprint and wiki/security.py answer before the view runs."""
    def error(status: int, text: str) -> None:
        if status in answers:
            text = f"{answers[status]['description'].rstrip('.')}; or: {text[0].lower()}{text[1:]}"
        answers[status] = _answer(schemas.Error, text)

    answers.setdefault(401, _answer(schemas.Error, NEED_TOKEN if op.writes else BAD_TOKEN))
    if op.query is not None:
        error(400, BAD_QUERY)
    if op.body is not None:
        error(400, NOT_JSON)
        error(422, INVALID)
        error(422, HOSTILE_FIELD)
        answers.setdefault(413, _answer(schemas.Error, f"The request body exceeds "
                                                       f"{config['MAX_CONTENT_LENGTH']} bytes."))
    error(400, HOSTILE_INPUT)


def _answer(model, description: str) -> dict:
    """`model`: a pydantic model, a JSON schema, or None for an answer that is not JSON."""
    answer = {"description": description}
    if model is not None:
        answer["content"] = {"application/json": {"schema": model if isinstance(model, dict) else _ref(model)}}
    return answer


def _with_settings(text: str, config) -> str:
    """`{ATTACHMENT_MAX_BYTES}` in a description → the configured value."""
    return re.sub(r"\{([A-Z_]+)\}", lambda m: str(config[m.group(1)]), text)


def _ref(model) -> dict:
    return {"$ref": SCHEMA_REF.format(model=model.__name__)}


def _query_parameters(model) -> list[dict]:
    properties = model.model_json_schema(ref_template=SCHEMA_REF)["properties"]
    parameters = []
    for name, schema in properties.items():
        schema = _without_titles(schema)
        description = schema.pop("description", None)
        # An optional parameter is absent rather than null.
        options = [s for s in schema.pop("anyOf", []) if s != {"type": "null"}]
        if len(options) == 1:
            schema.update(options[0])
        if schema.get("default") is None:
            schema.pop("default", None)
        parameters.append({"name": name, "in": "query", "required": False, "description": description,
                           "schema": schema})
    return parameters


def _without_titles(value):
    """pydantic names every property again in `title`: noise in a document that names them."""
    if isinstance(value, dict):
        return {k: _without_titles(v) for k, v in value.items()
                if not (k == "title" and isinstance(v, str))}
    if isinstance(value, list):
        return [_without_titles(v) for v in value]
    return value


def _apply_settings(value, config):
    """`x-settings` (schemas.Setting) → the configured bound."""
    if isinstance(value, dict):
        settings = value.get("x-settings", {})
        value = {k: _apply_settings(v, config) for k, v in value.items() if k != "x-settings"}
        value.update({keyword: int(config[key]) for keyword, key in settings.items()})
    elif isinstance(value, list):
        value = [_apply_settings(v, config) for v in value]
    return value
