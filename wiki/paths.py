"""Where the templates, static files and migrations are: inside the package once installed
from a wheel (wiki/templates…), at the top of the checkout otherwise (see pyproject.toml)."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped(folder: str) -> Path:
    installed = PACKAGE / folder
    return installed if installed.is_dir() else PACKAGE.parent / folder


TEMPLATES, STATIC, MIGRATIONS = shipped("templates"), shipped("static"), shipped("migrations")
