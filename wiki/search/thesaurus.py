"""Thesaurus: editing the synonym groups and expanding a query with them."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import policy
from ..cache import fragments
from ..errors import NotFound, ValidationError
from ..extensions import db
from .models import SynonymGroup
from .text import fold

SEED_GROUPS = (
    ("ONG", "association"),
    ("CSCOM", "centre de santé communautaire"),
    ("ASACO", "association de santé communautaire"),
    ("PTF", "partenaire technique et financier", "bailleur"),
    ("ECSI", "éducation à la citoyenneté et à la solidarité internationale"),
    ("AEP", "adduction d'eau potable"),
    ("AGR", "activité génératrice de revenus"),
    ("jumelage", "comité de jumelage"),
    ("MGF", "excision", "mutilations génitales féminines"),
)


def list_groups() -> list[SynonymGroup]:
    return list(db.session.scalars(select(SynonymGroup).order_by(SynonymGroup.id)))


def _terms(text: str) -> list[str]:
    terms = [" ".join(t.split()) for t in re.split(r"[|\n]", text or "")]
    terms = list(dict.fromkeys(t for t in terms if t))
    if len(terms) < 2 or any(len(t) > 100 for t in terms) or len(" | ".join(terms)) > 500:
        raise ValidationError({"terms": _("Indiquez au moins deux termes séparés par « | » (100 caractères "
                                          "au plus chacun).")})
    return terms


def save_group(text: str, *, by, group_id: int | None = None) -> SynonymGroup:
    policy.require(by, "manage")
    terms = " | ".join(_terms(text))
    group = db.session.get(SynonymGroup, group_id) if group_id else SynonymGroup()
    if group is None:
        raise NotFound(_("Ce groupe de synonymes n'existe pas."))
    group.terms = terms
    db.session.add(group)
    db.session.commit()
    return group


def delete_group(group_id: int, *, by) -> None:
    policy.require(by, "manage")
    group = db.session.get(SynonymGroup, group_id)
    if group is None:
        raise NotFound(_("Ce groupe de synonymes n'existe pas."))
    db.session.delete(group)
    db.session.commit()


def seed_thesaurus() -> int:
    if db.session.scalar(select(func.count(SynonymGroup.id))):
        return 0
    for terms in SEED_GROUPS:
        db.session.add(SynonymGroup(terms=" | ".join(terms)))
    db.session.commit()
    return len(SEED_GROUPS)


def synonym_sets() -> list[list[str]]:
    """Each group as folded terms, longest first (so phrases win over their words), written
    as queries are once cleaned (apostrophes become spaces)."""
    def normalise(term: str) -> str:
        return " ".join(re.sub(r"['’`]", " ", fold(term)).split())

    def load():  # every search needs it: read again only after a write (a shared list: never modified)
        return [sorted({normalise(t) for t in g.terms.split("|") if t.strip()}, key=len, reverse=True)
                for g in list_groups()]

    return fragments.memo("synonym_sets", load)
