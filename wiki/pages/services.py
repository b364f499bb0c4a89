"""Page rules: create, edit with three-way merge, revert, rename, delete, read checks."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from .. import policy, search
from ..activity import follows
from ..attachments.links import files_url
from ..audit import services as audit
from ..auth.models import User
from ..policy import PermissionDenied
from ..db_retry import unit_of_work
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..markup import (MARKUP_VERSION, TOO_COMPLEX_MESSAGE, TooComplex, mark_missing_links, render_html,
                      render_markdown, slugify, wikilink_slugs)
from ..models import MAX_ID, utcnow
from ..agenda.fields import clean_event_fields
from ..funding.fields import clean_call_fields
from ..sheets.fields import SIDE_FIELDS, clean_fields, is_substantive_change
from .merge import MergeConflict, merge_text
from .models import CONTENT_LANGUAGES, Kind, Page, PageAlias, PageChange, Revision, Status, Visibility

MAX_THEMES = 10
# The structured fields each kind has (other kinds have none).
FIELD_RULES = {Kind.FICHE: clean_fields, Kind.EVENEMENT: clean_event_fields, Kind.APPEL: clean_call_fields}
MAX_SLUG_SOURCE = 1000  # longer than any title: compares whole titles, not truncated addresses


class PageExists(Exception):
    def __init__(self, page: Page):
        # Lazy: the demo loader (no request, no reader's language) catches it without showing it.
        super().__init__(_l("Une page « %(title)s » existe déjà.", title=page.title))
        self.page = page


@dataclass
class EditConflict(Exception):
    """Both sides changed the same part: nothing is saved, both versions go back to the user."""

    current: Revision
    mine: dict
    fields_in_conflict: list[str] = field(default_factory=list)


@dataclass
class SaveResult:
    page: Page
    revision: Revision
    created_revision: bool  # False when the save changed nothing
    merged: bool  # True when someone else's save was merged in


# Reading ---------------------------------------------------------------------

# What every view shows, in one statement: explicit joins filled in (contains_eager) cost less
# than joined eager loads, which alias every table.
_PAGE_WITH_CURRENT = (select(Page).outerjoin(Page.current).outerjoin(Revision.author).outerjoin(Page.group)
                      .options(contains_eager(Page.current).contains_eager(Revision.author),
                               contains_eager(Page.group)))


def find_page(slug: str) -> tuple[Page | None, bool]:
    """(page, found_by_old_address) for a slug, or (None, False). The page comes with its
    current revision, that revision's author and the page's group, which every view shows."""
    page = db.session.scalar(_PAGE_WITH_CURRENT.where(Page.slug == slug))
    if page is not None:
        return page, False
    alias = db.session.scalar(select(PageAlias).where(PageAlias.slug == slug))
    return (alias.page, True) if alias else (None, False)


def get_readable_page(reader, slug: str) -> tuple[Page, bool]:
    """The page if `reader` may read it; a missing and a forbidden page raise the same NotFound."""
    page, by_alias = find_page(slug)
    if page is None or not policy.may(reader, "read", page):
        raise NotFound()
    return page, by_alias


def get_revision(reader, page: Page, number: int) -> Revision:
    """Revision `number` of a page `reader` may read; a missing and a forbidden one (saved
    while the page had a narrower audience) raise the same NotFound."""
    revision = None
    if 0 < number <= MAX_ID:
        revision = db.session.scalar(select(Revision).where(Revision.page_id == page.id, Revision.number == number))
    if revision is None or not policy.may(reader, "read_revision", revision):
        raise NotFound(_("Cette version n'existe pas."))
    return revision


def list_revisions(page: Page, reader) -> list[Revision]:
    """The revisions of a page that `reader` may read, newest first."""
    return list(db.session.scalars(select(Revision).join(Page, Revision.page_id == Page.id)
                                   .where(Revision.page_id == page.id, policy.readable_revisions_clause(reader))
                                   .order_by(Revision.number.desc())))


def previous_revision(reader, revision: Revision) -> Revision | None:
    """The newest revision before `revision` that `reader` may read."""
    return db.session.scalar(select(Revision).join(Page, Revision.page_id == Page.id)
                             .where(Revision.page_id == revision.page_id, Revision.number < revision.number,
                                    policy.readable_revisions_clause(reader))
                             .order_by(Revision.number.desc()).limit(1))


def list_pages(user, *, kind: str | None = None, group_id: int | None = None, theme: str | None = None,
               deleted: bool = False, limit: int = 50, offset: int = 0,
               with_total: bool = True) -> tuple[list[Page], int | None]:
    """Readable pages, newest first, with the total count (None when not asked: counting
    every readable page costs more than listing a few)."""
    query = select(Page).where(policy.readable_clause(user), Page.is_deleted == deleted)
    if kind:
        query = query.where(Page.kind == kind)
    if group_id is not None:
        query = query.where(Page.group_id == group_id)
    query = query.order_by(Page.updated_at.desc(), Page.id.desc())
    if theme:  # themes are a short JSON list; filtered here to stay portable across databases
        pages = [p for p in db.session.scalars(query) if theme in (p.themes or [])]
        return pages[offset:offset + limit], len(pages)
    total = (db.session.scalar(select(func.count()).select_from(query.subquery())) or 0) if with_total else None
    return list(db.session.scalars(query.limit(limit).offset(offset))), total


def list_contributions(user: User, viewer, limit: int = 100) -> list[Revision]:
    """Revisions written by `user` on pages `viewer` may read."""
    query = (select(Revision).join(Page, Revision.page_id == Page.id)
             .where(Revision.author_id == user.id, policy.readable_revisions_clause(viewer))
             .order_by(Revision.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def revision_html(revision: Revision, reader) -> str:
    """Sanitized HTML of a revision (cached on the row), [[links]] to unreadable or
    missing pages shown as « à créer »."""
    if revision.html is None or revision.html_version != MARKUP_VERSION:
        revision.html = str(render_markdown(revision.body, files_url=files_url(revision.page)))
        revision.html_version = MARKUP_VERSION
        db.session.commit()
    return mark_links_for(revision.html, reader)


def mark_links_for(html: str, reader) -> str:
    """Rendered HTML with its [[links]] to pages `reader` cannot read (or missing) « à créer »."""
    slugs = wikilink_slugs(html)
    existing = set()
    if slugs:
        existing = set(db.session.scalars(select(Page.slug).where(
            Page.slug.in_(slugs), policy.readable_clause(reader))))
        if slugs - existing:  # links to old addresses of renamed pages
            aliases = db.session.scalars(select(PageAlias).where(PageAlias.slug.in_(slugs - existing)))
            existing |= {a.slug for a in aliases if policy.may(reader, "read", a.page)}
    return mark_missing_links(html, existing)


# Writing ---------------------------------------------------------------------

def _limits():
    config = current_app.config
    return config["MAX_TITLE_LENGTH"], config["MAX_BODY_LENGTH"], config["MAX_SUMMARY_LENGTH"]


def _clean_content(*, title, body, kind, visibility, group, themes, fields, summary, saved=None) -> dict:
    """Checked and normalised content; `saved`, the revision edited: its texts are not checked again."""
    max_title, max_body, max_summary = _limits()
    errors = {}
    title = " ".join(str(title or "").split())
    if not title:
        errors["title"] = _("Le titre est obligatoire.")
    elif len(title) > max_title:
        errors["title"] = _("Le titre ne peut dépasser %(max)d caractères.", max=max_title)
    elif not slugify(title):
        errors["title"] = _("Le titre doit contenir au moins une lettre ou un chiffre.")
    body = str(body or "").replace("\r\n", "\n")
    if len(body) > max_body:
        errors["body"] = _("Le texte ne peut dépasser %(max)d caractères.", max=max_body)
    summary = " ".join(str(summary or "").split())
    if len(summary) > max_summary:
        errors["summary"] = _("Le résumé ne peut dépasser %(max)d caractères.", max=max_summary)
    if kind not in set(Kind):
        errors["kind"] = _("Type de page inconnu (page, fiche, groupe, evenement ou appel).")
    if visibility not in set(Visibility):
        errors["visibility"] = _("Visibilité inconnue (public, membres ou groupe).")
    elif visibility == Visibility.GROUPE and group is None:
        errors["group"] = _("Choisissez le groupe qui pourra lire cette page.")
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes) or len(themes) > MAX_THEMES:
        errors["themes"] = _("Une liste de %(max)d thèmes au plus est attendue.", max=MAX_THEMES)
        themes = []
    themes = list(dict.fromkeys(slugify(t) for t in themes if slugify(t)))
    if kind == Kind.FICHE and not themes:
        errors["themes"] = _("Une fiche d'expérience a au moins un thème.")
    try:
        fields = FIELD_RULES[kind](fields) if kind in FIELD_RULES else {}
    except ValidationError as exc:
        errors.update({f"fields.{k}": v for k, v in exc.errors.items()})
    if kind == Kind.FICHE and not errors and not fields.get("region") and not fields.get("town_fr"):
        errors["fields.region"] = _("Indiquez le lieu : la région (Mali) ou la ville (France).")
    errors.update(_unrenderable(body, fields, saved))
    if errors:
        raise ValidationError(errors)
    return dict(title=title, body=body, kind=kind, visibility=visibility, group=group,
                themes=themes, fields=fields, summary=summary)


def _unrenderable(body: str, fields: dict, saved: Revision | None) -> dict:
    """Errors for new texts that Markdown cannot render in time (crafted to stall the server).
    Texts already saved are not checked: a page saved before a limit can still be moved or
    hidden; it shows its source meanwhile."""
    texts = {"body": body, **{f"fields.{k}": v for k, v in fields.items() if isinstance(v, str)}}
    known = set()
    if saved is not None:
        known = {saved.body, *(v for v in (saved.fields or {}).values() if isinstance(v, str))}
    errors = {}
    for key, text in texts.items():
        if text in known:
            continue
        try:
            render_html(text)
        except TooComplex:
            errors[key] = str(TOO_COMPLEX_MESSAGE)
    return errors


def _check_audience(author: User, page: Page | None, visibility: str, group) -> None:
    refusal = policy.audience_refusal(author, page, visibility, group)
    if refusal:
        raise PermissionDenied(refusal)


def _check_side_fields(author: User, before: dict, after: dict) -> None:
    for key, side in SIDE_FIELDS.items():
        if before.get(key) != after.get(key) and not policy.may(author, "write_voice", side):
            if side == "nord":
                raise PermissionDenied(_("La section « Regard du Nord » est écrite par les contributeurs du Nord."))
            raise PermissionDenied(_("La section « Regard du Sud » est écrite par les contributeurs du Sud."))


def _unique_slug(base: str, page_id: int | None = None) -> str:
    slug, n = base, 1
    while True:
        page, _ = find_page(slug)
        if page is None or page.id == page_id:
            return slug
        n += 1
        slug = f"{base[:75]}-{n}"


def _page_titled(title: str, base_slug: str) -> Page | None:
    """The page whose title makes the same address as `title` before truncation (same words,
    whatever the accents and case), among those at `base_slug` or a suffixed form of it."""
    wanted = slugify(title, max_length=MAX_SLUG_SOURCE)
    candidates = db.session.scalars(select(Page).where(
        (Page.slug == base_slug) | Page.slug.startswith(f"{base_slug[:75]}-", autoescape=True)).order_by(Page.id))
    return next((page for page in candidates if slugify(page.title, max_length=MAX_SLUG_SOURCE) == wanted), None)


def _add_revision(page: Page, content: dict, author: User, base_number: int | None) -> Revision:
    number = (page.current.number + 1) if page.current else 1
    revision = Revision(page=page, number=number, base_number=base_number, title=content["title"],
                        body=content["body"], fields=content["fields"], themes=content["themes"],
                        author_id=author.id, author_side=author.side, summary=content["summary"],
                        visibility=content["visibility"], group=content["group"])
    db.session.add(revision)
    db.session.flush()
    page.current_revision_id = revision.id
    page.title = content["title"]
    page.themes = content["themes"]
    page.visibility = content["visibility"]
    page.group = content["group"]
    page.updated_at = revision.created_at
    _record_change(page)
    return revision


def _record_change(page: Page) -> None:
    db.session.add(PageChange(page_id=page.id))


def _after_commit() -> None:
    search.catch_up(background=True)


@unit_of_work
def create_page(*, author: User, title: str, body: str = "", kind: str = Kind.PAGE,
                visibility: str = Visibility.MEMBRES, group=None, themes: list | None = None,
                fields: dict | None = None, summary: str = "", status: str | None = None,
                language: str = "fr") -> Page:
    """Create a page and its first revision; a sheet may start as a draft (status "brouillon").
    Raises PageExists when a page the author can read already has this title; a hidden one,
    or another title that makes the same (truncated) address, gives the new page a suffix."""
    policy.require(author, "create")
    content = _clean_content(title=title, body=body, kind=kind, visibility=visibility, group=group,
                             themes=themes or [], fields=fields, summary=summary or "Création")
    _check_audience(author, None, content["visibility"], group)
    _check_side_fields(author, {}, content["fields"])
    _check_language(language)
    status = status or Status.PUBLIEE
    if status not in (Status.BROUILLON, Status.PUBLIEE) or (status != Status.PUBLIEE and kind != Kind.FICHE):
        raise ValidationError({"status": _("Une nouvelle fiche est « brouillon » ou « publiee ».")})
    base_slug = slugify(content["title"])
    for _attempt in range(3):
        # Free address first, then the check: a page created in between (PostgreSQL reads
        # each statement afresh) is seen by the check instead of pushing us to "-2".
        slug = _unique_slug(base_slug)
        existing = _page_titled(content["title"], base_slug)
        if existing is not None and policy.may(author, "read", existing):
            raise PageExists(existing)
        page = Page(slug=slug, title=content["title"], kind=content["kind"],
                    visibility=content["visibility"], group=group, themes=content["themes"], status=status,
                    origin_side=author.side, language=language)
        db.session.add(page)
        try:
            db.session.flush()
            _add_revision(page, content, author, None)
            db.session.commit()
        except IntegrityError:  # PostgreSQL: created at the same moment (SQLite's BEGIN IMMEDIATE rules it out)
            db.session.rollback()
            continue
        _after_commit()
        follows.follow_after_edit(author, page)
        return page
    raise ValidationError({"title": _("Une page de ce titre vient d'être créée ; rechargez et réessayez.")})


def _content_of(page: Page, revision: Revision) -> dict:
    return dict(title=revision.title, body=revision.body, kind=page.kind, visibility=revision.visibility,
                group=revision.group, themes=list(revision.themes or []), fields=dict(revision.fields or {}),
                summary="")


def _merge_value(key: str, base, theirs, mine, conflicts: list[str]):
    if mine == base or mine == theirs:
        return theirs
    if theirs == base:
        return mine
    if isinstance(base, str) and isinstance(theirs, str) and isinstance(mine, str) and key != "title":
        try:
            return merge_text(base, theirs, mine)
        except MergeConflict:
            pass
    conflicts.append(key)
    return mine


def _three_way(base: dict, theirs: dict, mine: dict) -> tuple[dict, list[str]]:
    conflicts: list[str] = []
    merged = {}
    for key in ("title", "body", "visibility", "group", "themes"):
        merged[key] = _merge_value(key, base[key], theirs[key], mine[key], conflicts)
    merged["fields"] = {}
    for key in set(base["fields"]) | set(theirs["fields"]) | set(mine["fields"]):
        value = _merge_value(f"fields.{key}", base["fields"].get(key), theirs["fields"].get(key),
                             mine["fields"].get(key), conflicts)
        if value not in (None, "", []):
            merged["fields"][key] = value
    merged["kind"], merged["summary"] = mine["kind"], mine["summary"]
    return merged, conflicts


@unit_of_work
def update_page(page: Page, *, author: User, base_revision: int | None, title: str, body: str,
                visibility: str | None = None, group=..., themes: list | None = None,
                fields: dict | None = None, summary: str = "", status: str | None = None,
                language: str | None = None) -> SaveResult:
    """Save an edit started from `base_revision`. Non-overlapping concurrent changes are
    merged; overlapping ones raise EditConflict and nothing is saved. A substantive edit of
    a validated sheet returns it to « publiée »."""
    policy.require(author, "edit", page)
    current = page.current
    base_revision = current.number if base_revision is None else base_revision
    base = get_revision(author, page, base_revision) if base_revision != current.number else current
    base_content = _content_of(page, base)
    mine = _clean_content(
        title=title, body=body, kind=page.kind,
        visibility=page.visibility if visibility is None else visibility,
        group=page.group if group is ... else group,
        themes=base_content["themes"] if themes is None else themes,
        fields=base_content["fields"] if fields is None else fields, summary=summary, saved=current)
    _check_side_fields(author, base_content["fields"], mine["fields"])
    theirs = _content_of(page, current)
    merged_flag = base is not current
    if merged_flag:
        mine, conflicts = _three_way(base_content, theirs, mine)
        if conflicts:
            raise EditConflict(current=current, mine=dict(title=title, body=body, summary=summary),
                               fields_in_conflict=conflicts)
    _check_audience(author, page, mine["visibility"], mine["group"])
    status_changed = _change_status(page, author, status)
    language_changed = language is not None and language != page.language
    if language_changed:  # like the status: a property of the page, not of its versions
        _check_language(language)
        page.language = language
    if all(mine[k] == theirs[k] for k in ("title", "body", "visibility", "group", "themes", "fields")):
        if status_changed or language_changed:
            _record_change(page)
            db.session.commit()
            _after_commit()
        return SaveResult(page, current, created_revision=False, merged=merged_flag)
    if page.status == Status.VALIDEE and is_substantive_change(theirs, mine):
        _set_status(page, Status.PUBLIEE)
    if mine["title"] != page.title:
        _rename(page, mine["title"])
    if (mine["visibility"], mine["group"]) != (page.visibility, page.group):
        audit.record(author, "page.visibility", f"page:{page.slug}", {
            "title": mine["title"], "old": page.visibility, "new": mine["visibility"],
            "old_group": page.group.slug if page.group else None,
            "new_group": mine["group"].slug if mine["group"] else None})
    try:  # the flush in _add_revision is where a duplicate revision number shows up
        revision = _add_revision(page, mine, author, base_revision)
        db.session.commit()
    except IntegrityError:  # PostgreSQL: another save took this revision number first: merge against it
        db.session.rollback()
        db.session.refresh(page)
        return update_page(page, author=author, base_revision=base_revision, title=title, body=body,
                           visibility=visibility, group=group, themes=themes, fields=fields, summary=summary,
                           status=status, language=language)
    _after_commit()
    follows.follow_after_edit(author, page)
    return SaveResult(page, revision, created_revision=True, merged=merged_flag)


def _check_language(language: str) -> None:
    if language not in CONTENT_LANGUAGES:
        raise ValidationError({"language": _("Langue inconnue : %(codes)s.", codes=", ".join(CONTENT_LANGUAGES))})


def _change_status(page: Page, author: User, status: str | None) -> bool:
    """Apply a status asked in an edit: publish a draft, or (coordinators) back to draft."""
    if status is None or status == page.status:
        return False
    if page.kind != Kind.FICHE or status not in (Status.BROUILLON, Status.PUBLIEE):
        raise ValidationError({"status": _("Statut invalide : « brouillon » ou « publiee » (la validation a son "
                                           "action).")})
    if status == Status.BROUILLON:
        policy.require(author, "unpublish")
    _set_status(page, status)
    return True


def _set_status(page: Page, status: str, validator: User | None = None) -> None:
    page.status = status
    page.validated_by_id = validator.id if validator else None
    page.validated_at = utcnow() if validator else None


@unit_of_work
def validate_sheet(page: Page, *, by: User) -> None:
    """A contributor of the other side confirms the sheet reflects the shared project."""
    reason = policy.validation_refusal(by, page)
    if reason:
        raise PermissionDenied(reason)
    _set_status(page, Status.VALIDEE, validator=by)
    _record_change(page)
    db.session.commit()
    _after_commit()


def _rename(page: Page, new_title: str) -> None:
    """A new title gives a new address; the old one keeps working as a redirect."""
    new_slug = _unique_slug(slugify(new_title), page.id)
    if new_slug == page.slug:
        return
    old_alias = db.session.scalar(select(PageAlias).where(PageAlias.slug == new_slug))
    if old_alias is not None:  # renamed back to an old title
        db.session.delete(old_alias)
        db.session.flush()
    db.session.add(PageAlias(slug=page.slug, page_id=page.id))
    page.slug = new_slug


@unit_of_work
def revert_page(page: Page, number: int, *, author: User) -> SaveResult:
    """Make an old revision's content current again, as a new revision."""
    policy.require(author, "revert", page)
    old = get_revision(author, page, number)
    current = page.current
    return update_page(page, author=author, base_revision=current.number, title=old.title, body=old.body,
                       themes=list(old.themes or []), fields=_keep_other_side(author, old, current),
                       summary=f"Retour à la version {number}")


def _keep_other_side(author: User, old: Revision, current: Revision) -> dict:
    """A revert restores every section the author may write; the other side's voice stays."""
    fields = dict(old.fields or {})
    for key, side in SIDE_FIELDS.items():
        if not policy.may(author, "write_voice", side):
            fields.pop(key, None)
            if (current.fields or {}).get(key):
                fields[key] = current.fields[key]
    return fields


@unit_of_work
def set_deleted(page: Page, deleted: bool, *, by: User) -> None:
    """Soft delete or restore (coordinators)."""
    policy.require(by, "delete" if deleted else "restore")
    page.is_deleted = deleted
    page.updated_at = utcnow()
    _record_change(page)
    audit.record(by, "page.delete" if deleted else "page.restore", f"page:{page.slug}", {"title": page.title})
    db.session.commit()
    _after_commit()
