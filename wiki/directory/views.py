"""The directory of actors (organisations, Nord and Sud)."""
from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/annuaire")
