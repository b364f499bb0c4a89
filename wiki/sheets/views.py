"""Experience sheets: create and edit forms, validation, lessons across sheets."""
from flask import Blueprint

bp = Blueprint("sheets", __name__)
