"""The interface language: the choice made in the footer (kept in the session), else the
member's setting (account page), else the browser's Accept-Language, else French. Interface
strings go through Flask-Babel's catalogue (wiki/translations); content (pages, sheets) is
never translated."""
from __future__ import annotations

from pathlib import Path

from babel import Locale
from flask import Blueprint, Flask, has_request_context, redirect, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from .js_messages import js_messages
from .security import safe_next

LANGUAGES = {"fr": "Français", "en": "English", "bm": "Bamanankan"}
DEFAULT = "fr"
TRANSLATIONS = Path(__file__).parent / "translations"

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The footer's choice (this session), else the member's setting, else the browser's."""
    if not has_request_context():  # the command line, background work: French
        return DEFAULT
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    try:
        setting = current_user.language if current_user.is_authenticated else None
    except SQLAlchemyError:  # the database does not answer: the error page still needs a language
        setting = None
    if setting in LANGUAGES:
        return setting
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


@bp.route("/langue/<code>")
def choose(code: str):
    """A link of the footer (no JavaScript, no form): only the interface language changes."""
    if code in LANGUAGES:
        session["language"] = code
    return redirect(safe_next(request.args.get("suite")))


def clear_session_keeping_language() -> None:
    """Login and logout start a new session (session fixation), but the interface language
    chosen in the footer is no secret and should not change under the reader."""
    chosen = session.get("language")
    session.clear()
    if chosen in LANGUAGES:
        session["language"] = chosen


def language_name(code: str) -> str:
    """A language's name in the reader's language (Babel's CLDR data), e.g. « bambara »."""
    return Locale.parse(language()).languages.get(code, code)


def language() -> str:
    """The language of this request, as a code of LANGUAGES."""
    return str(get_locale() or DEFAULT)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.globals.update(languages=LANGUAGES, language=language, language_name=language_name,
                                 js_messages=js_messages)
