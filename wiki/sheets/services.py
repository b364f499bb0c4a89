"""Sheet rules beyond pages: themes list, guiding questions, places, lessons across sheets."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from markupsafe import Markup
from sqlalchemy import func, select

from ..auth.models import Role, User
from ..auth.permissions import PermissionDenied, has_role
from ..directory.models import Organisation
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..markup import slugify
from ..pages import services as pages
from ..pages.diff import word_diff
from ..pages.models import Kind, Page, Revision
from .fields import DEFAULT_GUIDES, LABELS, LESSON_FIELDS, SHEET_FIELDS, SIDE_FIELDS
from .models import SectionGuide, Theme

# Sectors used by French decentralised cooperation networks; coordinators edit the list.
SEED_THEMES = (
    "Eau et assainissement", "Santé", "Éducation", "Agriculture et alimentation", "Développement économique",
    "Environnement", "Énergie", "Culture", "Jeunesse", "Genre", "Gouvernance locale", "Formation",
    "Éducation à la citoyenneté et à la solidarité internationale (ECSI)",
)
SEED_SLUGS = {"Éducation à la citoyenneté et à la solidarité internationale (ECSI)": "ecsi"}


def _require_coordinator(user: User | None) -> None:
    if user is not None and not has_role(user, Role.COORDINATEUR):
        raise PermissionDenied()


# Themes ------------------------------------------------------------------------

def list_themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)))


def theme_names() -> dict[str, str]:
    """slug → display name; themes outside the managed list show their slug. Shown on every
    sheet: kept per process until the next write (wiki/pagecache.py), a copy for each caller."""
    from .. import pagecache

    return dict(pagecache.memo("theme_names", lambda: dict(db.session.execute(select(Theme.slug, Theme.name)).all())))


def seed_themes() -> int:
    """Fill an empty themes list with the default sectors (first `init`); returns how many."""
    if db.session.scalar(select(func.count(Theme.id))):
        return 0
    for position, name in enumerate(SEED_THEMES):
        db.session.add(Theme(slug=SEED_SLUGS.get(name, slugify(name)), name=name, position=position))
    db.session.commit()
    return len(SEED_THEMES)


def add_theme(name: str, *, by: User | None) -> Theme:
    _require_coordinator(by)
    name = " ".join(str(name or "").split())
    slug = slugify(name)
    if not slug or len(name) > 120:
        raise ValidationError({"name": "Le nom du thème est obligatoire (120 caractères au plus)."})
    if db.session.scalar(select(Theme).where(Theme.slug == slug)):
        raise ValidationError({"name": "Ce thème existe déjà."})
    last = db.session.scalar(select(func.max(Theme.position))) or 0
    theme = Theme(slug=slug, name=name, position=last + 1)
    db.session.add(theme)
    db.session.commit()
    return theme


def rename_theme(theme_id: int, name: str, *, by: User | None) -> Theme:
    """A new display name; the slug stays, so sheets keep their theme."""
    _require_coordinator(by)
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise NotFound("Ce thème n'existe pas.")
    name = " ".join(str(name or "").split())
    if not name or len(name) > 120:
        raise ValidationError({"name": "Le nom du thème est obligatoire (120 caractères au plus)."})
    theme.name = name
    db.session.commit()
    return theme


def remove_theme(theme_id: int, *, by: User | None) -> None:
    """Take a theme out of the list offered in forms; sheets that use it keep it."""
    _require_coordinator(by)
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise NotFound("Ce thème n'existe pas.")
    db.session.delete(theme)
    db.session.commit()


# Guiding questions ---------------------------------------------------------------

def guiding_questions() -> dict[str, str]:
    questions = dict(DEFAULT_GUIDES)
    questions.update({g.field: g.question for g in db.session.scalars(select(SectionGuide))})
    return questions


def set_guiding_questions(values: dict[str, str], *, by: User | None) -> None:
    """Coordinators reword the help of each section; an empty text restores the default."""
    _require_coordinator(by)
    stored = {g.field: g for g in db.session.scalars(select(SectionGuide))}
    for field, text in values.items():
        if field not in SHEET_FIELDS:
            raise ValidationError({field[:40]: "Section inconnue."})
        text = " ".join(str(text or "").split())
        if len(text) > 500:
            raise ValidationError({field: "500 caractères au plus."})
        if not text or text == DEFAULT_GUIDES.get(field):
            if field in stored:
                db.session.delete(stored[field])
        elif field in stored:
            stored[field].question = text
        else:
            db.session.add(SectionGuide(field=field, question=text))
    db.session.commit()


# Places ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def mali_regions() -> dict[str, list[str]]:
    """Region → cercles, from the data file shipped in the package."""
    data = json.loads(resources.files("wiki").joinpath("data/mali_regions.json").read_text(encoding="utf-8"))
    return {region: cercles for region, cercles in data.items() if not region.startswith("_")}


def place_label(fields: dict) -> str:
    parts = [fields.get("commune"), fields.get("cercle"), fields.get("region"), fields.get("town_fr")]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def period_label(fields: dict) -> str:
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end:
        return str(start) if start == end else f"{start}–{end}"
    return f"depuis {start}" if start else (f"jusqu'en {end}" if end else "")


# Partners ------------------------------------------------------------------------

def partners(fields: dict, *keys: str) -> list[tuple[str, Organisation | None]] | tuple[list, ...]:
    """(name shown, directory entry if any) for each partner, given by slug or typed name.
    With several keys (one directory query for all), one such list per key."""
    values = [fields.get(key) or [] for key in keys]
    slugs = [slugify(v) for vs in values for v in vs]
    by_slug = {o.slug: o for o in db.session.scalars(
        select(Organisation).where(Organisation.slug.in_(slugs)))} if slugs else {}
    lists = tuple([(by_slug[slugify(v)].name, by_slug[slugify(v)]) if slugify(v) in by_slug else (v, None)
                   for v in vs] for vs in values)
    return lists[0] if len(keys) == 1 else lists


# Voices and status -----------------------------------------------------------------

def missing_voices(revision: Revision) -> list[str]:
    fields = revision.fields or {}
    return [side for key, side in SIDE_FIELDS.items() if not fields.get(key)]


def can_write_voice(user, side: str) -> bool:
    return has_role(user, Role.COORDINATEUR) or (has_role(user, Role.CONTRIBUTEUR) and user.side == side)


# Comparing and gathering ------------------------------------------------------------

def _as_text(value) -> str:
    if value is None:
        return ""
    return "\n".join(value) if isinstance(value, list) else str(value)


def section_diff(old: Revision, new: Revision) -> list[tuple[str, Markup]]:
    """(section label, word diff) for every section that changed between two revisions."""
    changes = []
    old_fields, new_fields = old.fields or {}, new.fields or {}
    if (old.themes or []) != (new.themes or []):
        changes.append(("Thèmes", word_diff(", ".join(old.themes or []), ", ".join(new.themes or []))))
    for key in SHEET_FIELDS:
        before, after = _as_text(old_fields.get(key)), _as_text(new_fields.get(key))
        if before != after:
            changes.append((LABELS[key], word_diff(before, after)))
    return changes


def gather_lessons(viewer, *, theme: str | None = None, group_id: int | None = None,
                   limit: int = 200) -> list[tuple[Page, dict[str, str]]]:
    """Difficulties, lessons and recommendations of every sheet `viewer` may read."""
    sheets, _ = pages.list_pages(viewer, kind=Kind.FICHE, theme=theme, group_id=group_id, limit=limit)
    gathered = []
    for page in sheets:
        fields = page.current.fields or {}
        found = {key: fields[key] for key in LESSON_FIELDS if fields.get(key)}
        if found:
            gathered.append((page, found))
    return gathered

