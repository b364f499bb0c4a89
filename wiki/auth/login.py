"""Flask-Login wiring: cookies carry a revocable login-session token."""
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from . import sessions


def configure(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.localize_callback = str  # the flash keeps a str, in the reader's language
    login_manager.login_message_category = "info"
    # Our tokens are revocable server-side; Flask-Login's extra "strong" check adds nothing.
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(token: str):
        return sessions.load_session_user(token)
