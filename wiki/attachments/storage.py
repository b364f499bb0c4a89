"""Files under `<UPLOADS_DIR>/<2 hex>/<sha256>.<ext>` (by default <data dir>/uploads):
generated names only (an uploaded name never touches the file system), identical content
stored once. Each file is written to a temporary file in the same folder, then renamed: a
reader never sees half a file, and a failed upload leaves no partial file behind."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

CHUNK = 1024 * 1024
_HASH = re.compile(r"^[0-9a-f]{64}$")
_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")


def uploads_dir() -> Path:
    return Path(current_app.config["UPLOADS_DIR"])


def path_for(content_hash: str, extension: str) -> Path:
    if not _HASH.match(content_hash) or not _EXTENSION.match(extension):
        raise ValueError("not a stored file name")
    return uploads_dir() / content_hash[:2] / f"{content_hash}.{extension}"


def store(source: BinaryIO | bytes, extension: str) -> tuple[str, bool]:
    """Write the bytes under their hash; returns (hash, created) — created is False when the
    same content was already stored (then there is nothing to remove if the upload fails)."""
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".upload-", delete=False)
    try:
        with handle:
            if isinstance(source, bytes):
                digest.update(source)
                handle.write(source)
            else:
                source.seek(0)
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        content_hash = digest.hexdigest()
        target = path_for(content_hash, extension)
        if target.exists():
            os.unlink(handle.name)
            return content_hash, False
        target.parent.mkdir(exist_ok=True)
        os.chmod(handle.name, 0o640)
        os.replace(handle.name, target)
        return content_hash, True
    except BaseException:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
        raise


def remove(content_hash: str, extension: str) -> None:
    """Undo a `store` that created a file, when the upload fails afterwards."""
    try:
        path_for(content_hash, extension).unlink()
    except FileNotFoundError:
        pass
