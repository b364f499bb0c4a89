"""Following a page, a group or a theme: « Mon fil » shows what changed in them."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import String, cast, delete, select
from sqlalchemy.exc import IntegrityError

from .. import policy
from ..extensions import db
from ..groups.models import Group
from ..pages.models import Page
from ..sheets.themes import theme_names
from .models import Follow


@dataclass(frozen=True)
class Followed:
    page_ids: frozenset[int] = field(default_factory=frozenset)
    group_ids: frozenset[int] = field(default_factory=frozenset)
    themes: frozenset[str] = field(default_factory=frozenset)


def target_key(target: str, obj) -> str:
    return obj if target == "theme" else str(obj.id)


def is_following(user, target: str, obj) -> bool:
    return user.is_authenticated and db.session.scalar(
        select(Follow.id).where(Follow.user_id == user.id, Follow.target == target,
                                Follow.key == target_key(target, obj))) is not None


def follow(user, target: str, obj) -> None:
    """Idempotent. A page is followed only by who may read it; a theme must exist."""
    if target == "page":
        policy.require(user, "read", obj)
    if target == "theme" and obj not in theme_names():
        raise ValueError(obj)
    if is_following(user, target, obj):
        return
    db.session.add(Follow(user_id=user.id, target=target, key=target_key(target, obj)))
    try:
        db.session.commit()
    except IntegrityError:  # the same follow, saved at the same moment by another request
        db.session.rollback()


def unfollow(user, target: str, obj) -> None:
    db.session.execute(delete(Follow).where(Follow.user_id == user.id, Follow.target == target,
                                            Follow.key == target_key(target, obj)))
    db.session.commit()


def follow_after_edit(user, page: Page) -> None:
    """Called once the page is saved: what members create or edit, they follow (a setting turns
    that off). Never breaks the save, which is already committed."""
    if getattr(user, "follow_own_edits", False) and user.is_authenticated:
        follow(user, "page", page)


def set_follow_own_edits(user, value: bool) -> None:
    user.follow_own_edits = bool(value)
    db.session.commit()


def followed(user) -> Followed:
    rows = db.session.execute(select(Follow.target, Follow.key).where(Follow.user_id == user.id)).all()
    ids = {target: {key for t, key in rows if t == target} for target in ("page", "group", "theme")}
    return Followed(page_ids=frozenset(int(k) for k in ids["page"]), group_ids=frozenset(int(k) for k in ids["group"]),
                    themes=frozenset(ids["theme"]))


def recently_followed_pages(user, limit: int) -> list[Page]:
    """The readable pages the member followed last, newest follow first."""
    return list(db.session.scalars(
        select(Page).join(Follow, (Follow.target == "page") & (Follow.key == cast(Page.id, String)))
        .where(Follow.user_id == user.id, policy.readable_clause(user), Page.is_deleted.is_(False))
        .order_by(Follow.id.desc()).limit(limit)))


def followed_items(user) -> dict[str, list]:
    """What the member follows, to show and unfollow: readable pages, groups, themes."""
    chosen = followed(user)
    pages = list(db.session.scalars(select(Page).where(Page.id.in_(chosen.page_ids), policy.readable_clause(user))
                                    .order_by(Page.title))) if chosen.page_ids else []
    groups = list(db.session.scalars(select(Group).where(Group.id.in_(chosen.group_ids)).order_by(Group.name))
                  ) if chosen.group_ids else []
    names = theme_names()
    return {"page": pages, "group": groups, "theme": sorted((t for t in chosen.themes if t in names), key=names.get)}
