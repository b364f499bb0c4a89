"""Attachment rules: who uploads, lists, reads, deletes; versions under one name. Views and
the API both call these; they take the page already checked readable (404 otherwise)."""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit import services as audit
from .. import policy
from ..db_retry import unit_of_work
from ..errors import NotFound
from ..extensions import db
from ..models import utcnow
from . import images, storage
from .models import Attachment
from .names import clean_name, fit_extension
from .types import CSV, RejectedFile, csv_charset, sniff


UPLOAD_REFUSED = _l("Il faut pouvoir modifier la page pour y joindre un fichier.")


@dataclass
class FileEntry:
    """A name on a page: its current version and the older ones (newest first)."""

    name: str
    current: Attachment
    older: list[Attachment] = field(default_factory=list)


def max_bytes() -> int:
    return int(current_app.config["ATTACHMENT_MAX_BYTES"])


def too_large_message() -> str:
    return _("Fichier trop volumineux : %(size)g Mo au plus par fichier.", size=max_bytes() / (1024 * 1024))


def _size_of(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


# Writing ---------------------------------------------------------------------

def upload(page, user, stream: BinaryIO, filename: str) -> tuple[Attachment, bool]:
    """Check, clean and store one file; returns (attachment, created). Sending again the
    current content under the same name creates nothing (a retry on a bad link is harmless).
    Raises PermissionDenied, or RejectedFile (422, 413) with nothing stored."""
    policy.require(user, "upload", page, UPLOAD_REFUSED)
    size = _size_of(stream)
    if size > max_bytes():
        raise RejectedFile(too_large_message(), 413)
    if size == 0:
        raise RejectedFile(_("Le fichier est vide."))
    config = current_app.config
    file_type = sniff(stream, int(config["ATTACHMENT_MAX_UNZIPPED_BYTES"]))
    name = fit_extension(clean_name(filename), file_type)
    stored: list[tuple[str, str]] = []  # (hash, extension) of the files this upload created
    try:
        if file_type.is_image:
            photo = images.process(stream, file_type.content_type, int(config["ATTACHMENT_MAX_PIXELS"]))
            content_hash = _store(photo.full, "webp", stored)
            thumbnail_hash = _store(photo.thumbnail, "webp", stored)
            values = dict(content_type="image/webp", size=len(photo.full), width=photo.width,
                          height=photo.height, thumbnail_hash=thumbnail_hash)
        else:
            extension = name.rsplit(".", 1)[-1].lower()
            content_hash = _store(stream, extension, stored)
            content_type = file_type.content_type
            if file_type is CSV:
                content_type = f"text/csv; charset={csv_charset(stream)}"
            values = dict(content_type=content_type, size=size, thumbnail_hash=None)
        return _record(page, user, name, content_hash, values)
    except BaseException:
        db.session.rollback()
        for content_hash, extension in stored:
            if not _is_referenced(content_hash):
                storage.remove(content_hash, extension)
        raise


def _store(source, extension: str, stored: list) -> str:
    content_hash, created = storage.store(source, extension)
    if created:
        stored.append((content_hash, extension))
    return content_hash


def _is_referenced(content_hash: str) -> bool:
    return db.session.scalar(select(func.count()).select_from(Attachment).where(
        (Attachment.content_hash == content_hash) | (Attachment.thumbnail_hash == content_hash))) > 0


@unit_of_work
def _record(page, user, name: str, content_hash: str, values: dict) -> tuple[Attachment, bool]:
    current = current_version(page, name)
    if current is not None and current.name == name and current.content_hash == content_hash:
        return current, False
    last = db.session.scalar(select(func.max(Attachment.version)).where(
        Attachment.page_id == page.id, Attachment.name == name)) or 0
    attachment = Attachment(page_id=page.id, name=name, version=last + 1, content_hash=content_hash,
                            uploader_id=user.id, uploader_side=user.side, **values)
    db.session.add(attachment)
    db.session.commit()
    return attachment, True


@unit_of_work
def set_deleted(attachment: Attachment, deleted: bool, *, by) -> None:
    """Soft delete or restore one version (coordinators); the bytes stay on disk."""
    policy.require(by, "delete" if deleted else "restore")
    attachment.is_deleted = deleted
    attachment.deleted_at = utcnow() if deleted else None
    audit.record(by, "attachment.delete" if deleted else "attachment.restore", f"page:{attachment.page.slug}",
                 {"name": attachment.name, "version": attachment.version})
    db.session.commit()


# Reading ---------------------------------------------------------------------

def _versions(page, include_deleted: bool):
    query = select(Attachment).where(Attachment.page_id == page.id).options(selectinload(Attachment.uploader))
    if not include_deleted:
        query = query.where(Attachment.is_deleted.is_(False))
    return db.session.scalars(query.order_by(Attachment.name, Attachment.version.desc()))


def list_files(page) -> list[FileEntry]:
    """The page's files by name, each with its current version and older ones."""
    entries: dict[str, FileEntry] = {}
    for attachment in _versions(page, include_deleted=False):
        entry = entries.get(attachment.name)
        if entry is None:
            entries[attachment.name] = FileEntry(attachment.name, attachment)
        else:
            entry.older.append(attachment)
    return sorted(entries.values(), key=lambda e: e.name.casefold())


def list_deleted(page) -> list[Attachment]:
    return [a for a in _versions(page, include_deleted=True) if a.is_deleted]


def current_version(page, name: str) -> Attachment | None:
    """Newest version not deleted under `name` (exactly, else ignoring case)."""
    rows = list(db.session.scalars(select(Attachment).where(
        Attachment.page_id == page.id, Attachment.is_deleted.is_(False),
        func.lower(Attachment.name) == name.lower()).order_by(Attachment.version.desc())))
    exact = [a for a in rows if a.name == name]
    return (exact or rows or [None])[0]


def get_file(page, user, name: str, version: int | None = None) -> Attachment:
    """The version to serve, or NotFound (deleted versions only for coordinators)."""
    name = unicodedata.normalize("NFC", name)  # names are stored NFC; macOS types NFD
    if version is None:
        attachment = current_version(page, name)
    else:
        attachment = db.session.scalar(select(Attachment).where(
            Attachment.page_id == page.id, Attachment.name == name, Attachment.version == version))
        if attachment is not None and attachment.is_deleted and not policy.may(user, "restore"):
            attachment = None
    if attachment is None:
        raise NotFound(_("Ce fichier n'existe pas ou vous n'y avez pas accès."))
    return attachment


def get_by_id(page, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.page_id != page.id:
        raise NotFound(_("Ce fichier n'existe pas ou vous n'y avez pas accès."))
    return attachment


def file_path(attachment: Attachment, thumbnail: bool = False):
    if thumbnail:
        return storage.path_for(attachment.thumbnail_hash, "webp")
    return storage.path_for(attachment.content_hash, attachment.extension)
