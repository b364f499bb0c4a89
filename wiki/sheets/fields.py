"""The structured fields of an experience sheet (API keys of DESIGN.md) and their checks."""
from __future__ import annotations

import re

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import ValidationError
from ..i18n import DEFAULT

LIST_FIELDS = ("partners_nord", "partners_sud")
YEAR_FIELDS = ("period_start", "period_end")
TEXT_FIELDS = (
    "region", "cercle", "commune", "town_fr", "abstract", "funders", "budget", "beneficiaries",
    "context", "objectives", "actions", "results", "difficulties", "success_factors", "lessons",
    "recommendations", "sustainability", "contacts", "regard_nord", "regard_sud",
)
SHEET_FIELDS = TEXT_FIELDS[:4] + YEAR_FIELDS + LIST_FIELDS + TEXT_FIELDS[4:]
# Each "regard" is written by its own side only (coordinators write both).
SIDE_FIELDS = {"regard_nord": "nord", "regard_sud": "sud"}
MAX_FIELD_LENGTH = 20_000


def clean_fields(raw) -> dict:
    """Validate the `fields` object of a sheet; return it without empty values."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValidationError({"fields": _("Les champs doivent former un objet.")})
    errors, fields = {}, {}
    for key, value in raw.items():
        if key not in SHEET_FIELDS:
            errors[str(key)[:50]] = _("Champ inconnu.")
        elif value in (None, "", []):
            continue
        elif key in LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in value) \
                    or len(value) > 50:
                errors[key] = _("Une liste de noms (50 au plus, 200 caractères chacun) est attendue.")
            else:
                fields[key] = [v.strip() for v in value if v.strip()]
        elif key in YEAR_FIELDS:
            if isinstance(value, str) and re.fullmatch(r"[0-9]{1,4}", value.strip()):
                value = int(value.strip())
            if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2100:
                errors[key] = _("Une année entre 1900 et 2100 est attendue.")
            else:
                fields[key] = value
        elif not isinstance(value, str) or len(value) > MAX_FIELD_LENGTH:
            errors[key] = _("Un texte de %(max)d caractères au plus est attendu.", max=MAX_FIELD_LENGTH)
        elif value.strip():
            fields[key] = value.strip()
    if not errors and fields.get("period_start") and fields.get("period_end") \
            and fields["period_start"] > fields["period_end"]:
        errors["period_end"] = _("La fin de la période précède son début.")
    if errors:
        raise ValidationError(errors)
    return fields


# Labels, section titles and default questions are interface text: lazy strings, read in the
# language of each request (str() them where a str is needed: JSON, a session, a join).
LABELS = {
    "abstract": _l("Résumé"),
    "region": _l("Région (Mali)"),
    "cercle": _l("Cercle"),
    "commune": _l("Commune"),
    "town_fr": _l("Ville ou commune (France)"),
    "period_start": _l("Début (année)"),
    "period_end": _l("Fin (année)"),
    "partners_nord": _l("Partenaires du Nord"),
    "partners_sud": _l("Partenaires du Sud"),
    "beneficiaries": _l("Bénéficiaires"),
    "funders": _l("Financeurs"),
    "budget": _l("Budget"),
    "contacts": _l("Contacts"),
    "context": _l("Contexte"),
    "objectives": _l("Objectifs"),
    "actions": _l("Démarche et actions"),
    "results": _l("Résultats"),
    "difficulties": _l("Difficultés et réponses apportées"),
    "success_factors": _l("Facteurs clés de succès"),
    "lessons": _l("Enseignements"),
    "recommendations": _l("Recommandations pour qui voudrait refaire"),
    "sustainability": _l("Pérennité"),
    "regard_nord": _l("Regard du Nord"),
    "regard_sud": _l("Regard du Sud"),
}

# The form's groups, in reading order (title, themes and group sit in "Identité" too).
SECTIONS = (
    (_l("Identité"), ("abstract",)),
    (_l("Où et quand"), ("region", "cercle", "commune", "town_fr", "period_start", "period_end")),
    (_l("Qui"), ("partners_nord", "partners_sud", "beneficiaries", "funders", "budget", "contacts")),
    (_l("Le projet"), ("context", "objectives", "actions", "results")),
    (_l("Ce que nous en retenons"), ("difficulties", "success_factors", "lessons", "recommendations",
                                     "sustainability")),
    (_l("Regards croisés"), ("regard_nord", "regard_sud")),
)

# Guiding questions shown as help; coordinators can reword them (SectionGuide rows).
DEFAULT_GUIDES = {
    "abstract": _l("En trois phrases : qu'avez-vous fait, pour qui, avec quel résultat ?"),
    "region": _l("Pour un projet au Mali : la région, puis le cercle et la commune."),
    "town_fr": _l("Pour une action en France (ECSI, sensibilisation…) : la ville."),
    "period_start": _l("Années de début et de fin du projet (la fin peut rester vide s'il continue)."),
    "partners_nord": _l("Les structures du Nord engagées : choisissez dans l'annuaire ou écrivez-les, une par ligne."),
    "partners_sud": _l("Les structures du Sud engagées : choisissez dans l'annuaire ou écrivez-les, une par ligne."),
    "beneficiaries": _l("Qui a bénéficié du projet, combien de personnes, comment ont-elles été associées ?"),
    "funders": _l("Qui a financé (collectivités, agences, fondations, cotisations…) ?"),
    "budget": _l("Montant total et grandes masses, en euros ou en francs CFA."),
    "contacts": _l("Qui peut en parler ? (les noms restent visibles des seuls membres si la fiche l'est)"),
    "context": _l("Quelle situation a fait naître le projet ? Qui l'a demandé ?"),
    "objectives": _l("Qu'espériez-vous changer ?"),
    "actions": _l("Comment avez-vous procédé, étape par étape ?"),
    "results": _l("Qu'est-ce qui a changé, concrètement ? Avec quels chiffres ?"),
    "difficulties": _l("Qu'est-ce qui a coincé, et comment y avez-vous répondu ?"),
    "success_factors": _l("Sans quoi cela n'aurait pas marché ?"),
    "lessons": _l("Que retenez-vous, que feriez-vous autrement ?"),
    "recommendations": _l("Quels conseils pour une structure qui voudrait refaire ce projet ?"),
    "sustainability": _l("Qu'est-ce qui continue sans vous ? Qui entretient, qui finance la suite ?"),
    "regard_nord": _l("Le point de vue des partenaires du Nord, écrit par eux."),
    "regard_sud": _l("Le point de vue des partenaires du Sud, écrit par eux."),
}


def in_french(text) -> str:
    """A lazy interface string in the source language (French), whatever the reader's."""
    with force_locale(DEFAULT):
        return str(text)


# Sections gathered across sheets on the « Ce que nous avons appris » page.
LESSON_FIELDS = ("difficulties", "lessons", "recommendations")


def is_substantive_change(before: dict, after: dict) -> bool:
    """A change of title, text or any section but the two « regards » (adding a voice keeps
    a sheet validated; changing what the project was does not)."""
    if before["title"] != after["title"] or before["body"] != after["body"]:
        return True
    keys = (set(before["fields"]) | set(after["fields"])) - set(SIDE_FIELDS)
    return any(before["fields"].get(k) != after["fields"].get(k) for k in keys)


MAX_YEARS = 50  # a period longer than this is a typo; its first years stand for it


def sheet_years(fields: dict, updated_at) -> list[int]:
    """The years a page belongs to (search facets, the group page's filter): a sheet's period,
    an open one (« depuis 2019 ») running to its last update; else the year of the last update."""
    start, end = (fields.get(key) for key in YEAR_FIELDS)
    start, end = (value if isinstance(value, int) else None for value in (start, end))
    if start is None and end is None:
        return [updated_at.year]
    start = start if start is not None else end
    end = end if end is not None else max(start, updated_at.year)
    return list(range(min(start, end), max(start, end) + 1))[:MAX_YEARS]
