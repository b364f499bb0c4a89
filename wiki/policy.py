"""Who may do what: the one place that holds the rules of access (DESIGN.md's roles table).

A `Reader` is who is asking, as the rules see them: a visitor, a member (role, side, groups,
organisation), or `SYSTEM`, the command line's named actor. The web and the API build it
once per request (`reader_of(current_user)`). From the rules below the policy answers:

- `may(actor, action, obj)` / `require(...)`: one decision on one object;
- `readable_clause(actor)`: the SQL condition of the pages it may read (listings, counts);
- `readable_revisions_clause(actor)`: the same for revisions (histories, contributions, activity);
- `readable_comments_clause(actor)`, `readable_news_clause(actor)`: the same for comments and news;
- `index_filter(actor)`: the same condition as a search-index query;
- `read_class(actor)`: a name shared by readers who may read exactly the same pages.

The last four are built from `readable_audiences`, the same list the object check reads, so
the answers cannot drift apart. Nothing else in `wiki/` tests a role or a side.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache, wraps
from typing import Callable

from flask import abort, current_app, has_request_context, request
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import exists, false, or_, select, true
from sqlalchemy.orm import aliased
from whoosh import query as wq

from .auth.models import Role
from .discussions.models import Comment
from .extensions import db
from .groups.models import GroupMember
from .news.models import News
from .pages.models import Kind, Page, Revision, Status, Visibility


class PermissionDenied(Exception):
    """Raised by services; views answer 403 (or 404 when the object must stay hidden)."""


_RANKS = {role.value: rank for rank, role in enumerate(Role)}


@dataclass(frozen=True)
class Reader:
    """Who asks. Immutable: built once per request, safe to share and to compare."""

    user_id: int | None = None
    role: str | None = None  # None: a visitor (or a disabled account)
    side: str | None = None
    organisation_id: int | None = None
    group_ids: frozenset[int] = field(default_factory=frozenset)
    animator_of: frozenset[int] = field(default_factory=frozenset)  # groups it co-animates
    is_system: bool = False  # the command line and the demo loader: every right

    @property
    def is_member(self) -> bool:
        return self.role is not None

    def at_least(self, role: Role) -> bool:
        return self.role is not None and _RANKS[self.role] >= _RANKS[role]


VISITOR = Reader()
SYSTEM = Reader(role=Role.COORDINATEUR.value, is_system=True)
_REQUEST_KEY = "wiki.reader"  # in the WSGI environ: one Reader per request (not g: tests share app contexts)


def reader_of(actor) -> Reader:
    """The Reader for a user (Flask-Login's current user, an API token's user, any account),
    an anonymous user, or a Reader. `None` is refused: the command line says SYSTEM."""
    if isinstance(actor, Reader):
        return actor
    if actor is None:
        raise TypeError("an actor is required (policy.SYSTEM for the command line)")
    if not (actor.is_authenticated and actor.is_active):
        return VISITOR
    if has_request_context():
        kept = request.environ.get(_REQUEST_KEY)
        if kept is not None and (kept.user_id, kept.role, kept.side, kept.organisation_id) == (
                actor.id, actor.role, actor.side, actor.organisation_id):
            return kept
    memberships = db.session.execute(
        select(GroupMember.group_id, GroupMember.is_animator).where(GroupMember.user_id == actor.id)).all()
    reader = Reader(user_id=actor.id, role=actor.role, side=actor.side, organisation_id=actor.organisation_id,
                    group_ids=frozenset(g for g, _ in memberships),
                    animator_of=frozenset(g for g, animator in memberships if animator))
    if has_request_context():
        request.environ[_REQUEST_KEY] = reader
    return reader


def forget_reader() -> None:
    """After a change of memberships in this request: the next question rebuilds the Reader."""
    if has_request_context():
        request.environ.pop(_REQUEST_KEY, None)


# Reading pages -------------------------------------------------------------------

# Who reads a page of each visibility, drafts and deleted pages aside.
EVERYONE, MEMBERS, GROUP_MEMBERS = "everyone", "members", "group members"
AUDIENCE = {Visibility.PUBLIC: EVERYONE, Visibility.MEMBRES: MEMBERS, Visibility.GROUPE: GROUP_MEMBERS}


def readable_audiences(reader: Reader) -> list[tuple[str, frozenset[int] | None]]:
    """(visibility, the groups a page of it must belong to, or None for any) that the reader
    may read: the rule below the object check, the SQL clause and the index filter."""
    allowed = []
    for visibility, audience in AUDIENCE.items():
        if audience == EVERYONE or (audience == MEMBERS and reader.is_member):
            allowed.append((visibility.value, None))
        elif audience == GROUP_MEMBERS and reader.is_member and reader.group_ids:
            allowed.append((visibility.value, reader.group_ids))
    return allowed


def _sees_everything(reader: Reader) -> bool:
    """Coordinators read every page: drafts and deleted pages (the trash) included."""
    return reader.at_least(Role.COORDINATEUR)


def _admits(reader: Reader, visibility: str, group_id: int | None) -> bool:
    return any(visibility == allowed and (groups is None or group_id in groups)
               for allowed, groups in readable_audiences(reader))


def audience_covers(outer: tuple[str, int | None], inner: tuple[str, int | None]) -> bool:
    """Whether everyone in the (visibility, group) audience `inner` is in `outer` as well: a
    comment written for `outer` may go wherever its page (now `inner`) goes, search included."""
    rank = {Visibility.PUBLIC: 0, Visibility.MEMBRES: 1, Visibility.GROUPE: 2}
    if outer[0] == Visibility.GROUPE:
        return inner == outer
    return rank[outer[0]] <= rank[inner[0]]


def _may_read(reader: Reader, page) -> bool:
    if _sees_everything(reader):
        return True
    if page.is_deleted:
        return False
    if page.status == Status.BROUILLON and not _wrote(reader, page):
        return False  # a draft is for its authors (and coordinators)
    return _admits(reader, page.visibility, page.group_id)


def _may_read_revision(reader: Reader, revision) -> bool:
    """A revision keeps the audience it was saved for: a page cleaned, then made public, does
    not publish what its older revisions said while it was reserved."""
    return _may_read(reader, revision.page) and (
        _sees_everything(reader) or _admits(reader, revision.visibility, revision.group_id))


def _may_read_comment(reader: Reader, comment) -> bool:
    """As a revision: a comment keeps the audience its page had when it was written."""
    return _may_read(reader, comment.page) and (
        _sees_everything(reader) or _admits(reader, comment.visibility, comment.group_id))


def _may_comment(reader: Reader, page) -> bool:
    """Every member who may read the page, lecteurs included: a question below a sheet is how
    a reader takes part, and it changes nothing of the shared text."""
    return reader.at_least(Role.LECTEUR) and not page.is_deleted and _may_read(reader, page)


def _may_change_comment(reader: Reader, comment) -> bool:
    """Its author edits and deletes it; coordinators moderate (soft delete, audited)."""
    if comment.is_deleted:
        return False
    return _sees_everything(reader) or (reader.user_id is not None and comment.author_id == reader.user_id
                                        and _may_read_comment(reader, comment))


def _wrote(reader: Reader, page) -> bool:
    return reader.user_id is not None and db.session.scalar(
        select(Revision.id).where(Revision.page_id == page.id, Revision.author_id == reader.user_id)
        .limit(1)) is not None


@cache
def _own_revision():
    """Aliased: callers may select revisions themselves. Made once, when first used (all
    models are mapped by then)."""
    return aliased(Revision, name="own_revision")


def readable_clause(actor):
    """SQL condition on Page equivalent to may(actor, "read", page)."""
    return _readable_clause(reader_of(actor))


def _audience_clause(reader: Reader, visibility_column, group_column):
    return or_(*[(visibility_column == visibility) & (group_column.in_(sorted(groups)) if groups else true())
                 for visibility, groups in readable_audiences(reader)])


@lru_cache(maxsize=1024)
def _readable_clause(reader: Reader):
    """Built once per distinct Reader (a value): building the expression costs more than running it."""
    if _sees_everything(reader):
        return true()
    published = Page.status != Status.BROUILLON
    if reader.user_id is not None:
        own = _own_revision()
        published = published | exists().where(own.page_id == Page.id, own.author_id == reader.user_id)
    return (Page.is_deleted == false()) & published & _audience_clause(reader, Page.visibility, Page.group_id)


def readable_revisions_clause(actor):
    """SQL condition on Revision (joined with its Page) equivalent to may(actor, "read_revision", revision)."""
    reader = reader_of(actor)
    if _sees_everything(reader):
        return true()
    return _readable_clause(reader) & _audience_clause(reader, Revision.visibility, Revision.group_id)


def readable_comments_clause(actor):
    """SQL condition on Comment (joined with its Page) equivalent to may(actor, "read_comment", comment)."""
    reader = reader_of(actor)
    if _sees_everything(reader):
        return true()
    return _readable_clause(reader) & _audience_clause(reader, Comment.visibility, Comment.group_id)


def readable_news_clause(actor):
    """SQL condition on News (joined with its Page) equivalent to may(actor, "read_news", news)."""
    reader = reader_of(actor)
    if _sees_everything(reader):
        return true()
    return _readable_clause(reader) & _audience_clause(reader, News.visibility, News.group_id)


def index_filter(actor) -> wq.Query:
    """The same condition on the search index's fields (visibility, group, status, authors)."""
    reader = reader_of(actor)
    if _sees_everything(reader):
        return wq.Every()
    audiences = [wq.And([wq.Term("visibility", visibility), wq.Or([wq.Term("group", str(g)) for g in sorted(groups)])])
                 if groups else wq.Term("visibility", visibility)
                 for visibility, groups in readable_audiences(reader)]
    published = [wq.Term("status", status.value) for status in Status if status != Status.BROUILLON]
    if reader.user_id is not None:
        published.append(wq.Term("authors", str(reader.user_id)))
    return wq.And([wq.Or(audiences), wq.Or(published)])


def class_reader(actor, *, group_id: int | None = None) -> Reader:
    """A Reader standing for the actor's whole read class (see read_class): no own drafts,
    and of its groups only `group_id` when given. What is computed once for a class is
    computed for this reader, so that it depends on nothing the class key leaves out."""
    reader = reader_of(actor)
    groups = reader.group_ids & {group_id} if group_id is not None else reader.group_ids
    return Reader(role=reader.role, group_ids=groups)


def read_class(actor, *, group_id: int | None = None) -> tuple:
    """Readers of one class may read the same published pages and revisions (of one group,
    when given): a key for what is computed once for all of them."""
    reader = class_reader(actor, group_id=group_id)
    if _sees_everything(reader):
        return ("everything",)
    return tuple((visibility, tuple(sorted(groups)) if groups else None)
                 for visibility, groups in readable_audiences(reader))


# Everything else ------------------------------------------------------------------

def _at_least(role: Role) -> Callable[[Reader, object], bool]:
    return lambda reader, _obj=None: reader.at_least(role)


def _may_edit(reader: Reader, page) -> bool:
    if not reader.at_least(Role.CONTRIBUTEUR):
        return False
    return page is None or (not page.is_deleted and _may_read(reader, page))


def _may_write_voice(reader: Reader, side: str) -> bool:
    """The « Regard du Nord » is written by the Nord, the « Regard du Sud » by the Sud."""
    return reader.at_least(Role.COORDINATEUR) or (reader.at_least(Role.CONTRIBUTEUR) and reader.side == side)


def _may_reserve(reader: Reader, group) -> bool:
    """Reserve a page to a group: coordinators, and contributors who belong to the group."""
    return reader.at_least(Role.COORDINATEUR) or (reader.at_least(Role.CONTRIBUTEUR) and group.id in reader.group_ids)


def _may_manage_group(reader: Reader, group) -> bool:
    """Coordinators and the group's co-animators (DESIGN.md: « coordinator or animator »)
    add members, answer join requests and remove members."""
    return reader.at_least(Role.COORDINATEUR) or (reader.is_member and group.id in reader.animator_of)


def _may_lead_group(reader: Reader, group) -> bool:
    """Rename the group, edit its description, name or remove its co-animators: coordinators,
    and co-animators who are contributors (a lecteur edits nothing elsewhere either)."""
    return reader.at_least(Role.COORDINATEUR) or (
        reader.at_least(Role.CONTRIBUTEUR) and group.id in reader.animator_of)


def _may_remove_member(reader: Reader, membership) -> bool:
    """Anyone leaves a group. Co-animators remove members; a co-animator is removed by who
    leads the group, a coordinator only by a coordinator."""
    if reader.user_id == membership.user_id or reader.at_least(Role.COORDINATEUR):
        return True
    if Reader(role=membership.user.role).at_least(Role.COORDINATEUR):
        return False
    if membership.is_animator:
        return _may_lead_group(reader, membership.group)
    return _may_manage_group(reader, membership.group)


def _may_edit_organisation(reader: Reader, organisation) -> bool:
    """Coordinators, and contributors of the organisation itself, keep its entry up to date."""
    return reader.at_least(Role.COORDINATEUR) or (
        reader.at_least(Role.CONTRIBUTEUR) and reader.organisation_id == organisation.id)


def _may_answer_event(reader: Reader, page) -> bool:
    """Members who may read an event say whether they come (lecteurs included)."""
    return reader.at_least(Role.LECTEUR) and page.kind == Kind.EVENEMENT and not page.is_deleted \
        and _may_read(reader, page)


def _may_add_decision(reader: Reader, page) -> bool:
    """Who may edit the event writes down what it decided (and its minutes)."""
    return page.kind == Kind.EVENEMENT and _may_edit(reader, page)


def _may_update_decision(reader: Reader, decision) -> bool:
    """The person in charge updates its status; so do those who may edit the event."""
    page = decision.page
    if page.is_deleted or not _may_read(reader, page):
        return False
    return (reader.is_member and decision.owner_id == reader.user_id) or _may_add_decision(reader, page)


def _may_read_news(reader: Reader, news) -> bool:
    """As a comment: a news item keeps the audience its page had when it was written."""
    return _may_read(reader, news.page) and (
        _sees_everything(reader) or _admits(reader, news.visibility, news.group_id))


def _may_post_news(reader: Reader, page) -> bool:
    """Contributors of both sides who may read the sheet or the group page report from the field."""
    return page.kind in (Kind.FICHE, Kind.GROUPE) and not page.is_deleted and \
        reader.at_least(Role.CONTRIBUTEUR) and _may_read(reader, page)


def _may_prepare_answer(reader: Reader, page) -> bool:
    """« Nous préparons une réponse »: members who may read the call, lecteurs included."""
    return reader.at_least(Role.LECTEUR) and page.kind == Kind.APPEL and not page.is_deleted \
        and _may_read(reader, page)


def validation_refusal(actor, page) -> str | None:
    """Why the actor may not validate the sheet now (a contributor of the other side than its
    first author confirms it reflects the shared project), or None when they may."""
    reader = reader_of(actor)
    if page.kind != Kind.FICHE or page.status != Status.PUBLIEE:
        return _("Seule une fiche publiée, pas encore validée, peut être validée.")
    if not _may_edit(reader, page):
        return _("Il faut être contributeur pour valider une fiche.")
    if reader.side == page.origin_side:
        if page.origin_side == "nord":
            return _("La validation revient à un contributeur du Sud, l'autre côté du projet.")
        return _("La validation revient à un contributeur du Nord, l'autre côté du projet.")
    return None


def audience_refusal(actor, page, visibility: str, group) -> str | None:
    """Why the actor may not give `page` (None: the page it creates) this visibility and group,
    or None when it may. The web form and the API both ask here; update_page audits changes.

    Whoever creates a page chooses all members, or a group it belongs to; public is for
    coordinators. Afterwards, who may read a page is changed by coordinators, and between all
    members and a group (or from one group to another) by the co-animators of the groups
    concerned: a contributor could otherwise open a group page to every member, or hide a
    public page that it may then not make public again."""
    reader = reader_of(actor)
    if reader.at_least(Role.COORDINATEUR):
        return None
    group_id = group.id if group is not None else None
    before = (page.visibility, page.group_id) if page is not None else None
    if before == (visibility, group_id):
        return None
    if group_id is not None and group_id not in reader.group_ids and (before is None or before[1] != group_id):
        if visibility == Visibility.GROUPE:
            return str(MESSAGES["reserve"])
        return _("Vous ne pouvez rattacher une page qu'à un groupe dont vous êtes membre.")
    if visibility == Visibility.PUBLIC and (before is None or before[0] != Visibility.PUBLIC):
        return str(MESSAGES["publish"])
    if before is None:
        return None
    if before[0] == Visibility.PUBLIC and visibility != Visibility.PUBLIC:
        return _("Seul un coordinateur peut retirer une page du public.")
    if before[0] != visibility or visibility == Visibility.GROUPE:  # the readers change
        concerned = {g for v, g in (before, (visibility, group_id)) if v == Visibility.GROUPE}
        if not concerned <= reader.animator_of:
            return _("Seuls les coordinateurs et les animateurs du groupe changent qui peut lire une page existante.")
    return None


# action → rule(reader, obj). obj: a page for read/edit/revert/validate/comment/answer_event/
# add_decision/prepare_answer/post_news, a decision for update_decision, a news item for
# read_news, a revision
# for read_revision, a comment for read_comment/change_comment, (page or None, visibility,
# group) for set_audience, a group for reserve/manage_group/lead_group, a membership for
# remove_member, a side ("nord"/"sud") for write_voice, an organisation for
# edit_organisation; None elsewhere.
RULES: dict[str, Callable[[Reader, object], bool]] = {
    "read": _may_read,
    "read_revision": _may_read_revision,
    "read_comment": _may_read_comment,
    "comment": _may_comment,
    "change_comment": _may_change_comment,
    "answer_event": _may_answer_event,
    "add_decision": _may_add_decision,
    "update_decision": _may_update_decision,
    "prepare_answer": _may_prepare_answer,
    "read_news": _may_read_news,
    "post_news": _may_post_news,
    "create": _at_least(Role.CONTRIBUTEUR),
    "edit": _may_edit,
    "revert": _may_edit,
    "upload": _may_edit,
    "write_voice": _may_write_voice,
    "validate": lambda reader, page: validation_refusal(reader, page) is None,
    "reserve": _may_reserve,
    "set_audience": lambda reader, change: audience_refusal(reader, *change) is None,
    "delete": _at_least(Role.COORDINATEUR),  # pages and files; soft, audited
    "restore": _at_least(Role.COORDINATEUR),
    "publish": _at_least(Role.COORDINATEUR),  # make a page public
    "unpublish": _at_least(Role.COORDINATEUR),  # a published sheet back to draft
    "manage": _at_least(Role.COORDINATEUR),  # accounts, directory, themes, questions, thesaurus, audit
    "manage_group": _may_manage_group,
    "lead_group": _may_lead_group,
    "remove_member": _may_remove_member,
    "join_group": _at_least(Role.LECTEUR),
    "see_people": _at_least(Role.LECTEUR),  # names of members, contacts
    "edit_organisation": _may_edit_organisation,
}

MESSAGES = {
    "publish": _l("Seul un coordinateur peut rendre une page publique."),
    "unpublish": _l("Seul un coordinateur peut remettre une fiche publiée en brouillon."),
    "reserve": _l("Vous ne pouvez réserver une page qu'à un groupe dont vous êtes membre."),
    "manage_group": _l("Seuls les animateurs du groupe et les coordinateurs gèrent le groupe."),
    "lead_group": _l("Seuls les coordinateurs et les co-animateurs contributeurs modifient le groupe et "
                     "nomment ses co-animateurs."),
    "remove_member": _l("Seul un coordinateur retire un coordinateur d'un groupe."),
    "join_group": _l("Connectez-vous pour demander à rejoindre un groupe."),
    "edit_organisation": _l("Seuls les coordinateurs et les contributeurs de l'organisation la modifient."),
    "comment": _l("Connectez-vous pour participer à la discussion."),
    "change_comment": _l("Seul son auteur modifie un commentaire ; les coordinateurs modèrent."),
    "answer_event": _l("Connectez-vous pour répondre à l'invitation."),
    "add_decision": _l("Seuls ceux qui peuvent modifier l'événement notent ses décisions."),
    "update_decision": _l("Seuls la personne chargée de la décision et ceux qui peuvent modifier l'événement "
                          "changent son état."),
    "prepare_answer": _l("Connectez-vous pour signaler que votre structure prépare une réponse."),
    "post_news": _l("Les contributeurs qui peuvent lire la fiche y donnent des nouvelles du terrain."),
}


def may(actor, action: str, obj=None) -> bool:
    """True when the actor (a user, an anonymous user, a Reader, SYSTEM) may do `action` on `obj`."""
    rule = RULES.get(action)
    if rule is None:
        raise ValueError(f"unknown action {action!r}")
    return rule(reader_of(actor), obj)


def require(actor, action: str, obj=None, message: str | None = None) -> None:
    """may(), or PermissionDenied with the rule's message."""
    if not may(actor, action, obj):
        raise PermissionDenied(str(message or MESSAGES.get(action, "")))


# Views ------------------------------------------------------------------------------

def abort_unless(action: str, obj=None) -> None:
    """In a view: the login page for a visitor who may not, 403 for a member who may not."""
    if not may(current_user, action, obj):
        if not current_user.is_authenticated:
            abort(current_app.login_manager.unauthorized())
        abort(403)


def view_requires(action: str):
    """View decorator: abort_unless(action) before the view runs."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            abort_unless(action)
            return view(*args, **kwargs)
        return wrapped
    return decorator
