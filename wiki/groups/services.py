"""Thematic groups: creation, membership (join requests, animators) and the group home."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from itertools import islice
from types import SimpleNamespace
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import false, func, select
from sqlalchemy.orm import joinedload

from .. import policy
from ..audit import services as audit
from ..auth.models import Side, User
from ..cache import fragments
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..markup import slugify
from ..models import utcnow
from ..pages import reciprocity
from ..pages.models import Kind, Page, Revision, Status
from ..sheets.fields import sheet_years
from ..sheets.themes import theme_names
from .models import Group, GroupMember, GroupRequest

# Addresses under /groupes/ that a group slug must not take.
RESERVED_SLUGS = frozenset({"nouveau"})
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
    """Groups a user may reserve a page to."""
    return [group for group in list_groups() if policy.may(user, "reserve", group)]


def get_group(slug: str) -> Group:
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        raise NotFound(_("Ce groupe n'existe pas."))
    return group


def find_group(slug: str | None) -> Group | None:
    return db.session.scalar(select(Group).where(Group.slug == slug)) if slug else None


def members_of(group: Group) -> list[GroupMember]:
    return list(db.session.scalars(select(GroupMember).where(GroupMember.group_id == group.id)
                                   .options(joinedload(GroupMember.user)).order_by(GroupMember.id)))


def _membership(group: Group, user) -> GroupMember | None:
    return db.session.scalar(select(GroupMember).where(GroupMember.group_id == group.id,
                                                       GroupMember.user_id == user.id))


def missing_animator_sides(memberships: list[GroupMember]) -> list[str]:
    """Sides ("nord", "sud") with no co-animator: a group wants one of each."""
    present = {m.user.side for m in memberships if m.is_animator}
    return [side.value for side in Side if side.value not in present]


def pending_request(group: Group, user) -> GroupRequest | None:
    """The user's own request to join, if one waits."""
    if not policy.may(user, "join_group"):
        return None
    return db.session.scalar(select(GroupRequest).where(GroupRequest.group_id == group.id,
                                                        GroupRequest.user_id == user.id))


# Creating and editing --------------------------------------------------------

def _clean_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > 200 or not slugify(name):
        raise ValidationError({"name": _("Le nom du groupe est obligatoire (200 caractères au plus).")})
    return name


def _clean_description(description) -> str:
    if not isinstance(description, str) or len(description) > 5000:
        raise ValidationError({"description": _("La description ne peut dépasser 5000 caractères.")})
    return description.strip()


def create_group(*, name: str, description: str = "", by) -> Group:
    """Coordinators create groups (by=policy.SYSTEM: the command line)."""
    policy.require(by, "manage")
    name, description = _clean_name(name), _clean_description(description)
    slug = slugify(name)
    if slug in RESERVED_SLUGS:
        raise ValidationError({"name": _("Ce nom est réservé ; choisissez-en un autre.")})
    if find_group(slug):
        raise ValidationError({"name": _("Un groupe porte déjà ce nom.")})
    group = Group(slug=slug, name=name, description=description)
    db.session.add(group)
    db.session.commit()
    return group


def update_group(group: Group, by, *, name: str | None = None,
                 description: str | None = None) -> Group:
    """Coordinators and co-animators who are contributors rename a group or change its
    description; the address (slug) stays, so links keep working."""
    policy.require(by, "lead_group", group)
    before = (group.name, group.description)
    if name is not None:
        name = _clean_name(name)
        taken = db.session.scalar(select(Group.id).where(
            Group.id != group.id, (Group.slug == slugify(name)) | (func.lower(Group.name) == name.lower())))
        if taken is not None:
            raise ValidationError({"name": _("Un groupe porte déjà ce nom.")})
        group.name = name
    if description is not None:
        group.description = _clean_description(description)
    if (group.name, group.description) != before and by is not policy.SYSTEM:
        audit.record(by, "group.update", f"group:{group.slug}", {
            "old_name": before[0], "new_name": group.name, "description_changed": group.description != before[1]})
    db.session.commit()
    return group


# Membership ------------------------------------------------------------------

def _record(by, action: str, group: Group, user: User, **details) -> None:
    if by is not policy.SYSTEM:  # a member's action (the command line is the operator's)
        audit.record(by, action, f"group:{group.slug}", {"user": user.id, "name": user.name, **details})


def add_member(group: Group, user: User, *, animator: bool = False, by) -> GroupMember:
    """Coordinators and the group's animators add members (idempotent); naming (or unnaming)
    a co-animator is for who leads the group. A pending request of that person is settled."""
    policy.require(by, "manage_group", group)
    membership = _membership(group, user)
    if bool(animator) != (membership is not None and membership.is_animator):
        policy.require(by, "lead_group", group)
    if membership is None:
        membership = GroupMember(group=group, user_id=user.id, is_animator=bool(animator))
        db.session.add(membership)
        _record(by, "group.member_add", group, user, animator=bool(animator))
    elif membership.is_animator != bool(animator):
        membership.is_animator = bool(animator)
        _record(by, "group.animator", group, user, animator=bool(animator))
    waiting = pending_request(group, user)
    if waiting is not None:
        db.session.delete(waiting)
    db.session.commit()
    policy.forget_reader()
    return membership


def request_to_join(group: Group, user, message: str = "") -> GroupRequest:
    """A member of the network asks to join; an animator decides. Asking again keeps the
    first request (with the newer message)."""
    policy.require(user, "join_group")
    if _membership(group, user) is not None:
        raise ValidationError({"group": _("Vous êtes déjà membre de ce groupe.")})
    message = " ".join(str(message or "").split())
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": _("Le message ne peut dépasser %(max)d caractères.", max=MAX_MESSAGE)})
    request = pending_request(group, user)
    if request is None:
        request = GroupRequest(group=group, user_id=user.id, message=message)
        db.session.add(request)
    elif message:
        request.message = message
    db.session.commit()
    return request


def list_requests(group: Group, by) -> list[GroupRequest]:
    """Pending requests, oldest first (animators and coordinators)."""
    policy.require(by, "manage_group", group)
    return list(db.session.scalars(select(GroupRequest).where(GroupRequest.group_id == group.id)
                                   .order_by(GroupRequest.created_at, GroupRequest.id)))


def _get_request(request_id: int, group: Group | None) -> GroupRequest:
    request = db.session.get(GroupRequest, request_id)
    if request is None or (group is not None and request.group_id != group.id):
        raise NotFound(_("Cette demande n'existe plus."))
    return request


def approve_request(request_id: int, by, *, group: Group | None = None) -> GroupMember:
    """The requester becomes a member (animators of that group, coordinators)."""
    request = _get_request(request_id, group)
    policy.require(by, "manage_group", request.group)
    group, user = request.group, request.user
    membership = _membership(group, user)
    if membership is None:
        membership = GroupMember(group=group, user_id=user.id)
        db.session.add(membership)
        _record(by, "group.member_add", group, user, animator=False, request=True)
    db.session.delete(request)
    db.session.commit()
    policy.forget_reader()
    return membership


def decline_request(request_id: int, by, *, group: Group | None = None) -> None:
    """Refuse a request (animators of that group, coordinators); the person may ask again."""
    request = _get_request(request_id, group)
    policy.require(by, "manage_group", request.group)
    db.session.delete(request)
    db.session.commit()


def remove_member(group: Group, user: User, by) -> None:
    """Anyone may leave a group; who else removes whom: policy's remove_member."""
    membership = _membership(group, user)
    if membership is None:
        if policy.reader_of(by).user_id != user.id:  # tells nothing to who may not manage the group
            policy.require(by, "manage_group", group)
        raise NotFound(_("Cette personne n'est pas membre du groupe."))
    policy.require(by, "remove_member", membership)
    db.session.delete(membership)
    _record(by, "group.member_remove", group, user, animator=membership.is_animator)
    db.session.commit()
    policy.forget_reader()


def set_animator(group: Group, user: User, animator: bool, by) -> GroupMember:
    """Make a member a co-animator, or not (who leads the group: policy's lead_group)."""
    policy.require(by, "lead_group", group)
    membership = _membership(group, user)
    if membership is None:
        raise NotFound(_("Cette personne n'est pas membre du groupe."))
    if membership.is_animator != bool(animator):
        membership.is_animator = bool(animator)
        _record(by, "group.animator", group, user, animator=bool(animator))
    db.session.commit()
    return membership


# The group home --------------------------------------------------------------
#
# The home lists a group's pages with filters (region, theme, year) whose choices come from
# the pages the reader may read. Region and years live in the current revision's JSON fields,
# which no portable index reaches: reading them for every page of the group on each request
# cost tens of milliseconds at 10,000 sheets. So what the home needs of each page of the group
# (a compact row: id, title, kind, date, region, themes, years, missing « regard ») and its
# latest revisions are read once per data version and per read class (policy.read_class:
# readers who may read the same pages), and kept by wiki/cache/fragments.memo until the next
# committed write. Filters, counts, choices and pagination then run on those rows; a request
# only adds the drafts it may read (a short indexed query). Every row comes from a query
# filtered by policy.readable_clause (revisions: readable_revisions_clause), built for
# policy.class_reader, which stands for the whole read class.

SHEETS_PER_PAGE = 30  # sheets listed per page of the group home
PAGES_SHOWN = 30  # other pages listed (newest first), with a link to all of them
ACTIVITY_SIZE = 10
WAITING_SIZE = 20  # sheets waiting for their other « regard » (reciprocity box)
MAX_GROUP_PAGES = 500  # list_group_pages (the API) answers at most this many

FILTER_FIELDS = ("region", "period_start", "period_end")  # what the filters read in a sheet's fields
VOICE_FIELDS = ("regard_nord", "regard_sud")  # only whether each is empty (the reciprocity box)


class _Entry(NamedTuple):
    """One page of the group as the lists show it (same attribute names as Page) and as the
    filters read it."""

    id: int
    slug: str
    title: str
    kind: str
    visibility: str
    updated_at: datetime
    region: str | None
    themes: tuple[str, ...]
    years: frozenset[int]
    waiting_for: str | None  # a sheet's missing « regard » ("nord", "sud"), as reciprocity.missing_voice says


class _Activity(NamedTuple):
    """A revision as the activity list shows it (same attribute names as Revision)."""

    id: int
    number: int
    title: str
    summary: str
    created_at: datetime
    author_side: str
    author: SimpleNamespace | None  # .name
    page: SimpleNamespace  # .slug


def _newest_first(entry: _Entry):
    return entry.updated_at, entry.id  # with reverse=True: the SQL order (updated_at, id) descending


@dataclass(frozen=True)
class _Index:
    """What one reader class may read of a group (drafts aside)."""

    entries: tuple[_Entry, ...]  # newest first
    sheets: tuple[_Entry, ...]  # the entries split by kind, for the unfiltered lists
    others: tuple[_Entry, ...]
    regions: frozenset[str]
    themes: frozenset[str]
    years: frozenset[int]
    activity: tuple[_Activity, ...]  # newest first, ACTIVITY_SIZE at most
    contributions: dict[str, int]  # revisions saved since `since`, by side
    since: datetime  # 12 months before the index was built, on `day`
    day: date


@cache
def _entry_columns() -> tuple:
    """Built once: making the JSON expressions costs more than running the drafts query."""
    voices = [func.coalesce(Revision.fields[key].as_string(), "") != "" for key in VOICE_FIELDS]
    return (Page.id, Page.slug, Page.title, Page.kind, Page.visibility, Page.updated_at, Page.themes,
            Page.origin_side, *voices, *(Revision.fields[key] for key in FILTER_FIELDS))


def _entries(group: Group, clause) -> list[_Entry]:
    """The group's pages matching `clause`, newest first: of the revisions' JSON, only the
    few fields the filters read."""
    query = (select(*_entry_columns())
             .join(Revision, Revision.id == Page.current_revision_id)
             .where(clause, Page.is_deleted == false(), Page.group_id == group.id)
             .order_by(Page.updated_at.desc(), Page.id.desc()))
    entries = []
    for page_id, slug, title, kind, visibility, updated_at, themes, origin_side, *values in db.session.execute(query):
        voiced = {key: bool(value) for key, value in zip(VOICE_FIELDS, values)}
        fields = {key: value for key, value in zip(FILTER_FIELDS, values[len(VOICE_FIELDS):]) if value is not None}
        region = fields.get("region")
        waiting_for = None
        if kind == Kind.FICHE:
            waiting_for = reciprocity.missing_voice(SimpleNamespace(origin_side=origin_side), voiced)
        entries.append(_Entry(page_id, slug, title, kind, visibility, updated_at,
                              region if isinstance(region, str) and region else None,
                              tuple(t for t in (themes or []) if isinstance(t, str)),
                              frozenset(sheet_years(fields, updated_at)), waiting_for))
    return entries


def _activity_ids(group: Group, clause, limit: int = ACTIVITY_SIZE) -> list[int]:
    """Ids of the last revisions saved on the group's pages matching `clause` (on revisions)."""
    return list(db.session.scalars(
        select(Revision.id).join(Page, Revision.page_id == Page.id)
        .where(clause, Page.is_deleted == false(), Page.group_id == group.id)
        .order_by(Revision.id.desc()).limit(limit)))


def _activity(group: Group, clause) -> list[_Activity]:
    """The last revisions on the group's pages matching `clause`, as plain rows."""
    # Ids first (an index-only sort), then the few revisions themselves.
    ids = _activity_ids(group, clause)
    if not ids:
        return []
    query = (select(Revision.id, Revision.number, Revision.title, Revision.summary, Revision.created_at,
                    Revision.author_side, User.name, Page.slug)
             .join(Page, Revision.page_id == Page.id).outerjoin(User, Revision.author_id == User.id)
             .where(Revision.id.in_(ids)).order_by(Revision.id.desc()))
    return [_Activity(rid, number, title, summary or "", created_at, side,
                      SimpleNamespace(name=name) if name is not None else None, SimpleNamespace(slug=slug))
            for rid, number, title, summary, created_at, side, name, slug in db.session.execute(query)]


def _contributions(group: Group, clause, since: datetime) -> dict[str, int]:
    """As reciprocity.contribution_counts, on the group's pages matching `clause`."""
    counts = dict.fromkeys(reciprocity.SIDES, 0)
    for side, count in db.session.execute(
            select(Revision.author_side, func.count(Revision.id)).join(Page, Revision.page_id == Page.id)
            .where(clause, Page.is_deleted == false(), Page.group_id == group.id, Revision.created_at >= since)
            .group_by(Revision.author_side)):
        if side in counts:
            counts[side] = count
    return counts


def _reading(group: Group, viewer) -> tuple[_Index, list[_Entry]]:
    """(what the viewer's read class may read of the group, drafts aside, kept until the next
    write; the viewer's readable drafts in the group, read for each request)."""

    def build() -> _Index:
        reader = policy.class_reader(viewer, group_id=group.id)
        published = Page.status != Status.BROUILLON
        shared = policy.readable_clause(reader) & published
        revisions = policy.readable_revisions_clause(reader) & published
        entries = _entries(group, shared)
        now = utcnow()
        since = reciprocity.months_ago(now, 12)
        return _Index(entries=tuple(entries), sheets=tuple(e for e in entries if e.kind == Kind.FICHE),
                      others=tuple(e for e in entries if e.kind != Kind.FICHE),
                      regions=frozenset(e.region for e in entries if e.region),
                      themes=frozenset(t for e in entries for t in e.themes),
                      years=frozenset(y for e in entries for y in e.years),
                      activity=tuple(_activity(group, revisions)),
                      contributions=_contributions(group, revisions, since), since=since, day=now.date())

    index = fragments.memo(f"groups.home:{group.id}:{policy.read_class(viewer, group_id=group.id)}", build)
    # The group's drafts are few (an index on group and status): the rule picks the viewer's.
    drafts = _entries(group, policy.readable_clause(viewer) & (Page.status == Status.BROUILLON))
    return index, drafts


def _all_entries(index: _Index, drafts: list[_Entry]):
    return sorted((*index.entries, *drafts), key=_newest_first, reverse=True) if drafts else index.entries


def _matches(entry: _Entry, region: str | None, theme: str | None, year: int | None) -> bool:
    return ((not region or entry.region == region) and (not theme or theme in entry.themes)
            and (not year or year in entry.years))


def list_group_pages(group: Group, viewer, *, region: str | None = None, theme: str | None = None,
                     year: int | None = None, limit: int = MAX_GROUP_PAGES) -> list[Page]:
    """The group's pages `viewer` may read, newest first, filtered by a sheet's region,
    a theme and a year (within a sheet's period, else the year of the last update)."""
    index, drafts = _reading(group, viewer)
    ids = [e.id for e in _all_entries(index, drafts) if _matches(e, region, theme, year)][:limit]
    if not ids:
        return []
    loaded = {page.id: page for page in db.session.scalars(select(Page).where(Page.id.in_(ids)))}
    return [loaded[i] for i in ids if i in loaded]


def latest_activity(group: Group, viewer, limit: int = ACTIVITY_SIZE) -> list[Revision]:
    """The last revisions saved on the group's pages that `viewer` may read."""
    ids = _activity_ids(group, policy.readable_revisions_clause(viewer), limit)
    if not ids:
        return []
    return list(db.session.scalars(select(Revision).where(Revision.id.in_(ids))
                                   .options(joinedload(Revision.page), joinedload(Revision.author))
                                   .order_by(Revision.id.desc())))


@dataclass
class GroupHome:
    """What the group page shows to one viewer. Pages and revisions are plain rows with the
    attributes the templates read (slug, title, kind, visibility, updated_at; number,
    author, page.slug…), not database objects."""

    group: Group
    show_names: bool  # member names are for logged-in members only
    animators: list[GroupMember]
    members_by_side: dict[str, list[GroupMember]]
    member_counts: dict[str, int]
    missing_animator_sides: list[str]
    pages: list[_Entry]  # the newest PAGES_SHOWN matching pages that are not sheets
    sheets: list[_Entry]  # one page (SHEETS_PER_PAGE) of the matching sheets
    activity: list[_Activity]
    contributions: dict[str, int]
    waiting: list[tuple[_Entry, str]]
    sheet_count: int = 0  # matching sheets, all pages of the list
    page_count: int = 0
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
               year: int | None = None, page: int = 1, per_page: int = SHEETS_PER_PAGE) -> GroupHome:
    """Animators, members by side (names for members only, counts for visitors), missing
    animator sides, one page of the filtered sheets and the newest other pages, latest
    activity and reciprocity numbers. Filter choices and counts cover only what `viewer`
    may read."""
    memberships = list(db.session.scalars(
        select(GroupMember).where(GroupMember.group_id == group.id)
        .options(joinedload(GroupMember.user).joinedload(User.organisation))))
    memberships.sort(key=lambda m: (m.user.name.lower(), m.id))
    show_names = policy.may(viewer, "see_people")
    by_side = {side.value: [m for m in memberships if m.user.side == side.value] for side in Side}

    index, drafts = _reading(group, viewer)
    all_entries = _all_entries(index, drafts)
    if region or theme or year or drafts:
        entries = [e for e in all_entries if _matches(e, region, theme, year)]
        sheets = [e for e in entries if e.kind == Kind.FICHE]
        others = [e for e in entries if e.kind != Kind.FICHE]
    else:
        sheets, others = index.sheets, index.others
    offset = max(page - 1, 0) * per_page
    shown = sheets[offset:offset + per_page]
    # The reciprocity box lists readable sheets still waiting for a « regard », whatever the
    # filters (as reciprocity.sheets_waiting_for_voice, without reading every sheet's JSON).
    waiting = list(islice((e for e in all_entries if e.kind == Kind.FICHE and e.waiting_for), WAITING_SIZE))

    activity, contributions = list(index.activity), dict(index.contributions)
    if drafts:  # the reader's own drafts add their revisions
        own = Page.id.in_([e.id for e in drafts]) & policy.readable_revisions_clause(viewer)
        activity = sorted(activity + _activity(group, own), key=lambda r: r.id, reverse=True)[:ACTIVITY_SIZE]
        extra = _contributions(group, own, index.since)
        contributions = {side: n + extra[side] for side, n in contributions.items()}
    fresh = index.day == utcnow().date()
    if not fresh:  # kept past midnight without any write: count afresh
        contributions = reciprocity.contribution_counts(viewer, group_id=group.id)

    names = theme_names()
    theme_slugs = index.themes.union(*(e.themes for e in drafts))
    reader_id = policy.reader_of(viewer).user_id
    membership = next((m for m in memberships if m.user_id == reader_id), None) if reader_id else None
    can_manage = policy.may(viewer, "manage_group", group)
    return GroupHome(
        group=group,
        show_names=show_names,
        animators=[m for m in memberships if m.is_animator] if show_names else [],
        members_by_side=by_side if show_names else {side: [] for side in by_side},
        member_counts={side: len(items) for side, items in by_side.items()},
        missing_animator_sides=missing_animator_sides(memberships),
        pages=list(others[:PAGES_SHOWN]),
        sheets=list(shown),
        sheet_count=len(sheets),
        page_count=len(others),
        activity=activity,
        contributions=contributions,
        waiting=[(e, e.waiting_for) for e in waiting],
        regions=sorted(index.regions.union(e.region for e in drafts if e.region), key=str.lower),
        themes=sorted(((slug, names.get(slug, slug)) for slug in theme_slugs), key=lambda t: t[1].lower()),
        years=sorted(index.years.union(*(e.years for e in drafts)), reverse=True),
        region_of={e.id: e.region for e in shown if e.region},
        is_member=bool(membership),
        can_manage=can_manage,
        pending_request=None if membership else pending_request(group, viewer),
        requests_count=len(list_requests(group, viewer)) if can_manage else 0,
    )
