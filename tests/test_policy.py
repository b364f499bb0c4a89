"""DESIGN.md's « Roles » table, checked against wiki/policy.py, as one table-driven test.

Readers: a visitor, and each role (lecteur, contributeur, coordinateur) × side (nord, sud) ×
place in the group « eau » (outside it, member, co-animator). Objects: sheets of the two
groups (« eau », which some readers belong to, and « sante », which nobody does) in each
visibility, published (by a Nord or a Sud author) or draft (written by someone else, or by
the contributor who asks), a few deleted sheets, the two groups and the two « regards ».

1. `policy.may` answers every (reader, action, object) as EXPECTED says, a table written
   from DESIGN.md, not from the policy;
2. for reading, `policy.readable_clause` in a real SQL query and `policy.index_filter` in the
   app's real Whoosh index select exactly the pages EXPECTED admits;
3. `policy.read_class` is shared by two readers iff they may read the same published pages;
4. a revision is read by who may read its page and would have read it when it was saved
   (publishing a page does not publish its history): `may(…, "read_revision", …)` and
   `policy.readable_revisions_clause` agree with that.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, product

from sqlalchemy import select

from wiki import policy, search
from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages.models import Page, Revision
from wiki.pages.services import create_page, set_deleted, update_page

# The table -------------------------------------------------------------------------

YES, NO = True, False
GROUP = "members of the group"  # of the page's group, or of the group the action is about
ANIMATOR = "co-animators of the group"
AUTHOR = "its authors"  # a draft: who wrote one of its revisions
IF_READ = "on a page it may read"
OWN_SIDE = "its own side's « regard » only"
OTHER_SIDE = "a published sheet it may read, whose first author is of the other side"

ROLES = ("visitor", "lecteur", "contributeur", "coordinateur")
EXPECTED = {
    # action                 visitor  lecteur   contributeur  coordinateur
    "read public":          (YES,     YES,      YES,          YES),
    "read membres":         (NO,      YES,      YES,          YES),
    "read groupe":          (NO,      GROUP,    GROUP,        YES),
    # A sheet's life (brouillon → publiée): a draft is for its authors and coordinators;
    # its visibility still applies to its authors.
    "read draft":           (NO,      NO,       AUTHOR,       YES),
    # Soft delete « that a coordinator can undo »: the trash is theirs.
    "read deleted":         (NO,      NO,       NO,           YES),
    "edit":                 (NO,      NO,       IF_READ,      IF_READ),  # create / edit pages it can read
    "upload":               (NO,      NO,       IF_READ,      IF_READ),  # attachments are part of the page
    "revert":               (NO,      NO,       IF_READ,      IF_READ),
    "write_voice":          (NO,      NO,       OWN_SIDE,     YES),
    # « a contributor of the other side confirms it reflects the shared project »
    "validate":             (NO,      NO,       OTHER_SIDE,   OTHER_SIDE),
    # Visibility « groupe » is chosen while creating or editing a page (contributors), for
    # a group one belongs to.
    "reserve":              (NO,      NO,       GROUP,        YES),
    "delete":               (NO,      NO,       NO,           YES),
    "restore":              (NO,      NO,       NO,           YES),
    "publish":              (NO,      NO,       NO,           YES),  # change visibility to public
    "manage":               (NO,      NO,       NO,           YES),  # users, organisations, groups
    # API: POST /groups/{slug}/members « (coordinator or animator) »
    "manage_group":         (NO,      ANIMATOR, ANIMATOR,     YES),
    # Issue 21: rename, describe, name co-animators: a lecteur edits nothing, here neither.
    "lead_group":           (NO,      NO,       ANIMATOR,     YES),
}

PAGE_ACTIONS = ("read", "edit", "upload", "revert", "validate", "delete", "restore", "publish")
GROUP_ACTIONS = ("reserve", "manage_group", "lead_group")
SIDES = ("nord", "sud")
VISIBILITIES = ("public", "membres", "groupe")
MEMBERSHIPS = ("outsider", "member", "animator")  # place in the group « eau »
GROUPS = ("eau", "sante")

# Where wiki/policy.py answers otherwise than DESIGN.md: (role, place in the group, action,
# object). Strict: an entry that stops disagreeing fails the test, to be removed from here.
# Who and what ----------------------------------------------------------------------

@dataclass(frozen=True)
class ReaderSpec:
    role: str
    side: str | None = None
    membership: str = "outsider"  # in « eau »; nobody belongs to « sante »

    def place_in(self, group: str) -> str:
        return self.membership if group == "eau" else "outsider"

    def __str__(self):
        if self.role == "visitor":
            return "visitor"
        return f"{self.role} {self.side} ({self.membership} of eau)"


@dataclass(frozen=True)
class PageSpec:
    title: str
    group: str
    visibility: str
    status: str  # "published" or "draft"
    origin: str  # the first author's side
    drafted_by: ReaderSpec | None = None  # the contributor who wrote this draft
    deleted: bool = False
    earlier: tuple[str, str] | None = None  # (visibility, group) of a first revision, changed since

    def revision_audiences(self) -> list[tuple[str, str]]:
        """(visibility, group) each revision was saved under, in order."""
        if self.earlier:
            return [self.earlier, (self.visibility, self.group)]
        if self.drafted_by:
            return [("membres", None), (self.visibility, self.group)]
        return [(self.visibility, self.group)]

    def __str__(self):
        return self.title


VISITOR = ReaderSpec("visitor")
READERS = [VISITOR] + [ReaderSpec(role, side, membership) for role, side, membership
                       in product(ROLES[1:], SIDES, MEMBERSHIPS)]
CONTRIBUTORS = [r for r in READERS if r.role == "contributeur"]

PAGES = (
    [PageSpec(f"Publiée {g} {v} {o}", g, v, "published", o) for g, v, o in product(GROUPS, VISIBILITIES, SIDES)]
    + [PageSpec(f"Brouillon {g} {v}", g, v, "draft", "nord") for g, v in product(GROUPS, VISIBILITIES)]
    + [PageSpec(f"Brouillon de {c.side} {c.membership} {v}", "eau", v, "draft", c.side, drafted_by=c)
       for c, v in product(CONTRIBUTORS, VISIBILITIES)]
    + [PageSpec(f"Supprimée eau {v}", "eau", v, "published", "nord", deleted=True) for v in VISIBILITIES]
    + [PageSpec(f"Rendue publique {v} {g}", g, "public", "published", "sud", earlier=(v, g))
       for v, g in (("membres", "eau"), ("groupe", "eau"), ("groupe", "sante"))]
    + [PageSpec("Passée de sante à eau", "eau", "groupe", "published", "sud", earlier=("groupe", "sante"))]
)


# What DESIGN.md says ---------------------------------------------------------------

def rule(row: str, reader: ReaderSpec):
    return EXPECTED[row][ROLES.index(reader.role)]


def design_audience(reader: ReaderSpec, visibility: str, group: str) -> bool:
    audience = rule(f"read {visibility}", reader)
    return reader.place_in(group) != "outsider" if audience == GROUP else audience


def design_may_read(reader: ReaderSpec, page: PageSpec) -> bool:
    if page.deleted:
        return rule("read deleted", reader) is YES
    audience = design_audience(reader, page.visibility, page.group)
    if page.status == "published":
        return audience
    status = rule("read draft", reader)
    if status == AUTHOR:
        status = page.drafted_by == reader
    return audience and status


def design_may_read_revision(reader: ReaderSpec, page: PageSpec, number: int) -> bool:
    """Coordinators read every revision, as every page; others, what they could read then too."""
    visibility, group = page.revision_audiences()[number - 1]
    return design_may_read(reader, page) and (reader.role == "coordinateur"
                                              or design_audience(reader, visibility, group))


def design_may(reader: ReaderSpec, action: str, obj) -> bool:
    """What EXPECTED says for `action` on `obj` (a PageSpec, a group name, a side or None)."""
    if action == "read":
        return design_may_read(reader, obj)
    answer = rule(action, reader)
    if answer == IF_READ:
        return design_may_read(reader, obj)
    if answer == OTHER_SIDE:
        return obj.status == "published" and reader.side != obj.origin and design_may_read(reader, obj)
    if answer == OWN_SIDE:
        return reader.side == obj
    if answer == GROUP:
        return reader.place_in(obj) != "outsider"
    if answer == ANIMATOR:
        return reader.place_in(obj) == "animator"
    return answer


def cases():
    """Every (reader, action, object spec) the test checks."""
    for reader in READERS:
        for page in PAGES:
            for action in ("read",) if page.deleted else PAGE_ACTIONS:
                yield reader, action, page
        for group, action in product(GROUPS, GROUP_ACTIONS):
            yield reader, action, group
        for side in SIDES:
            yield reader, "write_voice", side
        yield reader, "manage", None


# The world -------------------------------------------------------------------------

def sheet(author, title: str, visibility: str, group, status: str) -> Page:
    return create_page(author=author, title=title, body=f"{title} : un puits creusé à Ségou.", kind="fiche",
                       visibility=visibility, group=group, themes=["eau"], fields={"region": "Ségou"},
                       status="brouillon" if status == "draft" else "publiee")


def build_world(app, make_user):
    """Users for READERS, two coordinator authors, the pages of PAGES: ({spec: user id}, {spec: page id})."""
    user_ids = {reader: make_user(reader.role, reader.side, groups_=("eau",) if reader.membership != "outsider" else ())
                for reader in READERS if reader.role != "visitor"}
    author_ids = {side: make_user("coordinateur", side) for side in SIDES}
    page_ids = {}
    with app.app_context():
        users = {reader: db.session.get(User, uid) for reader, uid in user_ids.items()}
        authors = {side: db.session.get(User, uid) for side, uid in author_ids.items()}
        group_of = {"eau": groups.find_group("eau"), "sante": groups.create_group(name="sante", by=policy.SYSTEM)}
        for reader, user in users.items():
            if reader.membership == "animator":
                groups.set_animator(group_of["eau"], user, True, by=policy.SYSTEM)
        for spec in PAGES:
            group = group_of[spec.group]
            if spec.earlier:
                visibility, earlier_group = spec.earlier
                page = sheet(authors[spec.origin], spec.title, visibility, group_of[earlier_group], spec.status)
                update_page(page, author=authors["nord"], base_revision=None, title=spec.title,
                            body=page.current.body + " Relu.", visibility=spec.visibility, group=group)
            elif spec.drafted_by is None:
                page = sheet(authors[spec.origin], spec.title, spec.visibility, group, spec.status)
            else:  # the contributor writes it (members only, as it may), a coordinator then sets its audience
                page = sheet(users[spec.drafted_by], spec.title, "membres", None, spec.status)
                update_page(page, author=authors["nord"], base_revision=None, title=spec.title,
                            body=page.current.body + " Relu.", visibility=spec.visibility, group=group)
            if spec.deleted:
                set_deleted(page, True, by=authors["nord"])
            page_ids[spec] = page.id
    return user_ids, page_ids


# The test --------------------------------------------------------------------------

def test_policy_follows_the_roles_table(app, make_user):
    user_ids, page_ids = build_world(app, make_user)
    problems, count = [], 0
    with app.app_context():
        def actor(reader: ReaderSpec):
            if reader.role == "visitor":
                return app.login_manager.anonymous_user()
            return db.session.get(User, user_ids[reader])

        group_of = {name: groups.find_group(name) for name in GROUPS}
        pages = {spec: db.session.get(Page, pid) for spec, pid in page_ids.items()}

        # 1. One decision on one object.
        for reader, action, spec in cases():
            count += 1
            obj = pages[spec] if isinstance(spec, PageSpec) else group_of.get(spec, spec)
            got, want = policy.may(actor(reader), action, obj), design_may(reader, action, spec)
            if got != want:
                problems.append(f"{reader} {action} {spec or ''}: policy says {got}, DESIGN.md says {want}")

        # 2. The SQL clause and the index filter select what the object check admits.
        titles = {pid: spec.title for spec, pid in page_ids.items()}
        in_trash = {page_ids[spec] for spec in PAGES if spec.deleted}

        def diff(got: set[int], want: set[int]) -> str:
            return (f"extra {sorted(titles[i] for i in got - want)}, "
                    f"missing {sorted(titles[i] for i in want - got)}")

        search.catch_up()
        for reader in READERS:
            count += 2
            user = actor(reader)
            expected = {page_ids[spec] for spec in PAGES if design_may_read(reader, spec)}
            in_sql = set(db.session.scalars(select(Page.id).where(policy.readable_clause(user))))
            found = search.search_pages(user, "puits", per_page=len(PAGES) + 10)
            in_index = {hit.page_id for hit in found.hits}
            if in_sql != expected:
                problems.append(f"{reader}: readable_clause {diff(in_sql, expected)}")
            if in_index != expected - in_trash or found.total != len(in_index):
                problems.append(f"{reader}: index_filter {diff(in_index, expected - in_trash)} (total {found.total})")

        # 3. Readers of one read class read the same published pages (of one group, when given),
        # and readers of the same published pages share a class; but coordinators, who read
        # everything (drafts and the trash too), keep theirs even where, within one group, a
        # member reads the same published pages.
        def published_read(reader: ReaderSpec, group: str | None) -> frozenset[str]:
            return frozenset(spec.title for spec in PAGES if spec.status == "published" and not spec.deleted
                             and group in (None, spec.group) and design_may_read(reader, spec))

        classes = {(reader, group): policy.read_class(actor(reader), group_id=group_of[group].id if group else None)
                   for reader in READERS for group in (None, *GROUPS)}
        for group in (None, *GROUPS):
            for a, b in combinations(READERS, 2):
                count += 1
                same_class = classes[a, group] == classes[b, group]
                same_pages = published_read(a, group) == published_read(b, group)
                coordinator_apart = group is not None and "coordinateur" in (a.role, b.role)
                if same_class != same_pages and not (same_pages and coordinator_apart):
                    problems.append(f"read_class (group {group}) of {a} and {b}: same class {same_class}, "
                                    f"same published pages {same_pages}")
        # 4. Revisions.
        revisions = {(row.page_id, row.number): row for row in db.session.scalars(select(Revision))}
        spec_of = {pid: spec for spec, pid in page_ids.items()}
        assert len(revisions) == sum(len(spec.revision_audiences()) for spec in PAGES)
        for reader in READERS:
            user = actor(reader)
            expected = {key for key in revisions if design_may_read_revision(reader, spec_of[key[0]], key[1])}
            for key, revision in revisions.items():
                count += 1
                if policy.may(user, "read_revision", revision) != (key in expected):
                    problems.append(f"{reader} read_revision {spec_of[key[0]]} #{key[1]}: "
                                    f"DESIGN.md says {key in expected}")
            count += 1
            in_sql = {(page_id, number) for page_id, number in db.session.execute(
                select(Revision.page_id, Revision.number).join(Page, Revision.page_id == Page.id)
                .where(policy.readable_revisions_clause(user)))}
            if in_sql != expected:
                problems.append(f"{reader}: readable_revisions_clause extra "
                                f"{sorted((spec_of[p].title, n) for p, n in in_sql - expected)}, missing "
                                f"{sorted((spec_of[p].title, n) for p, n in expected - in_sql)}")

        lecteur = {(side, m): ReaderSpec("lecteur", side, m) for side, m in product(SIDES, MEMBERSHIPS)}
        assert classes[lecteur["nord", "outsider"], None] == classes[lecteur["sud", "outsider"], None]
        assert classes[lecteur["nord", "member"], None] != classes[lecteur["nord", "outsider"], None]
        assert all(classes[VISITOR, None] != classes[r, None] for r in READERS if r != VISITOR)

    assert not problems, f"{len(problems)} of {count} cases disagree:\n" + "\n".join(problems)
