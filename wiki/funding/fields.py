"""The structured fields of a call for funding (kind `appel`) and their checks."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..agenda.fields import MAX_URL, URL
from ..errors import ValidationError

# Who may apply: structures of the Nord, of the Sud, or a Nord and a Sud structure together.
ELIGIBILITY = {"nord": _l("Structures du Nord"), "sud": _l("Structures du Sud"),
               "conjoint": _l("Candidature conjointe Nord-Sud")}
# ISO 4217 codes; XOF is the franc CFA of West Africa (BCEAO), Mali's currency.
CURRENCIES = {"EUR": _l("euros"), "XOF": _l("francs CFA")}
CALL_FIELDS = ("funder", "link", "opens_on", "closes_on", "amount_min", "amount_max", "currency", "eligibility",
               "regions")
TEXT_LIMITS = {"funder": 200, "link": MAX_URL}
MAX_AMOUNT = 10**12
MAX_REGIONS = 20


def _date(value) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _amount(value) -> int | None:
    if isinstance(value, str) and value.strip().replace(" ", "").isascii() and value.strip().replace(" ", "").isdigit():
        value = int(value.strip().replace(" ", ""))
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_AMOUNT:
        return value
    return None


def clean_call_fields(raw) -> dict:
    """Validate the `fields` of a call; return them normalised, without empty values."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValidationError({"fields": _("Les champs doivent former un objet.")})
    errors, fields = {}, {}
    for key, value in raw.items():
        if key not in CALL_FIELDS:
            errors[str(key)[:50]] = _("Champ inconnu.")
        elif value in (None, "", []):
            continue
        elif key in ("eligibility", "regions"):
            if not isinstance(value, list) or not all(isinstance(v, str) and 0 < len(v) <= 100 for v in value) \
                    or len(value) > MAX_REGIONS:
                errors[key] = _("Une liste de %(max)d noms au plus est attendue.", max=MAX_REGIONS)
            else:
                fields[key] = list(dict.fromkeys(v.strip() for v in value if v.strip()))
        elif key in ("opens_on", "closes_on"):
            day = _date(value)
            if day is None:
                errors[key] = _("Une date est attendue (AAAA-MM-JJ).")
            else:
                fields[key] = day.isoformat()
        elif key in ("amount_min", "amount_max"):
            amount = _amount(value)
            if amount is None:
                errors[key] = _("Un montant entier positif est attendu.")
            else:
                fields[key] = amount
        elif not isinstance(value, str):
            errors[key] = _("Un texte est attendu.")
        elif value.strip():
            fields[key] = value.strip()
    if not fields.get("funder") and "funder" not in errors:
        errors["funder"] = _("Indiquez le financeur.")
    for key, limit in TEXT_LIMITS.items():
        if len(fields.get(key, "")) > limit:
            errors[key] = _("Un texte de %(max)d caractères au plus est attendu.", max=limit)
    if "link" in fields and not URL.fullmatch(fields["link"]):
        errors["link"] = _("Une adresse web (https://…) est attendue.")
    if "closes_on" not in fields and "closes_on" not in errors:
        errors["closes_on"] = _("Indiquez la date limite de dépôt.")
    if fields.get("opens_on") and fields.get("closes_on") and fields["opens_on"] > fields["closes_on"]:
        errors["closes_on"] = _("La date limite précède l'ouverture.")
    if "amount_min" in fields and "amount_max" in fields and fields["amount_min"] > fields["amount_max"]:
        errors["amount_max"] = _("Le montant maximum est inférieur au minimum.")
    if "amount_min" in fields or "amount_max" in fields:
        fields.setdefault("currency", "EUR")
    if fields.get("currency") and fields["currency"] not in CURRENCIES:
        errors["currency"] = _("Monnaie inconnue (EUR ou XOF, le franc CFA).")
    unknown = [v for v in fields.get("eligibility", []) if v not in ELIGIBILITY]
    if unknown:
        errors["eligibility"] = _("Éligibilité inconnue (nord, sud ou conjoint).")
    elif not fields.get("eligibility") and "eligibility" not in errors:
        errors["eligibility"] = _("Indiquez qui peut répondre.")
    if errors:
        raise ValidationError(errors)
    return fields


def closes_on(fields: dict) -> date | None:
    return _date(fields.get("closes_on"))


def opens_on(fields: dict) -> date | None:
    return _date(fields.get("opens_on"))
