"""The data version's row (wiki/cache/version.py)."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class DataVersion(db.Model):
    """One row: a random token replaced by every commit that changes what readers see."""

    __tablename__ = "data_version"
    affects_pages = False  # replacing the token is not itself a change to count
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
