"""Posting and reading news from the field.

A phone may send the same news twice (the connection dropped after the server saved it): each
news item carries an identifier made on the phone, and a second send with it answers with the
news already stored. Places stay coarse: a commune by name, never coordinates."""
from __future__ import annotations

import re
from datetime import datetime
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import policy
from ..attachments import images, storage
from ..attachments.types import RejectedFile, sniff
from ..auth.models import User
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import MAX_ID
from ..pages.models import Kind, Page, Revision
from .models import MAX_NEWS, MAX_PHOTOS, NEWS_KINDS, News, NewsPhoto

MAX_COMMUNE = 100
CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
# "14.35, -4.19", "14°21'N 4°11'W", "N 14.35 W 4.19": a position, which could point at people.
COORDINATES = re.compile(r"-?\d{1,3}[.,]\d{2,}\s*[,;/ ]\s*-?\d{1,3}[.,]\d{2,}|\d{1,3}\s*°|\b[NS]\s*\d{1,2}[.,]\d{2,}")


def _clean(text, kind, commune, client_id) -> dict:
    errors = {}
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        errors["text"] = _("Écrivez la nouvelle.")
    elif len(text) > MAX_NEWS:
        errors["text"] = _("Une nouvelle tient en %(max)d caractères au plus.", max=MAX_NEWS)
    elif COORDINATES.search(text):
        errors["text"] = _("Pas de coordonnées GPS dans une nouvelle : nommez la commune, cela suffit.")
    kind = kind or None
    if kind is not None and kind not in NEWS_KINDS:
        errors["kind"] = _("Type de nouvelle inconnu (avancement, difficulte, besoin ou reussite).")
    commune = (commune or "").strip() or None if isinstance(commune, str) or commune is None else None
    if commune and len(commune) > MAX_COMMUNE:
        errors["commune"] = _("Un nom de commune de %(max)d caractères au plus.", max=MAX_COMMUNE)
    elif commune and (COORDINATES.search(commune) or re.search(r"\d[.,]\d", commune)):
        errors["commune"] = _("Indiquez la commune par son nom, jamais par des coordonnées.")
    client_id = client_id or None
    if client_id is not None and not (isinstance(client_id, str) and CLIENT_ID.fullmatch(client_id)):
        errors["client_id"] = _("Identifiant de nouvelle invalide.")
    if errors:
        raise ValidationError(errors)
    return dict(text=text, kind=kind, commune=commune, client_id=client_id)


def sent_before(user: User, client_id: str | None) -> News | None:
    if not client_id or not isinstance(client_id, str) or not user.is_authenticated:
        return None
    return db.session.scalar(select(News).where(News.author_id == user.id, News.client_id == client_id))


def post(user: User, page: Page, *, text: str, kind: str | None = None, commune: str | None = None,
         photos: list[BinaryIO] = (), client_id: str | None = None) -> tuple[News, bool]:
    """Store a news item on a sheet or a group page; (news, created). The same `client_id`
    from the same member answers the news already stored, whatever else is sent with it."""
    policy.require(user, "post_news", page)
    earlier = sent_before(user, client_id)
    if earlier is not None:
        return earlier, False
    values = _clean(text, kind, commune, client_id)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("%(max)d photos au plus par nouvelle.", max=MAX_PHOTOS)})
    news = News(page_id=page.id, author_id=user.id, author_side=user.side, visibility=page.visibility,
                group_id=page.group_id, **values)
    stored: list[str] = []  # files this post created: removed if the news is not stored
    try:
        news.photos = [_photo(stream, position, stored) for position, stream in enumerate(photos)]
        db.session.add(news)
        db.session.commit()
    except IntegrityError:  # the same identifier, sent twice at once: the other send stored it
        db.session.rollback()
        _remove(stored)
        earlier = sent_before(user, client_id)
        if earlier is None:
            raise
        return earlier, False
    except BaseException:
        db.session.rollback()
        _remove(stored)
        raise
    return news, True


def _photo(stream: BinaryIO, position: int, stored: list[str]) -> NewsPhoto:
    """Re-encoded from its pixels as attachments are (no EXIF, no GPS); photos only."""
    config = current_app.config
    file_type = sniff(stream, int(config["ATTACHMENT_MAX_UNZIPPED_BYTES"]))
    if not file_type.is_image:
        raise RejectedFile(_("Seules des photos (JPEG, PNG ou WebP) accompagnent une nouvelle."))
    photo = images.process(stream, file_type.content_type, int(config["ATTACHMENT_MAX_PIXELS"]))
    hashes = []
    for data in (photo.full, photo.thumbnail):
        content_hash, created = storage.store(data, "webp")
        if created:
            stored.append(content_hash)
        hashes.append(content_hash)
    return NewsPhoto(position=position, content_hash=hashes[0], thumbnail_hash=hashes[1], width=photo.width,
                     height=photo.height)


def _remove(stored: list[str]) -> None:
    for content_hash in stored:
        storage.remove(content_hash, "webp")


def _readable(reader):
    return (select(News).join(Page, Page.id == News.page_id)
            .where(policy.readable_news_clause(reader), Page.is_deleted.is_(False))
            .options(selectinload(News.photos), selectinload(News.author), selectinload(News.page))
            .order_by(News.created_at.desc(), News.id.desc()))


def of_page(reader, page: Page, limit: int = 20) -> list[News]:
    """The newest news of a page the caller may read, newest first."""
    return list(db.session.scalars(_readable(reader).where(News.page_id == page.id).limit(limit)))


def across_network(reader, *, region: str | None = None, group_id: int | None = None, side: str | None = None,
                   since: datetime | None = None, limit: int = 50) -> list[News]:
    """« Nouvelles du terrain »: across every page the caller may read, newest first. The
    region is the sheet's (group pages have none)."""
    query = _readable(reader)
    if region:
        query = query.join(Revision, Revision.id == Page.current_revision_id).where(
            Page.kind == Kind.FICHE, Revision.fields["region"].as_string() == region)
    if group_id is not None:
        query = query.where(Page.group_id == group_id)
    if side:
        query = query.where(News.author_side == side)
    if since is not None:
        query = query.where(News.created_at > since)
    return list(db.session.scalars(query.limit(limit)))


def readable_photo(reader, photo_id: int) -> NewsPhoto:
    photo = db.session.get(NewsPhoto, photo_id) if 0 < photo_id <= MAX_ID else None
    if photo is None or photo.news.page.is_deleted or not policy.may(reader, "read_news", photo.news):
        raise NotFound()
    return photo


def photo_path(photo: NewsPhoto, thumbnail: bool):
    return storage.path_for(photo.thumbnail_hash if thumbnail else photo.content_hash, "webp")
