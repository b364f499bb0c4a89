"""Directory of organisations (Nord and Sud): listing with filters, edits, members, citing sheets."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from .. import policy
from ..auth.models import Side, User
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..markup import slugify
from ..pages.models import Kind, Page, Revision
from .models import Organisation

TEXT_LIMITS = {"name": 200, "kind": 60, "town": 120, "region": 120, "description": 5000,
               "website": 300, "contact": 300}
EDITABLE = ("name", "side", "kind", "town", "region", "description", "website", "contact")
DEFAULT_KINDS = ("association", "collectivité", "comité de jumelage", "ONG", "école", "coopérative",
                 "groupement", "service de l'État")
# Addresses under /annuaire/ that an organisation's slug must not take.
RESERVED_SLUGS = {"nouvelle"}
PARTNER_FIELDS = ("partners_nord", "partners_sud")
CREATE_REFUSED = _l("Seuls les coordinateurs ajoutent des organisations.")


def _fold(text: str | None) -> str:
    """Case- and accent-insensitive key (« Ségou » and « segou » match)."""
    return slugify(text or "", max_length=200)


# Reading ---------------------------------------------------------------------------

def list_organisations(side: str | None = None, kind: str | None = None,
                       region: str | None = None) -> list[Organisation]:
    """Organisations sorted by name; `kind` and `region` ignore case and accents."""
    query = select(Organisation).order_by(func.lower(Organisation.name))
    if side:
        query = query.where(Organisation.side == side)
    organisations = list(db.session.scalars(query))
    # Folded in Python: SQLite's lower() ignores accents, and the directory stays small.
    if kind:
        organisations = [o for o in organisations if _fold(o.kind) == _fold(kind)]
    if region:
        organisations = [o for o in organisations if _fold(o.region) == _fold(region)]
    return organisations


def count_by_side(kind: str | None = None, region: str | None = None) -> dict[str, int]:
    """How many organisations each side has under the other filters (side → count)."""
    counts = {side.value: 0 for side in Side}
    for organisation in list_organisations(kind=kind, region=region):
        counts[organisation.side] = counts.get(organisation.side, 0) + 1
    return counts


def list_kinds() -> list[str]:
    """Filter and form choices: the usual kinds, then any other kind already in use."""
    known = {_fold(k) for k in DEFAULT_KINDS}
    used = sorted({k for k in db.session.scalars(select(Organisation.kind).distinct()) if k and _fold(k) not in known},
                  key=str.lower)
    return [*DEFAULT_KINDS, *used]


def list_regions() -> list[str]:
    """Regions in use, one spelling each, sorted."""
    regions: dict[str, str] = {}
    for region in db.session.scalars(select(Organisation.region).distinct()):
        if region and _fold(region):
            regions.setdefault(_fold(region), region)
    return sorted(regions.values(), key=_fold)


def get_organisation(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotFound(_("Cette organisation n'existe pas."))
    return organisation


def find_organisation(slug: str | None) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug)) if slug else None


def members_of(organisation: Organisation) -> list[User]:
    """Active accounts attached to the organisation, by name."""
    return list(db.session.scalars(
        select(User).where(User.organisation_id == organisation.id, User.is_enabled.is_(True))
        .order_by(func.lower(User.name), User.id)))


def sheets_citing(organisation: Organisation, viewer) -> list[Page]:
    """Experience sheets `viewer` may read whose current revision names the organisation
    (by slug or by name) among its Nord or Sud partners; newest first."""
    names = {organisation.slug, _fold(organisation.name)}
    query = (select(Page, Revision.fields).join(Revision, Revision.id == Page.current_revision_id)
             .where(policy.readable_clause(viewer), Page.is_deleted.is_(False), Page.kind == Kind.FICHE)
             .order_by(Page.updated_at.desc(), Page.id.desc()))
    return [page for page, fields in db.session.execute(query)
            if any(_fold(value) in names
                   for key in PARTNER_FIELDS for value in (fields or {}).get(key) or [] if isinstance(value, str))]


# Writing ---------------------------------------------------------------------------

def _clean(values: dict, *, current: Organisation | None = None) -> dict:
    """Check and normalise organisation values; raise ValidationError with messages for the reader."""
    errors = {}
    unknown = set(values) - set(EDITABLE)
    for key in sorted(unknown):
        errors[str(key)[:50]] = _("Champ inconnu.")
    cleaned = {}
    for key, limit in TEXT_LIMITS.items():
        if key not in values:
            continue
        value = values[key]
        if value is None:
            value = ""
        if not isinstance(value, str) or len(value) > limit:
            errors[key] = _("Texte de %(max)d caractères au plus attendu.", max=limit)
        else:
            cleaned[key] = value.replace("\r\n", "\n").strip()
    if "name" in cleaned:
        cleaned["name"] = " ".join(cleaned["name"].split())
        slug = slugify(cleaned["name"])
        if not slug:
            errors["name"] = _("Le nom est obligatoire.")
        elif current is None and slug in RESERVED_SLUGS:
            errors["name"] = _("Ce nom est réservé ; précisez-le (ville, sigle…).")
        else:
            other = find_organisation(slug)
            if other is not None and other is not current:
                errors["name"] = _("Cette organisation est déjà dans l'annuaire.")
    if "kind" in cleaned:
        cleaned["kind"] = " ".join(cleaned["kind"].split()) or "association"
    if "side" in values:
        if not isinstance(values["side"], str) or values["side"] not in {s.value for s in Side}:
            errors["side"] = _("Le côté doit être nord ou sud.")
        else:
            cleaned["side"] = values["side"]
    if cleaned.get("website"):
        parts = urlsplit(cleaned["website"])
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in cleaned["website"]):
            errors["website"] = _("Le site doit être une adresse commençant par http:// ou https://.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def create_organisation(*, name: str, side: str, kind: str = "association", town: str = "", region: str = "",
                        description: str = "", website: str = "", contact: str = "",
                        by) -> Organisation:
    """Coordinators add organisations to the directory (by=policy.SYSTEM: command line, demo)."""
    policy.require(by, "manage", message=CREATE_REFUSED)
    values = _clean(dict(name=name, side=side, kind=kind, town=town, region=region, description=description,
                         website=website, contact=contact))
    organisation = Organisation(slug=slugify(values["name"]), **values)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def update_organisation(organisation: Organisation, *, by, **values) -> Organisation:
    """Change some of name, side, kind, town, region, description, website, contact.

    Coordinators and the organisation's own contributors may (by=policy.SYSTEM: command line).
    The slug never changes, so links from sheets and elsewhere keep working after a rename."""
    policy.require(by, "edit_organisation", organisation)
    cleaned = _clean(values, current=organisation)
    for key, value in cleaned.items():
        setattr(organisation, key, value)
    db.session.commit()
    return organisation
