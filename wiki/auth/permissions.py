"""The one place that decides who may do what (the roles table of DESIGN.md).

Two forms of the same rules: `can(user, action, obj)` for one object, and
`readable_pages_clause(user)` to filter listings inside the database query."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, false, or_, select, true
from sqlalchemy.orm import aliased

from ..extensions import db
from ..groups.models import GroupMember
from .models import Role

# Minimum role for actions that do not depend on a page's visibility.
ROLE_FOR_ACTION = {
    "create": Role.CONTRIBUTEUR,
    "edit": Role.CONTRIBUTEUR,
    "revert": Role.CONTRIBUTEUR,
    "delete": Role.COORDINATEUR,
    "restore": Role.COORDINATEUR,
    "make_public": Role.COORDINATEUR,
    "manage": Role.COORDINATEUR,
}


class PermissionDenied(Exception):
    """Raised by services; views answer 403 (or 404 when the object must stay hidden)."""


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, role: Role) -> bool:
    return is_member(user) and user.has_role(role)


def group_ids(user) -> frozenset[int]:
    """Ids of the groups the user belongs to, cached on the user object for the request."""
    if not is_member(user):
        return frozenset()
    cached = getattr(user, "_group_ids", None)
    if cached is None:
        cached = frozenset(db.session.scalars(
            select(GroupMember.group_id).where(GroupMember.user_id == user.id)))
        user._group_ids = cached
    return cached


def is_author(user, page) -> bool:
    """True when the user wrote any revision of the page."""
    from ..pages.models import Revision

    return is_member(user) and db.session.scalar(
        select(Revision.id).where(Revision.page_id == page.id, Revision.author_id == user.id).limit(1)) is not None


def can_read(user, page) -> bool:
    if has_role(user, Role.COORDINATEUR):
        return True
    if page.is_deleted:
        return False
    if page.status == "brouillon" and not is_author(user, page):
        return False  # a draft is for its authors (and coordinators)
    if page.visibility == "public":
        return True
    if not is_member(user):
        return False
    if page.visibility == "membres":
        return True
    return page.group_id is not None and page.group_id in group_ids(user)


def can(user, action: str, obj=None) -> bool:
    """True when `user` (possibly anonymous) may do `action` on `obj`."""
    if action == "read":
        return can_read(user, obj)
    role = ROLE_FOR_ACTION.get(action)
    if role is None:
        raise ValueError(f"unknown action {action!r}")
    if not has_role(user, role):
        return False
    if obj is not None and action in ("edit", "revert"):
        return can_read(user, obj) and not obj.is_deleted
    return True


_own_revision = None


def _own_revision_alias():
    """One alias of page_revisions for the draft rule, made once: building a new alias on
    every call costs SQLAlchemy more (column adaptation) than running the query."""
    global _own_revision
    if _own_revision is None:
        from ..pages.models import Revision  # pages depend on auth, not the reverse

        _own_revision = aliased(Revision, name="own_revision")
    return _own_revision


def readable_pages_clause(user):
    """SQL condition equivalent to can_read, for listings and counts."""
    from ..pages.models import Page  # pages depend on auth, not the reverse

    if has_role(user, Role.COORDINATEUR):
        return true()
    clauses = [Page.visibility == "public"]
    not_a_draft = Page.status != "brouillon"
    if is_member(user):
        clauses.append(Page.visibility == "membres")
        groups = group_ids(user)
        if groups:
            clauses.append((Page.visibility == "groupe") & Page.group_id.in_(groups))
        own = _own_revision_alias()  # aliased: callers may select revisions themselves
        not_a_draft = not_a_draft | exists().where(own.page_id == Page.id, own.author_id == user.id)
    return (Page.is_deleted == false()) & not_a_draft & or_(*clauses)


def role_required(role: Role):
    """View decorator: login required, then at least `role` (403 otherwise)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from .. import extensions
            if not is_member(current_user):
                return extensions.login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
