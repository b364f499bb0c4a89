"""The domain thesaurus that coordinators edit (applied at query time)."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class SynonymGroup(db.Model):
    """Terms that mean the same thing here, e.g. « CSCOM » and « centre de santé communautaire »."""

    __tablename__ = "synonym_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(String(500))  # " | "-separated
