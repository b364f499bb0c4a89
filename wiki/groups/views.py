"""Thematic groups: list, home page, membership."""
from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groupes")
