"""What a file is, decided from its bytes (magic numbers), never from its name or the type
the browser declared: a page named « photo.png » holding HTML must not become a way in.

Accepted: JPEG, PNG, WebP (re-encoded, see images.py), PDF, OpenDocument and Office Open XML
documents (ZIP containers, checked inside), CSV (text). Everything else is refused with a
message in the uploader's language."""
from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _, lazy_gettext as _l


class RejectedFile(Exception):
    """A file we do not store; the message (in the reader's language) is shown to the uploader."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]  # the first one is used when the name has none of them
    is_image: bool = False


JPEG = FileType("image/jpeg", ("jpg", "jpeg"), True)
PNG = FileType("image/png", ("png",), True)
WEBP = FileType("image/webp", ("webp",), True)
PDF = FileType("application/pdf", ("pdf",))
CSV = FileType("text/csv", ("csv",))
ODF = {
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/vnd.oasis.opendocument.presentation": ("odp",),
    "application/vnd.oasis.opendocument.graphics": ("odg",),
}
OOXML = {  # the part that makes the package a document of that kind
    "word/document.xml": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                  ("docx",)),
    "xl/workbook.xml": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "ppt/presentation.xml": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                                     ("pptx",)),
}
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "webp")

REFUSED = _l("Ce type de fichier n'est pas accepté. Types acceptés : photos (JPEG, PNG, WebP), PDF, documents "
             "OpenDocument ou Office (odt, ods, odp, docx, xlsx, pptx), CSV.")

# ZIP containers: refuse what would explode when opened (ours never decompresses them).
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_RATIO = 100  # declared uncompressed / compressed, for members above ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 1024 * 1024

_HTML_LIKE = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|meta|a\s|img\s|style)",
                        re.I)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sniff(stream: BinaryIO, max_unzipped: int) -> FileType:
    """The type of the file in `stream` (seekable, at any position), or RejectedFile."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office(stream, max_unzipped)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise RejectedFile(_("Les anciens formats Office (.doc, .xls, .ppt) ne sont pas acceptés : "
                             "enregistrez le document en .docx, .xlsx, .odt ou .ods, ou en PDF."))
    if _looks_like_csv(stream):
        return CSV
    raise RejectedFile(str(REFUSED))


def _office(stream: BinaryIO, max_unzipped: int) -> FileType:
    try:
        archive = zipfile.ZipFile(stream)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise RejectedFile(_("Ce document est endommagé (archive illisible).")) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise RejectedFile(_("Ce document contient trop d'éléments pour être accepté."))
    total = 0
    for member in members:
        total += member.file_size
        if member.flag_bits & 0x1:
            raise RejectedFile(_("Les documents chiffrés (protégés par mot de passe) ne sont pas acceptés."))
        if member.file_size > ZIP_RATIO_FLOOR and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
            raise RejectedFile(_("Ce document se décompresse en un volume démesuré (bombe de décompression) ; "
                                 "il n'est pas accepté."))
    if total > max_unzipped:
        raise RejectedFile(_("Ce document se décompresse en un volume démesuré ; il n'est pas accepté."))
    names = {m.filename for m in members}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise RejectedFile(_("Les documents contenant des macros ne sont pas acceptés ; "
                             "enregistrez-le sans macros (.docx, .xlsx, .pptx)."))
    try:
        if members and members[0].filename == "mimetype":  # OpenDocument: first member, stored
            declared = archive.read(members[0]) if members[0].file_size <= 100 else b""
            extensions = ODF.get(declared.decode("ascii", "replace").strip())
            if extensions:
                return FileType(declared.decode("ascii").strip(), extensions)
        if "[Content_Types].xml" in names:
            for part, file_type in OOXML.items():
                if part in names:
                    return file_type
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise RejectedFile(_("Ce document est endommagé (archive illisible).")) from None
    raise RejectedFile(str(REFUSED))


def _looks_like_csv(stream: BinaryIO) -> bool:
    """Text (UTF-8, or Windows/Latin-1 as old spreadsheets save it) with a separator on its
    first line, no control bytes, and nothing a browser could take for HTML, SVG or XML."""
    sample = stream.read(64 * 1024)
    stream.seek(0)
    if not sample or _CONTROL.search(sample) or _HTML_LIKE.search(sample):
        return False
    if sample.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:  # a character cut by the sample's end
            text = sample[:exc.start].decode("utf-8")
        else:
            text = sample.decode("cp1252", "replace")
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return any(sep in first for sep in (",", ";", "\t"))


def csv_charset(stream: BinaryIO) -> str:
    """utf-8 when the whole file decodes as UTF-8, else windows-1252 (served with that charset)."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(1024 * 1024):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        return "windows-1252"
    finally:
        stream.seek(0)
