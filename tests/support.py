"""Constants and helpers the test modules import (a module of its own: `conftest` is not
importable by name once tests/e2e has a conftest of its own)."""
from __future__ import annotations

import re

PASSWORD = "mot-de-passe-solide"


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)
