"""One row per uploaded version of a file attached to a page; the bytes live on disk under
their content hash (storage.py), so identical files are stored once."""
from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow


class Attachment(db.Model):
    """Never changed after insert, except the soft-delete flag (coordinators)."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("page_id", "name", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    # The cleaned upload name: how Markdown refers to the file (`fichier:forage.jpg`).
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int]  # 1, 2, … for the uploads under the same name on the same page
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the stored bytes
    thumbnail_hash: Mapped[str | None] = mapped_column(String(64))  # images only
    content_type: Mapped[str] = mapped_column(String(150))  # what is served (images: image/webp)
    size: Mapped[int]  # of the stored bytes
    width: Mapped[int | None]
    height: Mapped[int | None]
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    uploader_side: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_deleted: Mapped[bool] = mapped_column(default=False)
    deleted_at: Mapped[datetime | None]

    page = relationship("Page")
    uploader = relationship("User")

    @property
    def is_image(self) -> bool:
        return self.thumbnail_hash is not None

    @property
    def thumbnail_size(self) -> tuple[int | None, int | None]:
        """Width and height of the thumbnail (400 px on the long side), for the <img> tag."""
        if not self.width or not self.height:
            return None, None
        scale = min(1.0, 400 / max(self.width, self.height))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))

    @property
    def extension(self) -> str:
        return "webp" if self.is_image else PurePosixPath(self.name).suffix.lstrip(".").lower()

    @property
    def download_name(self) -> str:
        """The name given to the browser: an image's stored bytes are WebP, whatever it was sent as."""
        return f"{PurePosixPath(self.name).stem}.webp" if self.is_image else self.name
