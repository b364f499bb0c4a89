"""The web surface: security headers on every response, and one check of every request's
bytes before any view, form or JSON parser sees them.

Why here and not in each view: a NUL byte, invalid UTF-8 or a bidi override can arrive in
the path, the query string, a form or a JSON body of any route; some reach SQLite or Whoosh
and give a 500, others hide text from a reader (U+202E reverses what follows). One hook
refuses them all with a 400 in the reader's language (422 for a JSON field, naming it)."""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, current_app, g, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as RouteNotFound

from .errors import error_response, wants_json

CONTENT_SECURITY_POLICY = ("default-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

# C0 controls but tab, LF, CR; DEL and C1 controls; bidi embeddings, overrides and isolates;
# lone surrogates (only JSON \ud800 escapes can produce them; UTF-8 encoding fails on them).
_TEXT_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Paths, query strings, field names and file names are one line: no tab or newline either.
_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

MAX_QUERY_STRING = 16384  # gunicorn already refuses request lines over 4094 bytes
MAX_JSON_DEPTH = 32
MAX_ROUTE_INT = 2 ** 63  # SQLite and PostgreSQL bigint

# Never cached, even for anonymous visitors: login and invitation pages (tokens in forms and
# addresses), coordination, the API.
PRIVATE_BLUEPRINTS = {"auth", "admin", "audit", "api"}

# Where a refused character was found: lazy, translated only when a message is written.
PATH = _l("L'adresse demandée")
QUERY = _l("Un paramètre de l'adresse")
FORM = _l("Le formulaire envoyé")
FILE_NAME = _l("Le nom du fichier envoyé")
JSON_BODY = _l("Le corps JSON")
JSON_KEY = _l("Un nom de champ")

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class HostileInput(Exception):
    """A request carrying bytes no route accepts; `field` names the JSON key when known."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def describe(char: str) -> str:
    """What a rejected character is, for the message."""
    code = ord(char)
    if code == 0:
        return _("un octet nul")
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return _("un caractère de contrôle de direction du texte (U+%(code)04X)", code=code)
    if 0xD800 <= code <= 0xDFFF:
        return _("un demi-caractère UTF-16 isolé (U+%(code)04X)", code=code)
    return _("un caractère de contrôle (U+%(code)04X)", code=code)


def check_text(value: str, where, *, multiline: bool = True, field: str | None = None) -> None:
    """Raise HostileInput when `value` holds a forbidden character; `where` (often lazy) names the place."""
    match = (_TEXT_FORBIDDEN if multiline else _LINE_FORBIDDEN).search(value)
    if match:
        raise HostileInput(_("%(where)s contient %(what)s, qui n'est pas accepté.", where=where,
                             what=describe(match.group())), field)


def _not_utf8(where) -> HostileInput:
    return HostileInput(_("%(where)s n'est pas du texte UTF-8 valide.", where=where))


def _utf8(raw: bytes, where) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_utf8(where) from None


def _form_field(key: str):
    """« Le champ « title » du formulaire » (lazy: most fields are fine)."""
    return _l("Le champ « %(key)s » du formulaire", key=key[:50])


def _query_field(key: str):
    """« Le paramètre « q » de l'adresse »."""
    return _l("Le paramètre « %(key)s » de l'adresse", key=key[:50])


def _check_urlencoded(raw: str, where, field_label, *, multiline: bool) -> None:
    """Decode percent-escapes strictly (Werkzeug would silently keep invalid UTF-8 as « %FF »)."""
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise _not_utf8(where) from None
    for key, value in pairs:
        check_text(key, where, multiline=False)
        check_text(value, field_label(key), multiline=multiline)


def check_path() -> None:
    # PATH_INFO is the raw bytes of the path as latin-1 (PEP 3333), after %-decoding.
    raw = request.environ.get("PATH_INFO", "").encode("latin-1", "replace")
    path = _utf8(raw, PATH)
    if "\ufffd" in path:  # some clients and proxies already replaced an invalid byte
        raise _not_utf8(PATH)
    check_text(path, PATH, multiline=False)


def check_query_string() -> None:
    raw = request.environ.get("QUERY_STRING", "")
    if len(raw) > MAX_QUERY_STRING:
        raise HostileInput(_("Les paramètres de l'adresse dépassent %(max)d caractères.", max=MAX_QUERY_STRING))
    _check_urlencoded(_utf8(raw.encode("latin-1", "replace"), QUERY), QUERY, _query_field, multiline=False)


def check_form() -> None:
    if request.mimetype == "application/x-www-form-urlencoded":
        # Reading the body here caches it: Werkzeug parses request.form from the cache.
        _check_urlencoded(_utf8(request.get_data(cache=True), FORM), FORM, _form_field, multiline=True)
        return
    # multipart: Werkzeug decodes text parts with "replace", so U+FFFD betrays invalid UTF-8.
    for key, value in request.form.items(multi=True):
        key = key or ""  # a part without a name has the key None
        check_text(key, FORM, multiline=False)
        if "\ufffd" in value:
            raise _not_utf8(_form_field(key))
        check_text(value, _form_field(key), multiline=True)
    for key, storage in request.files.items(multi=True):
        check_text(key or "", FORM, multiline=False)
        check_text(storage.filename or "", FILE_NAME, multiline=False)


def check_json() -> None:
    raw = request.get_data(cache=True)
    if not raw:
        return
    text = _utf8(raw, JSON_BODY)
    try:
        body = json.loads(text)
    except RecursionError:
        raise HostileInput(_("Le corps JSON est trop imbriqué.")) from None
    except ValueError:
        return  # not JSON at all: the route answers its own 400
    # Walk iteratively: the depth of the document is the sender's choice.
    stack: list[tuple[str, object, int]] = [("", body, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise HostileInput(_("Le corps JSON dépasse %(max)d niveaux d'imbrication.", max=MAX_JSON_DEPTH),
                               path[:100] or None)
        if isinstance(value, str):
            where = _l("Le champ « %(key)s »", key=path[:100]) if path else JSON_BODY
            check_text(value, where, field=path[:100] or None)
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else key
                check_text(key, JSON_KEY, multiline=False, field=name[:50])
                stack.append((name, item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item, depth + 1) for i, item in enumerate(value))


def check_route_numbers() -> None:
    """`<int:...>` URL parts beyond 64 bits name nothing, and overflow the database driver."""
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not -MAX_ROUTE_INT <= value < MAX_ROUTE_INT:
            raise RouteNotFound()


def check_request() -> None:
    """Every part of the request a route may read, before the route (and CSRF) reads it."""
    check_path()
    check_route_numbers()
    check_query_string()
    if request.mimetype in FORM_TYPES:
        check_form()
    elif request.is_json:
        check_json()


def refuse_hostile_input():
    try:
        check_request()
    except HostileInput as exc:
        if exc.field is not None and wants_json():
            return error_response(422, exc.message, fields={exc.field: exc.message})
        return error_response(400, exc.message)
    except HTTPException:
        raise  # 413 from reading an oversized body: the error handlers answer it
    return None


def _is_cacheable(response) -> bool:
    """Only what anyone may see: static files, and public pages answered to anonymous visitors
    without a form token or a cookie. Everything else is no-store (shared computers, proxies)."""
    if request.endpoint == "static":
        return True
    if request.method not in ("GET", "HEAD") or response.status_code != 200 \
            or request.blueprint in PRIVATE_BLUEPRINTS or request.path.startswith("/api/"):
        return False
    if "Set-Cookie" in response.headers or "csrf_token" in g:
        return False
    try:
        return not current_user.is_authenticated
    except Exception:  # noqa: BLE001  (a broken session or database: do not cache)
        return False


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)  # a route may set a stricter one (attachments: sandbox)
    if current_app.config["HTTPS"]:  # browsers then refuse plain HTTP to this site for a year
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if _is_cacheable(response):
        response.vary.add("Cookie")  # a logged-in visitor never gets the anonymous copy
        if request.endpoint != "static" and "Cache-Control" not in response.headers:
            # Stored, but checked again on each visit: a page a coordinator makes private
            # must vanish from caches at once.
            response.headers["Cache-Control"] = "no-cache"
    else:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        response.headers.pop("ETag", None)
    return response


def register_security(app: Flask) -> None:
    # First of all before_request hooks: CSRF, login and the API's token check read the body
    # and headers too, and must only ever see checked input.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_hostile_input)
    app.after_request(add_security_headers)


def safe_next(target: str | None) -> str:
    """Only a path of this site; anything else lands on the home page."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or "\\" in target or parts.scheme or parts.netloc:
        return url_for("pages.home")
    return target


class FixedMountPoint:
    """WSGI middleware: the mount point is the configured one, never the request's. gunicorn
    takes SCRIPT_NAME from a request header, and every link of a page is built on it, while
    cached pages are keyed on the path: one request could otherwise make every later visitor's
    links point at another site. The address asked stays the same (it may then be a 404)."""

    def __init__(self, app, script_name: str):
        self.app, self.script_name = app, script_name.rstrip("/")

    def __call__(self, environ, start_response):
        given = environ.get("SCRIPT_NAME", "")
        if given != self.script_name:
            path = given + environ.get("PATH_INFO", "")
            if self.script_name and (path == self.script_name or path.startswith(self.script_name + "/")):
                path = path[len(self.script_name):]
            environ["SCRIPT_NAME"], environ["PATH_INFO"] = self.script_name, path
        return self.app(environ, start_response)
