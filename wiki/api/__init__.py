"""HTTP API v1: JSON in and out, bearer tokens only (cookies are ignored, so no CSRF)."""
from . import pages, attachments, discussions, directory, activity, agenda, funding, news, openapi  # noqa: F401  (their routes register on bp, in this order in the document)
from .blueprint import bp  # noqa: F401
