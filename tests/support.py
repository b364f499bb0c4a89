"""Constants and helpers the test modules import (a module of its own: `conftest` is not
importable by name once tests/e2e has a conftest of its own)."""
from __future__ import annotations

import re

PASSWORD = "mot-de-passe-solide"


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def make_csrf_app(data_dir):
    """An app with CSRF protection on (as in production) and its tables created."""
    from wiki import create_app
    from wiki.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATA_DIR": str(data_dir),
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1})
    with app.app_context():
        db.create_all()
    return app
