"""`/robots.txt`: crawlers index the pages themselves, not their history, diffs, sources,
searches or the API (endless and costly addresses, and old versions a page left behind)."""
from __future__ import annotations

from flask import Blueprint, Response

bp = Blueprint("robots", __name__)

RULES = """User-agent: *
Disallow: /p/*/historique
Disallow: /p/*/comparer
Disallow: /p/*/version/
Disallow: /p/*/source
Disallow: /recherche
Disallow: /api/
Disallow: /langue/
Disallow: /compte
Disallow: /mon-fil
Disallow: /flux/
Disallow: /desabonnement/
"""


@bp.route("/robots.txt")
def robots():
    response = Response(RULES, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
