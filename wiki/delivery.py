"""Fewer bytes on the wire: ETag / 304 on shareable pages, gzip by the app itself.

Runs after the security headers (wiki/security.py), which decide what may be stored:
- a response they mark `no-store` (members' pages, forms with a token, the API…) gets no
  ETag: it must never be stored, so there is nothing to revalidate, and a validator could
  only tell one user's page from another's;
- a response they let caches keep (`no-cache`: public pages seen by anonymous visitors)
  gets a weak ETag computed from its body, and a 304 when the browser already has it. The
  ETag is weak because the same page is sent gzipped or not.

Text (HTML, CSS, JS, JSON, SVG) above COMPRESS_MIN bytes is gzipped when the client accepts
it, so the embedded server is light on a 2G link without a reverse proxy. Files sent with
send_file (attachments, images) and streams are left alone. Static files are compressed
once, in wiki/assets.py."""
from __future__ import annotations

import gzip

from flask import Flask, request

from . import assets
from .assets import is_compressible
from .cache import pages

COMPRESS_MIN = 500  # bytes; below that, headers cost more than gzip saves
# 4, not zlib's 6: on a 6-40 KB page, 0.8 % more bytes for a third less CPU (bench/pages.py).
COMPRESS_LEVEL = 4


def _may_revalidate(response) -> bool:
    return (request.method in ("GET", "HEAD") and response.status_code == 200
            and not response.direct_passthrough and not response.is_streamed
            and request.endpoint != "static"
            and "no-store" not in response.headers.get("Cache-Control", "no-store"))


def _compress(response) -> None:
    if not is_compressible(response.mimetype) or response.direct_passthrough or response.is_streamed \
            or "Content-Encoding" in response.headers or response.status_code in (204, 206, 304):
        return
    if request.accept_encodings["gzip"] <= 0:
        return
    data = response.get_data()
    if len(data) < COMPRESS_MIN:
        return
    response.set_data(gzip.compress(data, compresslevel=COMPRESS_LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"


def finish_response(response):
    if is_compressible(response.mimetype) and not response.direct_passthrough:
        response.vary.add("Accept-Encoding")  # on the 304 too
    if _may_revalidate(response):
        response.add_etag(weak=True)
        response.make_conditional(request)
    _compress(response)
    return response


def register_delivery(app: Flask) -> None:
    """Call before register_security: after_request hooks run last-registered first, and
    this one must see the security headers' verdict."""
    assets.init_app(app)
    pages.init_app(app)  # first: its after_request (storing the final bytes) runs last
    app.after_request(finish_response)
