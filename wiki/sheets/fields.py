"""The structured fields of an experience sheet (API keys of DESIGN.md) and their checks."""
from __future__ import annotations

from ..errors import ValidationError

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
        raise ValidationError({"fields": "Les champs doivent former un objet."})
    errors, fields = {}, {}
    for key, value in raw.items():
        if key not in SHEET_FIELDS:
            errors[str(key)[:50]] = "Champ inconnu."
        elif value in (None, "", []):
            continue
        elif key in LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in value) \
                    or len(value) > 50:
                errors[key] = "Une liste de noms (50 au plus, 200 caractères chacun) est attendue."
            else:
                fields[key] = [v.strip() for v in value if v.strip()]
        elif key in YEAR_FIELDS:
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2100:
                errors[key] = "Une année entre 1900 et 2100 est attendue."
            else:
                fields[key] = value
        elif not isinstance(value, str) or len(value) > MAX_FIELD_LENGTH:
            errors[key] = f"Un texte de {MAX_FIELD_LENGTH} caractères au plus est attendu."
        elif value.strip():
            fields[key] = value.strip()
    if not errors and fields.get("period_start") and fields.get("period_end") \
            and fields["period_start"] > fields["period_end"]:
        errors["period_end"] = "La fin de la période précède son début."
    if errors:
        raise ValidationError(errors)
    return fields
