"""One line per request in the log, as JSON: method, route, status, duration and the kind of
reader. The route is the URL rule (`/p/<slug>`), never the address itself: slugs may name
partners, and some addresses carry tokens (invitations); no query string, no person."""
from __future__ import annotations

import json
import logging
import re
import sys
import time

from flask import Flask, g, request
from flask_login import current_user

logger = logging.getLogger("wiki.requests")


def _reader_kind() -> str:
    if request.endpoint in (None, "static"):
        return "-"
    if request.blueprint == "api":  # bearer tokens, not the session (see api.blueprint)
        user = g.get("api_user")
        return "api" if user is not None and user.is_authenticated else "visitor"
    try:
        return "member" if current_user.is_authenticated else "visitor"
    except Exception:  # noqa: BLE001  (the database does not answer: the line is still written)
        return "-"


def _start() -> None:
    g.request_started = time.perf_counter()


def _log(response):
    started = g.get("request_started")
    logger.info(json.dumps({
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else "-",
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "reader": _reader_kind(),
    }))
    return response


# Addresses that are secrets: an invitation, a member's personal feeds, an unsubscribe link.
SECRET_PATH = re.compile(r"/(invitation|flux|desabonnement)/(?!modifications\.atom)[^/\s?\"]+")


class HideSecretPaths(logging.Filter):
    """For the servers' own access lines (werkzeug's, behind `./dev serve`; gunicorn's when
    its access log is on), which write the address asked: its secret part becomes « … »."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = SECRET_PATH.sub(r"/\1/…", message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def init_app(app: Flask) -> None:
    """Call last: the first before_request hook and the last after_request one."""
    for name in ("werkzeug", "gunicorn.access"):
        access = logging.getLogger(name)
        if not any(isinstance(f, HideSecretPaths) for f in access.filters):
            access.addFilter(HideSecretPaths())
    if not logger.handlers:  # stderr, where gunicorn and systemd collect the app's output
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request_funcs.setdefault(None, []).insert(0, _log)
