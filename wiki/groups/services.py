"""Thematic groups: creation and membership."""
from __future__ import annotations

from sqlalchemy import func, select

from ..auth.models import Role, User
from ..auth.permissions import PermissionDenied, has_role
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..markup import slugify
from .models import Group, GroupMember


def list_groups() -> list[Group]:
    return list(db.session.scalars(select(Group).order_by(func.lower(Group.name))))


def groups_for(user) -> list[Group]:
    """Groups a user may reserve a page to: all for coordinators, else their own."""
    if has_role(user, Role.COORDINATEUR):
        return list_groups()
    if not has_role(user, Role.LECTEUR):
        return []
    return list(db.session.scalars(select(Group).join(GroupMember).where(GroupMember.user_id == user.id)
                                   .order_by(func.lower(Group.name))))


def get_group(slug: str) -> Group:
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        raise NotFound("Ce groupe n'existe pas.")
    return group


def find_group(slug: str | None) -> Group | None:
    return db.session.scalar(select(Group).where(Group.slug == slug)) if slug else None


def create_group(*, name: str, description: str = "", by: User | None) -> Group:
    """Coordinators create groups (by=None: the command line)."""
    if by is not None and not has_role(by, Role.COORDINATEUR):
        raise PermissionDenied()
    name = " ".join(str(name or "").split())
    if not name or len(name) > 200 or not slugify(name):
        raise ValidationError({"name": "Le nom du groupe est obligatoire (200 caractères au plus)."})
    if not isinstance(description, str) or len(description) > 5000:
        raise ValidationError({"description": "La description ne peut dépasser 5000 caractères."})
    slug = slugify(name)
    if find_group(slug):
        raise ValidationError({"name": "Un groupe porte déjà ce nom."})
    group = Group(slug=slug, name=name, description=description.strip())
    db.session.add(group)
    db.session.commit()
    return group


def is_animator(user, group: Group) -> bool:
    return has_role(user, Role.LECTEUR) and db.session.scalar(
        select(GroupMember.is_animator).where(GroupMember.group_id == group.id, GroupMember.user_id == user.id)
    ) is True


def add_member(group: Group, user: User, *, animator: bool = False, by: User | None) -> GroupMember:
    """Coordinators and the group's animators add members (idempotent)."""
    if by is not None and not (has_role(by, Role.COORDINATEUR) or is_animator(by, group)):
        raise PermissionDenied()
    membership = db.session.scalar(select(GroupMember).where(GroupMember.group_id == group.id,
                                                             GroupMember.user_id == user.id))
    if membership is None:
        membership = GroupMember(group=group, user_id=user.id)
        db.session.add(membership)
    membership.is_animator = bool(animator)
    db.session.commit()
    return membership


def members_of(group: Group) -> list[GroupMember]:
    return list(db.session.scalars(select(GroupMember).where(GroupMember.group_id == group.id)
                                   .order_by(GroupMember.id)))
