"""Static files under content-hashed names, cached for a year, compressed once.

`url_for('static', filename='css/wiki.css')` gives `/static/css/wiki.<hash>.css`: templates
do not change. A hashed address never changes meaning, so browsers keep it for a year
without asking again (`immutable`); a new version of the file has a new address. Every file
under static/ is covered, whoever adds it.

Files are read, hashed and gzipped once per process (again only when their size or mtime
changes, which keeps development simple) and answered from memory. An address with a stale
or wrong hash is a 404; the plain name (`/static/css/wiki.css`) still works, with a short
cache, for anything that links to it by hand."""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re
import stat
import threading
from dataclasses import dataclass

from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

HASH_LENGTH = 10
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
# Text types worth compressing (images, fonts and archives already are).
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "application/manifest+json", "image/svg+xml")
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{%d})(?P<ext>\.[^./]+)?$" % HASH_LENGTH)


def is_compressible(mimetype: str | None) -> bool:
    return bool(mimetype) and mimetype.startswith(COMPRESSIBLE)


@dataclass(frozen=True)
class Asset:
    stamp: tuple[int, int]  # (mtime_ns, size) of the file when read
    digest: str
    data: bytes
    gzipped: bytes | None  # None when not worth it
    mimetype: str


_assets: dict[str, Asset] = {}
_lock = threading.Lock()


def _read(path: str, stamp: tuple[int, int]) -> Asset:
    with open(path, "rb") as handle:
        data = handle.read()
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    gzipped = None
    if is_compressible(mimetype):
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        gzipped = packed if len(packed) < len(data) else None
    return Asset(stamp, hashlib.sha256(data).hexdigest()[:HASH_LENGTH], data, gzipped, mimetype)


def get_asset(filename: str) -> Asset | None:
    """The file static/<filename>, from memory; None when there is no such file."""
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):  # a folder, a device… (one stat per use: asked on every page)
        return None
    stamp = (info.st_mtime_ns, info.st_size)
    asset = _assets.get(path)
    if asset is None or asset.stamp != stamp:
        asset = _read(path, stamp)
        with _lock:
            _assets[path] = asset
    return asset


def hashed_name(filename: str, digest: str) -> str:
    """css/wiki.css → css/wiki.<digest>.css"""
    head, _, name = filename.rpartition("/")
    stem, _, ext = name.rpartition(".")
    hashed = f"{stem}.{digest}.{ext}" if stem else f"{name}.{digest}"
    return f"{head}/{hashed}" if head else hashed


def add_hash(endpoint: str, values: dict) -> None:
    """url_defaults hook: put the content hash into static file names."""
    if endpoint != "static" or "filename" not in values:
        return
    asset = get_asset(values["filename"])
    if asset is not None:
        values["filename"] = hashed_name(values["filename"], asset.digest)


def _respond(asset: Asset, cache_control: str) -> Response:
    gzip_ok = asset.gzipped is not None and request.accept_encodings["gzip"] > 0
    response = Response(asset.gzipped if gzip_ok else asset.data, mimetype=asset.mimetype)
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    if gzip_ok:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Cache-Control"] = cache_control
    response.set_etag(asset.digest + ("-gz" if gzip_ok else ""))
    return response.make_conditional(request)


def serve(filename: str):
    """The `static` endpoint: hashed names from memory with a year of cache, plain names
    with five minutes."""
    match = _HASHED.match(filename.rpartition("/")[2])
    if match:
        head = filename.rpartition("/")[0]
        original = match["stem"] + (match["ext"] or "")
        asset = get_asset(f"{head}/{original}" if head else original)
        if asset is not None:
            if asset.digest != match["hash"]:
                abort(404)  # an older or made-up version: nothing to give
            return _respond(asset, IMMUTABLE)
    asset = get_asset(filename)
    if asset is None:
        abort(404)
    return _respond(asset, SHORT)


def init_app(app: Flask) -> None:
    app.url_defaults(add_hash)
    app.view_functions["static"] = serve
