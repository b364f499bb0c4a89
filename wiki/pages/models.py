"""Pages, their immutable revisions, old addresses, and the change feed the index follows."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from ..extensions import db
from ..models import utcnow


# Languages a page may be written in (codes of Babel's CLDR data, which names them in the
# reader's language): the network's common language first, then those of its members.
CONTENT_LANGUAGES = ("fr", "bm", "ff", "snk", "en", "ar")


class Kind(StrEnum):
    PAGE = "page"
    FICHE = "fiche"
    GROUPE = "groupe"
    EVENEMENT = "evenement"  # agenda: fields in wiki/agenda/fields.py
    APPEL = "appel"  # call for funding: fields in wiki/funding/fields.py

    @property
    def label(self) -> LazyString:
        return KIND_LABELS[self.value]


class Visibility(StrEnum):
    PUBLIC = "public"
    MEMBRES = "membres"
    GROUPE = "groupe"

    @property
    def label(self) -> LazyString:
        return VISIBILITY_LABELS[self.value]


class Status(StrEnum):
    """Life of an experience sheet; other pages stay « publiée »."""

    BROUILLON = "brouillon"
    PUBLIEE = "publiee"
    VALIDEE = "validee"

    @property
    def label(self) -> LazyString:
        return STATUS_LABELS[self.value]


# Display names in the reader's language (lazy: built at import); the values above are stored.
KIND_LABELS = {"page": _l("Page"), "fiche": _l("Fiche d'expérience"), "groupe": _l("Page de groupe"),
               "evenement": _l("Événement"), "appel": _l("Appel à projets")}
VISIBILITY_LABELS = {"public": _l("Public"), "membres": _l("Membres"), "groupe": _l("Groupe")}
STATUS_LABELS = {"brouillon": _l("Brouillon"), "publiee": _l("Publiée"), "validee": _l("Validée par les partenaires")}


class Revision(db.Model):
    """Never updated after insert, except to fill the HTML cache."""

    __tablename__ = "page_revisions"
    cache_columns = frozenset({"html", "html_version"})  # filled on a first view (wiki/cache/version.py)
    __table_args__ = (UniqueConstraint("page_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    base_number: Mapped[int | None]  # the revision the author started from
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    author_side: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(String(300), default="")
    # Who could read the page when this revision was saved: making the page more visible later
    # does not open it (policy's "read_revision"); a visibility change is always a new revision.
    visibility: Mapped[str] = mapped_column(String(10))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # activity over 12 months
    # Sanitized HTML of `body`, valid while html_version == markup.MARKUP_VERSION.
    html: Mapped[str | None] = mapped_column(Text)
    html_version: Mapped[int | None]

    page: Mapped[Page] = relationship(back_populates="revisions", foreign_keys=[page_id])
    author = relationship("User")
    group = relationship("Group")


class Page(db.Model):
    __tablename__ = "pages"
    # A group page asks whether the reader has drafts among the group's pages at each request.
    __table_args__ = (Index("ix_pages_group_id_status", "group_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))  # copy of the current revision's, for listings
    kind: Mapped[str] = mapped_column(String(10), default=Kind.PAGE)
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.MEMBRES)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    # No foreign key: pages and revisions would reference each other.
    current_revision_id: Mapped[int | None] = mapped_column(Integer)
    is_deleted: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(10), default=Status.PUBLIEE)
    # The language the page is written in (content is not translated): its lang attribute.
    language: Mapped[str] = mapped_column(String(8), default="fr", server_default="fr")
    # The side of the sheet's first author; the other side validates it.
    origin_side: Mapped[str] = mapped_column(String(10), default="nord")
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    validated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # newest-first lists

    group = relationship("Group")
    validated_by = relationship("User", foreign_keys=[validated_by_id])
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="page", foreign_keys=[Revision.page_id], order_by=Revision.number,
        cascade="all, delete-orphan", lazy="select")
    current: Mapped[Revision | None] = relationship(
        primaryjoin=lambda: foreign(Page.current_revision_id) == Revision.id, viewonly=True)


class PageAlias(db.Model):
    """An old slug of a renamed page; its address redirects to the page."""

    __tablename__ = "page_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)

    page: Mapped[Page] = relationship()


class PageChange(db.Model):
    """Append-only feed of page changes; the search index replays it to catch up."""

    __tablename__ = "page_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
