"""The managed list of themes and the editable guiding questions of sheet sections."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Theme(db.Model):
    __tablename__ = "themes"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)


class SectionGuide(db.Model):
    """A coordinator's wording of a section's guiding question (defaults live in fields.py)."""

    __tablename__ = "section_guides"
    id: Mapped[int] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(40), unique=True)
    question: Mapped[str] = mapped_column(String(500))
