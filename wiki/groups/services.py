"""Thematic groups: creation, membership (join requests, animators) and the group home."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import false, func, select
from sqlalchemy.orm import joinedload

from ..auth.models import Role, Side, User
from ..auth.permissions import PermissionDenied, group_ids, has_role, is_member, readable_pages_clause
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..markup import slugify
from ..pages import reciprocity
from ..pages.models import Kind, Page, Revision
from ..sheets.services import theme_names
from .models import Group, GroupMember, GroupRequest

# Addresses under /groupes/ that a group slug must not take.
RESERVED_SLUGS = frozenset({"nouveau"})
MAX_GROUP_PAGES = 500  # the group home lists at most this many readable pages
ACTIVITY_SIZE = 10
MAX_MESSAGE = 500


# Reading ---------------------------------------------------------------------

def list_groups() -> list[Group]:
    return list(db.session.scalars(select(Group).order_by(func.lower(Group.name))))


def list_groups_with_counts() -> list[tuple[Group, int]]:
    """Every group with its number of members, by name."""
    counts = (select(GroupMember.group_id, func.count(GroupMember.id).label("n"))
              .group_by(GroupMember.group_id).subquery())
    query = (select(Group, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.group_id == Group.id)
             .order_by(func.lower(Group.name)))
    return [(group, count) for group, count in db.session.execute(query)]


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


def members_of(group: Group) -> list[GroupMember]:
    return list(db.session.scalars(select(GroupMember).where(GroupMember.group_id == group.id)
                                   .options(joinedload(GroupMember.user)).order_by(GroupMember.id)))


def _membership(group: Group, user) -> GroupMember | None:
    return db.session.scalar(select(GroupMember).where(GroupMember.group_id == group.id,
                                                       GroupMember.user_id == user.id))


def is_animator(user, group: Group) -> bool:
    return has_role(user, Role.LECTEUR) and db.session.scalar(
        select(GroupMember.is_animator).where(GroupMember.group_id == group.id, GroupMember.user_id == user.id)
    ) is True


def can_manage_group(user, group: Group) -> bool:
    """Coordinators and the group's animators manage its members and description."""
    return has_role(user, Role.COORDINATEUR) or is_animator(user, group)


def _require_manager(user, group: Group) -> None:
    if user is not None and not can_manage_group(user, group):
        raise PermissionDenied("Seuls les animateurs du groupe et les coordinateurs gèrent le groupe.")


def missing_animator_sides(memberships: list[GroupMember]) -> list[str]:
    """Sides ("nord", "sud") with no co-animator: a group wants one of each."""
    present = {m.user.side for m in memberships if m.is_animator}
    return [side.value for side in Side if side.value not in present]


def pending_request(group: Group, user) -> GroupRequest | None:
    """The user's own request to join, if one waits."""
    if not is_member(user):
        return None
    return db.session.scalar(select(GroupRequest).where(GroupRequest.group_id == group.id,
                                                        GroupRequest.user_id == user.id))


# Creating and editing --------------------------------------------------------

def _clean_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > 200 or not slugify(name):
        raise ValidationError({"name": "Le nom du groupe est obligatoire (200 caractères au plus)."})
    return name


def _clean_description(description) -> str:
    if not isinstance(description, str) or len(description) > 5000:
        raise ValidationError({"description": "La description ne peut dépasser 5000 caractères."})
    return description.strip()


def create_group(*, name: str, description: str = "", by: User | None) -> Group:
    """Coordinators create groups (by=None: the command line)."""
    if by is not None and not has_role(by, Role.COORDINATEUR):
        raise PermissionDenied()
    name, description = _clean_name(name), _clean_description(description)
    slug = slugify(name)
    if slug in RESERVED_SLUGS:
        raise ValidationError({"name": "Ce nom est réservé ; choisissez-en un autre."})
    if find_group(slug):
        raise ValidationError({"name": "Un groupe porte déjà ce nom."})
    group = Group(slug=slug, name=name, description=description)
    db.session.add(group)
    db.session.commit()
    return group


def update_group(group: Group, by: User | None, *, name: str | None = None,
                 description: str | None = None) -> Group:
    """Coordinators and animators rename a group or change its description; the address
    (slug) stays, so links keep working."""
    _require_manager(by, group)
    if name is not None:
        name = _clean_name(name)
        taken = db.session.scalar(select(Group.id).where(
            Group.id != group.id, (Group.slug == slugify(name)) | (func.lower(Group.name) == name.lower())))
        if taken is not None:
            raise ValidationError({"name": "Un groupe porte déjà ce nom."})
        group.name = name
    if description is not None:
        group.description = _clean_description(description)
    db.session.commit()
    return group


# Membership ------------------------------------------------------------------

def _forget_groups(user) -> None:
    """Drop the per-request cache of permissions.group_ids after a membership change."""
    if getattr(user, "_group_ids", None) is not None:
        user._group_ids = None


def add_member(group: Group, user: User, *, animator: bool = False, by: User | None) -> GroupMember:
    """Coordinators and the group's animators add members (idempotent); a pending request
    of that person is settled by it."""
    _require_manager(by, group)
    membership = _membership(group, user)
    if membership is None:
        membership = GroupMember(group=group, user_id=user.id)
        db.session.add(membership)
    membership.is_animator = bool(animator)
    waiting = pending_request(group, user)
    if waiting is not None:
        db.session.delete(waiting)
    db.session.commit()
    _forget_groups(user)
    return membership


def request_to_join(group: Group, user, message: str = "") -> GroupRequest:
    """A member of the network asks to join; an animator decides. Asking again keeps the
    first request (with the newer message)."""
    if not is_member(user):
        raise PermissionDenied("Connectez-vous pour demander à rejoindre un groupe.")
    if _membership(group, user) is not None:
        raise ValidationError({"group": "Vous êtes déjà membre de ce groupe."})
    message = " ".join(str(message or "").split())
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": f"Le message ne peut dépasser {MAX_MESSAGE} caractères."})
    request = pending_request(group, user)
    if request is None:
        request = GroupRequest(group=group, user_id=user.id, message=message)
        db.session.add(request)
    elif message:
        request.message = message
    db.session.commit()
    return request


def list_requests(group: Group, by: User | None) -> list[GroupRequest]:
    """Pending requests, oldest first (animators and coordinators)."""
    _require_manager(by, group)
    return list(db.session.scalars(select(GroupRequest).where(GroupRequest.group_id == group.id)
                                   .order_by(GroupRequest.created_at, GroupRequest.id)))


def _get_request(request_id: int, group: Group | None) -> GroupRequest:
    request = db.session.get(GroupRequest, request_id)
    if request is None or (group is not None and request.group_id != group.id):
        raise NotFound("Cette demande n'existe plus.")
    return request


def approve_request(request_id: int, by: User | None, *, group: Group | None = None) -> GroupMember:
    """The requester becomes a member (animators of that group, coordinators)."""
    request = _get_request(request_id, group)
    _require_manager(by, request.group)
    group, user = request.group, request.user
    membership = _membership(group, user)
    if membership is None:
        membership = GroupMember(group=group, user_id=user.id)
        db.session.add(membership)
    db.session.delete(request)
    db.session.commit()
    _forget_groups(user)
    return membership


def decline_request(request_id: int, by: User | None, *, group: Group | None = None) -> None:
    """Refuse a request (animators of that group, coordinators); the person may ask again."""
    request = _get_request(request_id, group)
    _require_manager(by, request.group)
    db.session.delete(request)
    db.session.commit()


def remove_member(group: Group, user: User, by: User | None) -> None:
    """Animators and coordinators remove a member; anyone may leave a group themselves."""
    if by is None or by.id != user.id:
        _require_manager(by, group)
    membership = _membership(group, user)
    if membership is None:
        raise NotFound("Cette personne n'est pas membre du groupe.")
    db.session.delete(membership)
    db.session.commit()
    _forget_groups(user)


def set_animator(group: Group, user: User, animator: bool, by: User | None) -> GroupMember:
    """Make a member a co-animator, or not (coordinators, animators of the group)."""
    _require_manager(by, group)
    membership = _membership(group, user)
    if membership is None:
        raise NotFound("Cette personne n'est pas membre du groupe.")
    membership.is_animator = bool(animator)
    db.session.commit()
    return membership


# The group home --------------------------------------------------------------

def _page_years(page: Page, fields: dict) -> set[int]:
    """Years a page belongs to: a sheet's period (an open end runs to its last update),
    else the year of the last update."""
    start, end = fields.get("period_start"), fields.get("period_end")
    if isinstance(start, int) or isinstance(end, int):
        start = start if isinstance(start, int) else end
        end = end if isinstance(end, int) else max(start, page.updated_at.year)
        return set(range(start, end + 1))
    return {page.updated_at.year}


FILTER_FIELDS = ("region", "period_start", "period_end")  # what the filters and the list read


def _group_pages(group: Group, viewer) -> list[tuple[Page, dict]]:
    """The group's readable pages with the current fields the filters read, newest first.
    Only those fields come out of the database, not the whole JSON of every sheet."""
    query = (select(Page, *(Revision.fields[key] for key in FILTER_FIELDS))
             .join(Revision, Revision.id == Page.current_revision_id)
             .where(readable_pages_clause(viewer), Page.is_deleted == false(), Page.group_id == group.id)
             .order_by(Page.updated_at.desc(), Page.id.desc()).limit(MAX_GROUP_PAGES))
    return [(page, {key: value for key, value in zip(FILTER_FIELDS, values) if value is not None})
            for page, *values in db.session.execute(query)]


def _matches(page: Page, fields: dict, region: str | None, theme: str | None, year: int | None) -> bool:
    if region and fields.get("region") != region:
        return False
    if theme and theme not in (page.themes or []):
        return False
    return not year or year in _page_years(page, fields)


def list_group_pages(group: Group, viewer, *, region: str | None = None, theme: str | None = None,
                     year: int | None = None) -> list[Page]:
    """The group's pages `viewer` may read, newest first, filtered by a sheet's region,
    a theme and a year (within a sheet's period, else the year of the last update)."""
    return [page for page, fields in _group_pages(group, viewer) if _matches(page, fields, region, theme, year)]


def latest_activity(group: Group, viewer, limit: int = ACTIVITY_SIZE) -> list[Revision]:
    """The last revisions saved on the group's pages that `viewer` may read."""
    # Ids first (an index-only sort), then the few revisions themselves.
    ids = list(db.session.scalars(
        select(Revision.id).join(Page, Revision.page_id == Page.id)
        .where(readable_pages_clause(viewer), Page.is_deleted == false(), Page.group_id == group.id)
        .order_by(Revision.id.desc()).limit(limit)))
    if not ids:
        return []
    return list(db.session.scalars(select(Revision).where(Revision.id.in_(ids))
                                   .options(joinedload(Revision.page), joinedload(Revision.author))
                                   .order_by(Revision.id.desc())))


@dataclass
class GroupHome:
    """What the group page shows to one viewer."""

    group: Group
    show_names: bool  # member names are for logged-in members only
    animators: list[GroupMember]
    members_by_side: dict[str, list[GroupMember]]
    member_counts: dict[str, int]
    missing_animator_sides: list[str]
    pages: list[Page]
    sheets: list[Page]
    activity: list[Revision]
    contributions: dict[str, int]
    waiting: list[tuple[Page, str]]
    regions: list[str] = field(default_factory=list)  # filter choices, from the readable pages
    themes: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    years: list[int] = field(default_factory=list)
    region_of: dict[int, str] = field(default_factory=dict)  # page id → a sheet's region, for the list
    is_member: bool = False
    can_manage: bool = False
    pending_request: GroupRequest | None = None
    requests_count: int = 0

    @property
    def can_join(self) -> bool:
        return not self.is_member and self.pending_request is None


def group_home(group: Group, viewer, region: str | None = None, theme: str | None = None,
               year: int | None = None) -> GroupHome:
    """Animators, members by side (names for members only, counts for visitors), missing
    animator sides, filtered pages and sheets, latest activity and reciprocity numbers."""
    memberships = sorted(members_of(group), key=lambda m: m.user.name.lower())
    show_names = is_member(viewer)
    by_side = {side.value: [m for m in memberships if m.user.side == side.value] for side in Side}
    readable = _group_pages(group, viewer)
    matching_pairs = [(page, fields) for page, fields in readable if _matches(page, fields, region, theme, year)]
    matching = [page for page, _ in matching_pairs]
    names = theme_names()
    theme_slugs = sorted({t for page, _ in readable for t in (page.themes or [])})
    can_manage = can_manage_group(viewer, group)
    return GroupHome(
        group=group,
        show_names=show_names,
        animators=[m for m in memberships if m.is_animator] if show_names else [],
        members_by_side=by_side if show_names else {side: [] for side in by_side},
        member_counts={side: len(items) for side, items in by_side.items()},
        missing_animator_sides=missing_animator_sides(memberships),
        pages=[p for p in matching if p.kind != Kind.FICHE],
        sheets=[p for p in matching if p.kind == Kind.FICHE],
        activity=latest_activity(group, viewer),
        contributions=reciprocity.contribution_counts(viewer, group_id=group.id),
        waiting=reciprocity.sheets_waiting_for_voice(viewer, group_id=group.id),
        regions=sorted({fields["region"] for _, fields in readable if fields.get("region")}, key=str.lower),
        themes=sorted(((slug, names.get(slug, slug)) for slug in theme_slugs), key=lambda t: t[1].lower()),
        years=sorted({y for page, fields in readable for y in _page_years(page, fields)}, reverse=True),
        region_of={page.id: fields["region"] for page, fields in matching_pairs if fields.get("region")},
        is_member=group.id in group_ids(viewer),
        can_manage=can_manage,
        pending_request=pending_request(group, viewer),
        requests_count=len(list_requests(group, viewer)) if can_manage else 0,
    )
