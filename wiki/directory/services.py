"""Directory of organisations (Nord and Sud)."""
from __future__ import annotations

from sqlalchemy import func, select

from ..auth.models import Role, Side, User
from ..auth.permissions import PermissionDenied, has_role
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..markup import slugify
from .models import Organisation

TEXT_LIMITS = {"name": 200, "kind": 60, "town": 120, "region": 120, "description": 5000}


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(func.lower(Organisation.name))))


def get_organisation(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotFound("Cette organisation n'existe pas.")
    return organisation


def find_organisation(slug: str | None) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug)) if slug else None


def create_organisation(*, name: str, side: str, kind: str = "association", town: str = "", region: str = "",
                        description: str = "", by: User | None) -> Organisation:
    """Coordinators add organisations to the directory (by=None: command line, demo)."""
    if by is not None and not has_role(by, Role.COORDINATEUR):
        raise PermissionDenied()
    values = dict(name=name, kind=kind, town=town, region=region, description=description)
    errors = {}
    for key, limit in TEXT_LIMITS.items():
        if not isinstance(values[key], str) or len(values[key]) > limit:
            errors[key] = f"Texte de {limit} caractères au plus attendu."
        else:
            values[key] = values[key].strip()
    if not errors and not slugify(values["name"]):
        errors["name"] = "Le nom est obligatoire."
    if side not in set(Side):
        errors["side"] = "Le côté doit être nord ou sud."
    if errors:
        raise ValidationError(errors)
    slug = slugify(values["name"])
    if find_organisation(slug):
        raise ValidationError({"name": "Cette organisation est déjà dans l'annuaire."})
    organisation = Organisation(slug=slug, side=side, **values)
    db.session.add(organisation)
    db.session.commit()
    return organisation
