"""Upload names, cleaned: they are shown on pages and used by Markdown (`fichier:NAME`), and
never reach the file system (storage.py uses content hashes). Control characters and bidi
overrides never get here: wiki/security.py refuses them (400) before any view."""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from .types import FileType

MAX_NAME_LENGTH = 120
DEFAULT_STEM = "fichier"
# Reserved on Windows, or awkward in Markdown and in addresses.
_AWKWARD = re.compile(r'[<>:"|?*\\/`]')
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,10}$")


def clean_name(raw: str) -> str:
    """« ../../x », « C:\\Users\\a\\photo.jpg », 500 characters… → a short, plain name."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]  # a path from an old browser: keep its last part
    name = _AWKWARD.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    stem, extension = _split(name)
    stem = stem.strip(" .") or DEFAULT_STEM
    room = MAX_NAME_LENGTH - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or DEFAULT_STEM
    return f"{stem}.{extension}" if extension else stem


def fit_extension(name: str, file_type: FileType) -> str:
    """The name with an extension matching its real type: « budget.png » holding a PDF becomes
    « budget.png.pdf », so the download opens in the right application."""
    stem, extension = _split(name)
    allowed = ("jpg", "jpeg", "png", "webp") if file_type.is_image else file_type.extensions
    if extension.lower() in allowed:
        return name
    wanted = file_type.extensions[0]
    return clean_name(f"{name[:MAX_NAME_LENGTH - len(wanted) - 1]}.{wanted}")


def _split(name: str) -> tuple[str, str]:
    path = PurePosixPath(name) if name not in ("", ".", "..") else PurePosixPath("x")
    extension = path.suffix.lstrip(".")
    if not extension or not _EXTENSION.match(extension) or path.stem in ("", "."):
        return name, ""
    return name[:-len(extension) - 1], extension
