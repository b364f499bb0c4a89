"""The OpenAPI document (filled in by api/openapi_spec.py)."""
from flask import jsonify

from .blueprint import bp
from .openapi_spec import SPEC


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)
