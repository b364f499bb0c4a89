"""Domain exceptions and the handlers that turn them and HTTP errors into answers
(JSON under /api, French HTML pages elsewhere). Never a stack trace."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from .policy import PermissionDenied

MESSAGES = {
    400: "Requête invalide.",
    401: "Authentification requise.",
    403: "Vous n'avez pas le droit de faire cela.",
    404: "Cette page n'existe pas ou vous n'y avez pas accès.",
    405: "Méthode non autorisée.",
    409: "Conflit avec une modification enregistrée entre-temps.",
    413: "Envoi trop volumineux.",
    422: "Données invalides.",
    429: "Trop de tentatives ; réessayez plus tard.",
    500: "Erreur interne ; l'équipe a été prévenue.",
}


class NotFound(Exception):
    def __init__(self, message: str = MESSAGES[404]):
        super().__init__(message)
        self.message = message


class ValidationError(Exception):
    """Field name → French message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, **extra):
    message = message or MESSAGES.get(status, "Erreur.")
    if wants_json():
        body = {"error": _error_code(status), "message": message, **extra}
        return make_response(jsonify(body), status)
    return make_response(render_template("errors/error.html", status=status, message=message), status)


def too_large_message() -> str:
    limit = request.max_content_length if request else current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return MESSAGES[413]
    size = f"{limit // (1024 * 1024)} Mo" if limit >= 1024 * 1024 else f"{limit // 1024} Ko"
    return f"Envoi trop volumineux : {size} au plus par envoi. Réduisez le texte ou le fichier."


def _error_code(status: int) -> str:
    return {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
            429: "too_many_requests"}.get(status, "error")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = MESSAGES.get(exc.code) if exc.code in MESSAGES else exc.description
        if exc.code == 400 and getattr(exc, "description", None) and "CSRF" in exc.description:
            message = "Le formulaire a expiré ou n'est pas valide ; rechargez la page et réessayez."
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
        return error_response(422, str(exc), fields=exc.errors) if wants_json() else error_response(422, str(exc))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("Unhandled error")
        return error_response(500)
