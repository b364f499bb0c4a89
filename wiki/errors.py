"""Domain exceptions and the handlers that turn them and HTTP errors into answers
(JSON under /api, HTML pages elsewhere, in the reader's language). Never a stack trace."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .policy import PermissionDenied

MESSAGES = {
    400: _l("Requête invalide."),
    401: _l("Authentification requise."),
    403: _l("Vous n'avez pas le droit de faire cela."),
    404: _l("Cette page n'existe pas ou vous n'y avez pas accès."),
    405: _l("Méthode non autorisée."),
    409: _l("Conflit avec une modification enregistrée entre-temps."),
    413: _l("Envoi trop volumineux."),
    422: _l("Données invalides."),
    429: _l("Trop de tentatives ; réessayez plus tard."),
    500: _l("Erreur interne. Elle est notée dans le journal du serveur ; réessayez plus tard et, si elle "
            "revient, prévenez la coordination du réseau."),
    503: _l("Le wiki est momentanément indisponible ; réessayez dans une minute. Rien n'a été enregistré."),
}


class NotFound(Exception):
    def __init__(self, message: str = MESSAGES[404]):
        super().__init__(message)
        self.message = message


class ValidationError(Exception):
    """Field name → message (in the reader's language)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(str(message) for message in errors.values()))
        self.errors = errors


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, **extra):
    message = str(message or MESSAGES.get(status) or _("Erreur."))
    if wants_json():
        body = {"error": _error_code(status), "message": message, **extra}
        return make_response(jsonify(body), status)
    return make_response(render_template("errors/error.html", status=status, message=message), status)


def too_large_message() -> str:
    limit = request.max_content_length if request else current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return str(MESSAGES[413])
    if limit >= 1024 * 1024:
        return _("Envoi trop volumineux : %(size)d Mo au plus par envoi. Réduisez le texte ou le fichier.",
                 size=limit // (1024 * 1024))
    return _("Envoi trop volumineux : %(size)d Ko au plus par envoi. Réduisez le texte ou le fichier.",
             size=limit // 1024)


def _error_code(status: int) -> str:
    return {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
            429: "too_many_requests", 503: "unavailable"}.get(status, "error")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = MESSAGES.get(exc.code) if exc.code in MESSAGES else exc.description
        if exc.code == 400 and getattr(exc, "description", None) and "CSRF" in exc.description:
            message = _("Le formulaire a expiré ou n'est pas valide ; rechargez la page et réessayez.")
        if exc.code == 413:
            message = too_large_message()
        response = error_response(exc.code or 500, message)
        if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        return error_response(404, exc.message)

    @app.errorhandler(PermissionDenied)
    def denied(exc: PermissionDenied):
        return error_response(403, str(exc) or None)

    @app.errorhandler(ValidationError)
    def invalid(exc: ValidationError):
        if wants_json():
            return error_response(422, str(exc), fields={name: str(message) for name, message in exc.errors.items()})
        return error_response(422, str(exc))

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):
        """The database does not answer (down, unreachable, still locked after the wait)."""
        app.logger.exception("Database unavailable")
        response = error_response(503)
        response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("Unhandled error")
        return error_response(500)
