"""The audit log: services record coordinator actions in the same transaction as the change.

`record()` only adds the event to the session: the calling service's commit saves the
change and its trace together (or neither of them)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import AuditEvent

if TYPE_CHECKING:
    from ..auth.models import User

# Readable labels for the journal page (in the reader's language); an unknown action is shown as is.
ACTION_LABELS = {
    "user.create": _l("Compte créé"),
    "user.role": _l("Rôle changé"),
    "user.side": _l("Côté changé"),
    "user.organisation": _l("Organisation changée"),
    "user.enabled": _l("Compte activé ou désactivé"),
    "user.name": _l("Nom changé"),
    "user.totp_enable": _l("Double authentification activée"),
    "user.totp_disable": _l("Double authentification désactivée"),
    "user.totp_reset": _l("Double authentification réinitialisée"),
    "login.unlock": _l("Connexions débloquées"),
    "page.delete": _l("Page supprimée"),
    "page.restore": _l("Page rétablie"),
    "page.visibility": _l("Visibilité changée"),
    "group.update": _l("Groupe modifié"),
    "group.member_add": _l("Membre ajouté à un groupe"),
    "group.member_remove": _l("Membre retiré d'un groupe"),
    "group.animator": _l("Co-animation changée"),
}

MAX_ACTION = 60
MAX_TARGET = 200
MAX_ADDRESS = 64


def _address() -> str:
    if not has_request_context():
        return ""  # CLI, background work
    return (request.remote_addr or "")[:MAX_ADDRESS]


def record(actor: User | None, action: str, target: str = "", details: dict | None = None) -> None:
    """Add an audit event to the session WITHOUT committing: the caller's commit saves it
    atomically with the change it describes. `actor` is a user, or policy.SYSTEM for the command line."""
    actor_id = getattr(actor, "id", None) if actor is not None and getattr(actor, "is_authenticated", False) \
        else None
    db.session.add(AuditEvent(actor_id=actor_id, action=action[:MAX_ACTION], target=(target or "")[:MAX_TARGET],
                              details=dict(details or {}), address=_address()))


def list_events(page: int = 1, per_page: int = 50, action: str | None = None) -> tuple[list[AuditEvent], int]:
    """Events newest first, optionally of one action (or one family: "page." matches every
    page action), with the total count."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True) if action.endswith(".")
                            else AuditEvent.action == action)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(page, 1)
    events = db.session.scalars(query.options(selectinload(AuditEvent.actor))
                                .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
                                .limit(per_page).offset((page - 1) * per_page))
    return list(events), total


def list_actions() -> list[str]:
    """Actions present in the log, for the filter of the journal page."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
