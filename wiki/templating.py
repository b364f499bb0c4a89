"""Jinja globals and filters shared by every template."""
from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache

from flask import Flask, current_app, request, url_for
import flask_babel as babel_dates
from flask_babel import gettext as _
from flask_login import current_user

from . import policy
from .attachments.links import files_url
from .i18n import language
from .markup import is_unrendered, render_markdown

# French writes hours as « 14 h 05 »; other languages take Babel's short time.
TIME_PATTERNS = {"fr": "H 'h' mm"}


def format_datetime(moment: datetime | date | None, with_time: bool = True) -> str:
    """« 12 mars 2026, 14 h 05 », « March 12, 2026, 2:05 PM »… in the reader's language (UTC:
    the network spans two time zones). A date (a deadline) is shown as it is."""
    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        return babel_dates.format_date(moment, "long")
    moment = moment.astimezone(timezone.utc)
    text = babel_dates.format_date(moment, "long")
    if not with_time:
        return text
    return f"{text}, {babel_dates.format_time(moment, TIME_PATTERNS.get(language(), 'short'))}"


def format_wall_clock(moment: datetime, with_day: bool = True) -> str:
    """An aware time in its own zone (an event in France's and Mali's hours): « samedi 27 mars
    2027, 10 h 00 », or the hour alone."""
    hour = babel_dates.format_time(moment, TIME_PATTERNS.get(language(), "short"), rebase=False)
    return f"{babel_dates.format_date(moment.date(), 'full')}, {hour}" if with_day else hour


def format_size(size: int) -> str:
    if size < 1024:
        return _("%(size)d o", size=size)
    return _("%(size).0f Ko", size=size / 1024)


# Sheet sections are rendered on every view: the same texts (immutable revisions) come back
# again and again. Rendering is a pure function of the text, so each process keeps the
# latest results (a few MB at most); long texts are rendered each time.
CACHED_TEXT_MAX = 20_000
_cached_markdown = lru_cache(maxsize=4096)(render_markdown)


def markdown_filter(text, page=None) -> str:
    """`text|markdown(page)`: with the page, `fichier:NAME` shows its attachments."""
    text, base = text or "", files_url(page) if page is not None else None
    return _cached_markdown(text, base) if len(text) <= CACHED_TEXT_MAX else render_markdown(text, base)


# The header's addresses are the same on every page of a process (fixed routes; only the
# mount point could differ): built once instead of ~10 url_for per page.
_SITE_LINKS = {"home": ("pages.home", {}), "sheets": ("pages.index", {"type": "fiche"}),
               "lessons": ("sheets.lessons", {}), "groups": ("groups.index", {}),
               "directory": ("directory.index", {}), "pages": ("pages.index", {}),
               "agenda": ("agenda.index", {}), "calls": ("funding.index", {}), "news": ("news.index", {}),
               "map": ("news.map", {}),
               "changes": ("activity.changes", {}), "my_feed": ("activity.my_feed", {}),
               "search": ("search.results", {}), "contributions": ("auth.contributions", {}),
               "admin": ("admin.index", {}), "logout": ("auth.logout", {})}


def site_links() -> dict[str, str]:
    built = current_app.extensions.setdefault("wiki_site_links", {})  # per app: tests make many
    links = built.get(request.script_root)
    if links is None:
        links = built[request.script_root] = {name: url_for(endpoint, **values)
                                              for name, (endpoint, values) in _SITE_LINKS.items()}
    return links


def may(action: str, obj=None) -> bool:
    """`may('edit', page)` in templates: what the current reader may do (wiki/policy.py)."""
    return policy.may(current_user, action, obj)


def register(app: Flask) -> None:
    app.jinja_env.globals["site_links"] = site_links
    app.jinja_env.globals["may"] = may
    app.jinja_env.filters["markdown"] = markdown_filter
    app.jinja_env.tests["unrendered"] = is_unrendered
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = lambda m: format_datetime(m, with_time=False)
    app.jinja_env.filters["size"] = format_size
    app.jinja_env.filters["wall_clock"] = format_wall_clock
    app.jinja_env.filters["amount"] = lambda value, currency: babel_dates.format_currency(
        value, currency, "#,##0 ¤", currency_digits=False)  # whole amounts: « 15 000 € », « 5 000 000 F CFA »
    app.jinja_env.filters["number"] = babel_dates.format_number  # « 1 234 », "1,234": the reader's language
