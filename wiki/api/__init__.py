"""HTTP API v1: JSON in and out, bearer tokens only (cookies are ignored, so no CSRF)."""
from . import attachments, directory, openapi, pages  # noqa: F401  (their routes register on bp)
from .blueprint import bp  # noqa: F401
