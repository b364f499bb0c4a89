"""Who comes to an event, and what a meeting decided (the event itself is a page)."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import utcnow

MAX_DECISION = 1000
ANSWERS = {"oui": _l("Je viens"), "peut-etre": _l("Peut-être"), "non": _l("Non")}


class Attendance(db.Model):
    __tablename__ = "event_attendances"
    __table_args__ = (UniqueConstraint("page_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(10))  # one of ANSWERS
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")


class DecisionStatus(StrEnum):
    A_FAIRE = "a_faire"
    EN_COURS = "en_cours"
    FAIT = "fait"
    ABANDONNE = "abandonne"

    @property
    def label(self):
        return DECISION_STATUS_LABELS[self.value]

    @property
    def is_open(self) -> bool:
        return self in (DecisionStatus.A_FAIRE, DecisionStatus.EN_COURS)


DECISION_STATUS_LABELS = {"a_faire": _l("À faire"), "en_cours": _l("En cours"), "fait": _l("Fait"),
                          "abandonne": _l("Abandonné")}
OPEN_STATUSES = tuple(s.value for s in DecisionStatus if s.is_open)


class Decision(db.Model):
    """Read by whoever may read its event (it has no audience of its own)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(MAX_DECISION))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default=DecisionStatus.A_FAIRE)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    page = relationship("Page")
    owner = relationship("User", foreign_keys=[owner_id])
