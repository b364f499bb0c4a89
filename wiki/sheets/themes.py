"""The list of themes coordinators keep, and the names every sheet shows."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import policy
from ..cache import fragments
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..markup import slugify
from ..pages.models import Page, PageChange
from .models import Theme

# Sectors used by French decentralised cooperation networks; coordinators edit the list. These
# are the first names stored in the database (content the coordinators rename, and what search
# indexes), not interface text: they are not translated.
SEED_THEMES = (
    "Eau et assainissement", "Santé", "Éducation", "Agriculture et alimentation", "Développement économique",
    "Environnement", "Énergie", "Culture", "Jeunesse", "Genre", "Gouvernance locale", "Formation",
    "Éducation à la citoyenneté et à la solidarité internationale (ECSI)",
)
SEED_SLUGS = {"Éducation à la citoyenneté et à la solidarité internationale (ECSI)": "ecsi"}


# Themes ------------------------------------------------------------------------

def list_themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)))


def theme_names() -> dict[str, str]:
    """slug → display name; themes outside the managed list show their slug. Shown on every
    sheet: kept per process until the next write, a copy for each caller."""
    return dict(fragments.memo("theme_names", lambda: dict(db.session.execute(select(Theme.slug, Theme.name)).all())))


def seed_themes() -> int:
    """Fill an empty themes list with the default sectors (first `init`); returns how many."""
    if db.session.scalar(select(func.count(Theme.id))):
        return 0
    for position, name in enumerate(SEED_THEMES):
        db.session.add(Theme(slug=SEED_SLUGS.get(name, slugify(name)), name=name, position=position))
    db.session.commit()
    return len(SEED_THEMES)


def add_theme(name: str, *, by) -> Theme:
    policy.require(by, "manage")
    name = " ".join(str(name or "").split())
    slug = slugify(name)
    if not slug or len(name) > 120:
        raise ValidationError({"name": _("Le nom du thème est obligatoire (120 caractères au plus).")})
    if db.session.scalar(select(Theme).where(Theme.slug == slug)):
        raise ValidationError({"name": _("Ce thème existe déjà.")})
    last = db.session.scalar(select(func.max(Theme.position))) or 0
    theme = Theme(slug=slug, name=name, position=last + 1)
    db.session.add(theme)
    db.session.commit()
    return theme


def rename_theme(theme_id: int, name: str, *, by) -> Theme:
    """A new display name; the slug stays, so sheets keep their theme. The sheets that have it
    are noted in the change feed: the search index shows the new name."""
    policy.require(by, "manage")
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise NotFound(_("Ce thème n'existe pas."))
    name = " ".join(str(name or "").split())
    if not name or len(name) > 120:
        raise ValidationError({"name": _("Le nom du thème est obligatoire (120 caractères au plus).")})
    theme.name = name
    for page_id, themes in db.session.execute(select(Page.id, Page.themes)):
        if theme.slug in (themes or []):  # a short JSON list: filtered here to stay portable
            db.session.add(PageChange(page_id=page_id))
    db.session.commit()
    return theme


def remove_theme(theme_id: int, *, by) -> None:
    """Take a theme out of the list offered in forms; sheets that use it keep it."""
    policy.require(by, "manage")
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise NotFound(_("Ce thème n'existe pas."))
    db.session.delete(theme)
    db.session.commit()
