"""The structured fields of an event (kind `evenement`), their checks, and its times.

Times are entered as wall-clock times with their time zone and stored so (what the organiser
wrote); every event is shown in France's and Mali's time, which differ by one hour in winter
and two in summer (Mali keeps UTC all year)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import ValidationError

EVENT_KINDS = {
    "formation": _l("Session de formation"),
    "comite": _l("Comité de pilotage"),
    "rencontre": _l("Rencontre annuelle"),
    "reunion": _l("Réunion de groupe"),
    "autre": _l("Autre"),
}
# The network's two time zones, in the order every event shows them.
TIME_ZONES = {"Europe/Paris": _l("heure de France"), "Africa/Bamako": _l("heure du Mali")}
EVENT_FIELDS = ("event_kind", "starts", "ends", "timezone", "place", "online_url", "minutes")
LOCAL_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2})(:00)?")
URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
MAX_PLACE, MAX_URL = 200, 500
MAX_DURATION = timedelta(days=31)


def parse_local(value: str) -> datetime | None:
    """"2027-03-28T10:00" (seconds :00 and a space accepted) as a naive wall-clock time."""
    match = LOCAL_TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return datetime.fromisoformat(f"{match[1]}T{match[2]}")
    except ValueError:
        return None


def _exists_in(local: datetime, zone: ZoneInfo) -> bool:
    """False for a time skipped when clocks go forward (02:30 in Paris on the last Sunday of March)."""
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


def clean_event_fields(raw) -> dict:
    """Validate the `fields` of an event; return them normalised, without empty values."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValidationError({"fields": _("Les champs doivent former un objet.")})
    errors, fields = {}, {}
    for key, value in raw.items():
        if key not in EVENT_FIELDS:
            errors[str(key)[:50]] = _("Champ inconnu.")
        elif value in (None, ""):
            continue
        elif not isinstance(value, str):
            errors[key] = _("Un texte est attendu.")
        else:
            fields[key] = value.strip()
    kind = fields.setdefault("event_kind", "autre")
    if kind not in EVENT_KINDS:
        errors["event_kind"] = _("Type d'événement inconnu.")
    zone_name = fields.setdefault("timezone", "Europe/Paris")
    if zone_name not in TIME_ZONES:
        errors["timezone"] = _("Fuseau horaire inconnu (Europe/Paris ou Africa/Bamako).")
    times = {}
    for key in ("starts", "ends"):
        if key not in fields:
            continue
        local = parse_local(fields[key])
        if local is None:
            errors[key] = _("Une date et une heure sont attendues (AAAA-MM-JJ HH:MM).")
        elif zone_name in TIME_ZONES and not _exists_in(local, ZoneInfo(zone_name)):
            errors[key] = _("Cette heure n'existe pas ce jour-là (passage à l'heure d'été) : choisissez-en une autre.")
        else:
            times[key] = local
            fields[key] = local.strftime("%Y-%m-%dT%H:%M")
    if "starts" not in fields:
        errors["starts"] = _("Indiquez la date et l'heure de début.")
    if "starts" in times and "ends" in times and not (
            times["starts"] <= times["ends"] <= times["starts"] + MAX_DURATION):
        errors["ends"] = _("La fin suit le début, de 31 jours au plus.")
    if len(fields.get("place", "")) > MAX_PLACE:
        errors["place"] = _("Un texte de %(max)d caractères au plus est attendu.", max=MAX_PLACE)
    url = fields.get("online_url")
    if url is not None and (len(url) > MAX_URL or not URL.fullmatch(url)):
        errors["online_url"] = _("Une adresse web (https://…) est attendue.")
    if not fields.get("place") and not url:
        errors["place"] = _("Indiquez le lieu (une ville) ou le lien de la réunion en ligne.")
    if len(fields.get("minutes", "")) > 120:
        errors["minutes"] = _("Adresse de page trop longue.")
    if errors:
        raise ValidationError(errors)
    return fields


@dataclass(frozen=True)
class Schedule:
    """When an event happens, as instants (UTC) and as written."""

    starts: datetime  # aware, UTC
    ends: datetime  # aware, UTC; the start when no end was given
    zone: str

    def local(self, zone: str, which: str = "starts") -> datetime:
        return getattr(self, which).astimezone(ZoneInfo(zone))

    def in_network_zones(self) -> list[tuple[str, datetime, datetime | None]]:
        """(zone label, local start, local end or None) in France and in Mali, the organiser's
        zone first."""
        zones = sorted(TIME_ZONES, key=lambda z: z != self.zone)
        return [(str(TIME_ZONES[z]), self.local(z), self.local(z, "ends") if self.ends != self.starts else None)
                for z in zones]


def schedule_of(fields: dict) -> Schedule | None:
    """The event's instants; None when its fields were saved without a readable start."""
    zone = fields.get("timezone") or "Europe/Paris"
    starts = parse_local(fields.get("starts") or "")
    if starts is None or zone not in TIME_ZONES:
        return None
    ends = parse_local(fields.get("ends") or "") or starts
    tz = ZoneInfo(zone)
    return Schedule(starts=starts.replace(tzinfo=tz).astimezone(UTC), ends=ends.replace(tzinfo=tz).astimezone(UTC),
                    zone=zone)
