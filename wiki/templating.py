"""Jinja globals and filters shared by every template."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask

from .auth.permissions import can
from .markup import render_markdown

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def format_datetime(moment: datetime | None, with_time: bool = True) -> str:
    """« 12 mars 2026, 14 h 05 » (UTC: the network spans two time zones)."""
    if moment is None:
        return ""
    moment = moment.astimezone(timezone.utc)
    text = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    return f"{text}, {moment.hour} h {moment.minute:02d}" if with_time else text


def format_size(size: int) -> str:
    return f"{size} o" if size < 1024 else f"{size / 1024:.0f} Ko"


def register(app: Flask) -> None:
    app.jinja_env.globals["can"] = can
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = lambda m: format_datetime(m, with_time=False)
    app.jinja_env.filters["size"] = format_size
