"""Sheet rules beyond pages: guiding questions, places, partners, lessons across sheets."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from flask import has_request_context
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from .. import policy
from ..directory.models import Organisation
from ..errors import ValidationError
from ..extensions import db
from ..markup import slugify
from ..pages import services as pages
from ..pages.diff import word_diff
from ..pages.models import Kind, Page, Revision
from .fields import DEFAULT_GUIDES, LABELS, LESSON_FIELDS, SHEET_FIELDS, in_french
from .models import SectionGuide

# Guiding questions ---------------------------------------------------------------

def guiding_questions() -> dict[str, str]:
    """Each section's question: a coordinator's wording as written, else the default in the
    reader's language."""
    questions = {field: str(question) for field, question in DEFAULT_GUIDES.items()}
    questions.update({g.field: g.question for g in db.session.scalars(select(SectionGuide))})
    return questions


def set_guiding_questions(values: dict[str, str], *, by) -> None:
    """Coordinators reword the help of each section; an empty text restores the default."""
    policy.require(by, "manage")
    stored = {g.field: g for g in db.session.scalars(select(SectionGuide))}
    for field, text in values.items():
        if field not in SHEET_FIELDS:
            raise ValidationError({field[:40]: _("Section inconnue.")})
        text = " ".join(str(text or "").split())
        if len(text) > 500:
            raise ValidationError({field: _("500 caractères au plus.")})
        if not text or text in _default_wordings(field):
            if field in stored:
                db.session.delete(stored[field])
        elif field in stored:
            stored[field].question = text
        else:
            db.session.add(SectionGuide(field=field, question=text))
    db.session.commit()


def _default_wordings(field: str) -> set[str]:
    """The default question in French and, during a request, in the coordinator's language
    (the form shows it so): sent back unchanged, either one is the default, not a rewording."""
    default = DEFAULT_GUIDES.get(field)
    if default is None:
        return set()
    return {in_french(default), str(default)} if has_request_context() else {in_french(default)}


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
    if start:
        return _("depuis %(year)s", year=start)
    return _("jusqu'en %(year)s", year=end) if end else ""


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
        changes.append((_("Thèmes"), word_diff(", ".join(old.themes or []), ", ".join(new.themes or []))))
    for key in SHEET_FIELDS:
        before, after = _as_text(old_fields.get(key)), _as_text(new_fields.get(key))
        if before != after:
            changes.append((str(LABELS[key]), word_diff(before, after)))
    return changes


def gather_lessons(viewer, *, theme: str | None = None, group_id: int | None = None,
                   limit: int = 200) -> list[tuple[Page, dict[str, str]]]:
    """Difficulties, lessons and recommendations of every sheet `viewer` may read."""
    sheets, _total = pages.list_pages(viewer, kind=Kind.FICHE, theme=theme, group_id=group_id, limit=limit)
    gathered = []
    for page in sheets:
        fields = page.current.fields or {}
        found = {key: fields[key] for key in LESSON_FIELDS if fields.get(key)}
        if found:
            gathered.append((page, found))
    return gathered

