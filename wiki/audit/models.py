"""The audit log of coordinator actions."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow


class AuditEvent(db.Model):
    """Who did what, when, from which address. Append-only."""

    __tablename__ = "audit_events"
    affects_pages = False  # no cached page shows it (wiki/cache/version.py)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)  # e.g. "user.role", "page.delete"
    target: Mapped[str] = mapped_column(String(200), default="")  # e.g. "user:12", "page:forage-a-bla"
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor = relationship("User")
