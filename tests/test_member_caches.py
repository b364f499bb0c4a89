"""Parts of members' pages kept between requests (wiki/cache/fragments.py), under the data
version (wiki/cache/version.py): never someone else's name, e-mail or form token, never
stale after a write (here or through another app instance on the same database), and the
read check still runs on every request."""
from __future__ import annotations

import io
import os
import re

import pytest
from flask import session as flask_session
from flask_login import login_user
from itsdangerous import URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import select, update
from databases import ON_POSTGRESQL
from support import PASSWORD, csrf_token_from, make_csrf_app

from wiki import create_app, policy, search
from wiki.attachments import services as attachments
from wiki.auth import accounts
from wiki.auth.models import User
from wiki.cache import fragments, version
from wiki.cache import pages as pagecache
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.pages.models import Page
from wiki.policy import SYSTEM, VISITOR, Reader
from wiki.search.thesaurus import seed_thesaurus
from wiki.sheets import themes
from wiki.sheets.models import Theme
from wiki.sheets.themes import seed_themes

SLUG = "forage-a-fanebougou"
FIELDS = {"region": "Ségou", "commune": "Fanébougou", "context": "Pas d'eau potable.",
          "difficulties": "Pompes en panne.", "partners_sud": ["Coopérative Benkadi"]}
CSV = b"lieu;profondeur\nFanebougou;42\n"


# Helpers ------------------------------------------------------------------------------------

def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def _page(slug: str = SLUG) -> Page:
    return db.session.scalar(select(Page).where(Page.slug == slug))


def make_sheet(app, author: int, title: str = "Forage à Fanébougou", **values) -> str:
    values.setdefault("fields", dict(FIELDS))
    values.setdefault("themes", ["eau-et-assainissement"])
    with app.app_context():
        if isinstance(values.get("group"), str):  # a group's slug, found in this session
            values["group"] = groups.find_group(values["group"])
        return pages.create_page(author=_user(author), title=title, kind="fiche", **values).slug


def make_page(app, author: int, title: str, body: str, **values) -> str:
    with app.app_context():
        if isinstance(values.get("group"), str):
            values["group"] = groups.find_group(values["group"])
        return pages.create_page(author=_user(author), title=title, body=body, **values).slug


def edit_page(app, author: int, slug: str = SLUG, **values) -> None:
    with app.app_context():
        page = _page(slug)
        current = page.current
        if page.kind == "fiche":
            values.setdefault("fields", dict(current.fields or {}))
        values.setdefault("body", current.body)
        if isinstance(values.get("group"), str):
            values["group"] = groups.find_group(values["group"])
        pages.update_page(page, author=_user(author), base_revision=None, title=current.title, **values)


def attach(app, author: int, name: str, content: bytes = CSV, slug: str = SLUG) -> None:
    with app.app_context():
        attachments.upload(_page(slug), _user(author), io.BytesIO(content), name)


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html))


def header(html: str) -> str:
    match = re.search(r'<nav class="account".*?</nav>', html, re.DOTALL)
    assert match, "no account navigation"
    return match.group(0)


def reads(client, path: str = f"/p/{SLUG}") -> bool:
    """Two views: the second one with the kept parts warm."""
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code, path
    return second.status_code == 200


def _store(app) -> fragments.Fragments:
    return app.extensions[fragments.EXTENSION_KEY]


def kept_html(app, name: str | None = None, *, markup_only: bool = False) -> str:
    """Every HTML piece of the kept fragments (of one name), and their plain strings (addresses)
    unless `markup_only`."""
    def text(value) -> str:
        if isinstance(value, dict):
            return " ".join(text(v) for v in value.values())
        if isinstance(value, (tuple, list)):
            return " ".join(text(v) for v in value)
        return str(value) if isinstance(value, Markup if markup_only else (Markup, str)) else ""
    return " ".join(text(value) for key, (_version, _at, value) in _store(app).entries.items()
                    if name is None or key[0] == name)


# a. fragments.shared and memo, unit behaviour -----------------------------------------------

LECTEUR_NORD = Reader(user_id=101, role="lecteur", side="nord")
LECTEUR_SUD = Reader(user_id=102, role="lecteur", side="sud", group_ids=frozenset({7}))
CONTRIBUTEUR = Reader(user_id=103, role="contributeur", side="nord", organisation_id=4)
COORDINATEUR = Reader(user_id=104, role="coordinateur", side="sud", animator_of=frozenset({7}),
                      group_ids=frozenset({7}))
READERS = (LECTEUR_NORD, LECTEUR_SUD, CONTRIBUTEUR, COORDINATEUR, VISITOR)


def test_a_rendering_that_reads_no_reader_attribute_is_shared_by_all(app):
    calls = []

    def render(_reader, _env):
        calls.append(1)
        return Markup(f"<p>rendu {len(calls)}</p>")

    with app.test_request_context("/"):
        first = [fragments.shared("essai", (1,), reader, render) for reader in READERS]
    with app.test_request_context("/"):  # a later request, nothing written
        second = [fragments.shared("essai", (1,), reader, render) for reader in READERS]
        other_key = fragments.shared("essai", (2,), LECTEUR_NORD, render)
        other_name = fragments.shared("autre", (1,), LECTEUR_NORD, render)
    assert first == second == [Markup("<p>rendu 1</p>")] * len(READERS)
    assert other_key == Markup("<p>rendu 2</p>") and other_name == Markup("<p>rendu 3</p>")
    assert len(calls) == 3


def test_a_rendering_that_reads_the_role_is_kept_per_role(app):
    calls = []

    def render(reader, _env):
        calls.append(reader.role)
        return f"{reader.role}: {'suppression' if policy.may(reader, 'delete') else 'lecture'}"

    with app.test_request_context("/"):
        seen = {reader: fragments.shared("par-role", (1,), reader, render) for reader in READERS}
        again = {reader: fragments.shared("par-role", (1,), reader, render) for reader in reversed(READERS)}
    assert seen == again
    assert seen[LECTEUR_NORD] == seen[LECTEUR_SUD] == "lecteur: lecture"
    assert seen[CONTRIBUTEUR] == "contributeur: lecture" and seen[COORDINATEUR] == "coordinateur: suppression"
    assert seen[VISITOR] == "None: lecture"
    # Once per role: the two readers differ in side and groups, which the rendering never read.
    assert sorted(calls, key=str) == sorted(["lecteur", "contributeur", "coordinateur", None], key=str)


def test_what_a_branch_reads_splits_only_the_readers_it_concerns(app):
    """Readers who differ in something one branch reads get their own entries; every answer
    is still what the rendering gives for that reader."""
    def render(reader, _env):
        if reader.role == "contributeur":
            return f"contributeur {reader.side}"
        return f"{reader.role} sans côté"

    readers = [*READERS, Reader(user_id=105, role="contributeur", side="sud"),
               Reader(user_id=106, role="lecteur", side="sud")]
    with app.test_request_context("/"):
        for _round in range(2):
            for reader in readers:
                assert fragments.shared("branche", (1,), reader, render) == render(reader, None)


def test_a_rendering_that_reads_the_user_id_is_never_kept(app):
    calls = []

    def render(reader, _env):
        calls.append(reader.user_id)
        return f"compte {reader.user_id}"

    with app.test_request_context("/"):
        assert fragments.shared("perso", (1,), LECTEUR_NORD, render) == "compte 101"
        assert fragments.shared("perso", (1,), LECTEUR_NORD, render) == "compte 101"
        assert fragments.shared("perso", (1,), LECTEUR_SUD, render) == "compte 102"
    assert calls == [101, 101, 102]
    assert not any(key[0] == "perso" for key in _store(app).entries)


@pytest.mark.parametrize("source", [
    '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">',
    "{{ current_user.name }}",
    "{% if current_user.is_authenticated %}membre{% endif %}",
    "{{ session.get('_user_id') }}",
    "{{ request.path }}",
    "{{ g.anything }}",
    "{% if may('edit') %}modifier{% endif %}",
    "{% for m in get_flashed_messages() %}{{ m }}{% endfor %}",
    '{% from "_macros/forms.html" import post_button %}{{ post_button("/x", "Supprimer") }}',
])
def test_a_rendering_that_uses_a_personal_global_is_never_kept(app, make_user, source):
    member = make_user("coordinateur", "sud")
    calls = []

    def render(_reader, env):
        calls.append(1)
        return Markup(env.from_string("<p>" + source + "</p>").render())

    with app.test_request_context("/p/x"):
        user = _user(member)
        login_user(user)
        flask_session["_flashes"] = [("info", "Message personnel")]
        name = user.name
        for reader in (LECTEUR_NORD, LECTEUR_NORD, LECTEUR_SUD):
            html = fragments.shared("personnel", (1,), reader, render)
            # The stand-ins give nothing: no name, no token, no message, no rights.
            assert name not in html and "Message personnel" not in html and "modifier" not in html
            assert "membre" not in html and "/p/x" not in html  # nor the request's address
            if "csrf" in source:
                assert 'name="csrf_token" value=""' in html
            if "post_button" in source:  # the rest of the rendering is there
                assert "Supprimer" in html and 'name="csrf_token" value=""' in html
    assert len(calls) == 3
    assert not any(key[0] == "personnel" for key in _store(app).entries)


def test_the_shared_environment_still_renders_templates(app):
    """url_for, filters and macros work; the real environment keeps the real globals."""
    def render(_reader, env):
        return Markup(env.from_string("{{ url_for('pages.view', slug='a-b') }} {{ 'x **y**'|markdown }}").render())

    with app.test_request_context("/"):
        html = fragments.shared("outils", (1,), LECTEUR_NORD, render)
        assert "/p/a-b" in html and "<strong>y</strong>" in html
        assert any(key[0] == "outils" for key in _store(app).entries)
        assert callable(app.jinja_env.globals["csrf_token"])
        assert not isinstance(app.jinja_env.globals["csrf_token"], fragments._Personal)


def test_entries_drop_when_the_data_version_changes(app, make_user):
    calls = []

    def render(reader, _env):
        calls.append(1)
        return f"{reader.role} {len(calls)}"

    author = make_user("coordinateur", "nord")
    with app.test_request_context("/"):
        assert fragments.shared("versionne", (1,), LECTEUR_NORD, render) == "lecteur 1"
        assert fragments.shared("versionne", (1,), LECTEUR_SUD, render) == "lecteur 1"
    with app.test_request_context("/"):
        version.invalidate()
        assert fragments.shared("versionne", (1,), LECTEUR_NORD, render) == "lecteur 2"
    with app.test_request_context("/"):  # any visible write through the ORM does the same
        pages.create_page(author=_user(author), title="Une page de plus", body="x")
        assert fragments.shared("versionne", (1,), LECTEUR_SUD, render) == "lecteur 3"
        assert fragments.shared("versionne", (1,), LECTEUR_NORD, render) == "lecteur 3"
    assert len(calls) == 3


def test_entries_expire_after_the_ttl(app, monkeypatch):
    calls = []

    def render(_reader, _env):
        calls.append(1)
        return len(calls)

    with app.test_request_context("/"):
        assert fragments.shared("ttl", (1,), LECTEUR_NORD, render) == 1
        assert fragments.shared("ttl", (1,), LECTEUR_NORD, render) == 1
        monkeypatch.setattr(fragments, "TTL", -1.0)
        assert fragments.shared("ttl", (1,), LECTEUR_NORD, render) == 2


def test_memo_is_kept_until_the_version_changes(app):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with app.test_request_context("/"):
        assert fragments.memo("compte", compute) == 1
        assert fragments.memo("compte", compute) == 1
        assert fragments.memo("autre-compte", compute) == 2
    with app.test_request_context("/"):
        assert fragments.memo("compte", compute) == 1  # next request, nothing written
    with app.app_context():
        version.invalidate()
    with app.test_request_context("/"):
        assert fragments.memo("compte", compute) == 3


def test_theme_names_follow_a_rename_in_the_same_request(app, make_user):
    coordinator = make_user("coordinateur", "nord")
    with app.test_request_context("/"):
        assert themes.theme_names()["eau-et-assainissement"] == "Eau et assainissement"
        theme = db.session.scalar(select(Theme).where(Theme.slug == "eau-et-assainissement"))
        themes.rename_theme(theme.id, "Eau potable", by=_user(coordinator))
        assert themes.theme_names()["eau-et-assainissement"] == "Eau potable"
        names = themes.theme_names()
        names["eau-et-assainissement"] = "Changé par un appelant"  # each caller gets a copy
        assert themes.theme_names()["eau-et-assainissement"] == "Eau potable"


# b. Two members of the same class never see each other's name, e-mail or token -------------

NAME_A, EMAIL_A = "Zébulon-A <b>Awa</b> & fils", "zebulon-a@example.org"
NAME_B, EMAIL_B = "Zébulon-B Moussa Keïta", "zebulon-b@example.org"
ESCAPED_A = "Zébulon-A &lt;b&gt;Awa&lt;/b&gt; &amp; fils"


def _without_members_list(html: str) -> tuple[str, str]:
    """(the group page's list of its members, the page without it)."""
    start, end = html.index("<h2>Animation et membres</h2>"), html.index("<h2>Fiches et pages du groupe</h2>")
    return html[start:end], html[:start] + html[end:]


def _csrf_login(client, email: str) -> None:
    token = csrf_token_from(client.get("/connexion").text)
    response = client.post("/connexion", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.text


def _session_csrf(client) -> str:
    with client.session_transaction() as session:
        return session["csrf_token"]


@pytest.fixture
def csrf_site(tmp_path):
    """An app with CSRF on, two members of one class (contributors of the Sud in the group
    « eau »), and pages that use every kept part."""
    app = make_csrf_app(tmp_path / "data")
    with app.app_context():
        seed_themes()
        seed_thesaurus()
        search.catch_up()
        make = lambda email, name, role, side: accounts.create_user(
            email=email, name=name, side=side, role=role, password=PASSWORD, by=SYSTEM)
        author = make("auteur@example.org", "Auteur du Nord", "contributeur", "nord")
        coordinator = make("coordination@example.org", "Kadiatou Coordinatrice", "coordinateur", "nord")
        a = make(EMAIL_A, NAME_A, "contributeur", "sud")
        b = make(EMAIL_B, NAME_B, "contributeur", "sud")
        eau = groups.create_group(name="eau", by=SYSTEM)
        sante = groups.create_group(name="Santé", description="Centres de santé communautaires.", by=SYSTEM)
        for user in (author, a, b):
            groups.add_member(eau, user, by=SYSTEM)
        groups.add_member(sante, coordinator, animator=True, by=SYSTEM)
        ids = {"author": author.id, "coordinator": coordinator.id, "a": a.id, "b": b.id}
    make_sheet(app, ids["author"], body="Voir aussi [[Compte rendu de l'eau]].")
    edit_page(app, ids["author"], fields={**FIELDS, "context": "Contexte revu."})
    attach(app, ids["author"], "forages.csv")
    plain = make_page(app, ids["author"], "Compte rendu de l'eau", "Réunion du **groupe eau**.",
                      visibility="groupe", group="eau")
    attach(app, ids["author"], "presents.csv", b"nom;role\nAwa;animatrice\n", slug=plain)
    make_page(app, ids["coordinator"], "Dispensaire de Kati", "Une page du groupe santé.",
              visibility="membres", group="sante")
    yield app, ids, plain
    with app.app_context():
        db.engine.dispose()


def test_members_of_one_class_never_see_each_other(csrf_site):
    app, _ids, plain = csrf_site
    a, b = app.test_client(), app.test_client()
    _csrf_login(a, EMAIL_A)
    _csrf_login(b, EMAIL_B)
    serializer = URLSafeTimedSerializer(app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key,
                                        salt="wtf-csrf-token")
    # « eau » is the members' own group: its page lists both of them (by design), elsewhere
    # neither may appear; « Santé » is a group they may ask to join (a form of its own).
    paths = [f"/p/{SLUG}", f"/p/{plain}", f"/p/{SLUG}/version/1", "/", "/groupes/sante", "/groupes/eau"]
    seen = {"a": [], "b": []}
    snapshot = None
    for round_ in range(3):
        for path in paths:
            for who, client in (("a", a), ("b", b)):
                response = client.get(path)
                assert response.status_code == 200, (who, path)
                assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers
                seen[who].append((path, response.text))
        if round_ == 1:  # from the second round on, everything shared is served from memory
            snapshot = {key: id(value) for key, value in _store(app).entries.items()}
    assert {key: id(value) for key, value in _store(app).entries.items()} == snapshot
    assert {key[0] for key in _store(app).entries} >= {"sheet", "files"}
    assert not _pagecache_entries(app)  # members' pages are never kept whole
    raw = {"a": _session_csrf(a), "b": _session_csrf(b)}  # each session's secret behind its form tokens
    assert raw["a"] != raw["b"]

    own = {"a": (ESCAPED_A, EMAIL_A, "Zébulon-A"), "b": (NAME_B, EMAIL_B, "Zébulon-B")}
    page_tokens = {who: set().union(*(tokens(html) for _path, html in seen[who])) for who in seen}
    for who, other in (("a", "b"), ("b", "a")):
        for path, html in seen[who]:
            name = own[who][0]
            assert name in header(html), (who, path)
            assert "<b>Awa</b>" not in html, path  # the name is escaped, everywhere
            _other_name, other_email, other_marker = own[other]
            if path == "/groupes/eau":
                members, html = _without_members_list(html)
                assert ESCAPED_A in members and NAME_B in members
                assert EMAIL_A not in members and EMAIL_B not in members
            for leaked in (other_marker, other_email, other_email.split("@")[0], "Moussa" if who == "a" else "Awa",
                           raw[other], *page_tokens[other]):
                assert leaked not in html, (who, path, leaked)
            found = tokens(html)
            assert found, (who, path)
            # Every form token of the page is this member's (it decodes to their session's).
            assert {serializer.loads(token) for token in found} == {raw[who]}, (who, path)
    # Contributors: the upload, validation and logout forms each carry the member's token.
    sheet_a = next(html for path, html in seen["a"] if path == f"/p/{SLUG}")
    assert 'class="upload"' in sheet_a and "Valider : cette fiche" in sheet_a and "forages.csv" in sheet_a
    assert "Contexte revu." in sheet_a and "Pas d'eau potable." not in sheet_a
    old_b = next(html for path, html in seen["b"] if path == f"/p/{SLUG}/version/1")
    assert "Pas d'eau potable." in old_b and "ce n'est pas la version actuelle" in old_b
    assert "presents.csv" in next(html for path, html in seen["b"] if path == f"/p/{plain}")
    assert "Demander à rejoindre" in next(html for path, html in seen["a"] if path == "/groupes/sante")
    # What is kept holds no member's name, e-mail nor token.
    shared = kept_html(app)
    assert "forages.csv" in shared and "Pompes en panne." in shared
    for personal in ("Zébulon", "zebulon", "Awa", "Moussa", raw["a"], raw["b"], *page_tokens["a"],
                     *page_tokens["b"], "csrf_token", "Se déconnecter", 'class="upload"'):
        assert personal not in shared, personal
    # Each token works for its own session only: B's token does not log A out, A's does.
    token_b = next(iter(tokens(seen["b"][-1][1])))
    assert a.post("/deconnexion", data={"csrf_token": token_b}).status_code == 400
    assert ESCAPED_A in header(a.get("/").text)
    token_a = next(iter(tokens(seen["a"][-1][1])))
    assert a.post("/deconnexion", data={"csrf_token": token_a}).status_code in (302, 303)
    assert "Zébulon" not in header(a.get("/").text)
    assert NAME_B in header(b.get("/").text)


def test_a_coordinators_rendering_is_not_served_to_members(csrf_site):
    """The coordinator's listing has delete buttons (form tokens): never kept, never shown
    to a contributor, even when the coordinator reads first."""
    app, _ids, plain = csrf_site
    coordinator, a = app.test_client(), app.test_client()
    _csrf_login(coordinator, "coordination@example.org")
    _csrf_login(a, EMAIL_A)
    for path in (f"/p/{SLUG}", f"/p/{plain}"):
        html = coordinator.get(path).text
        assert "/supprimer" in html and "Kadiatou Coordinatrice" in header(html)
        mine = a.get(path).text
        assert "/supprimer" not in mine and "Rétablir" not in mine and "Kadiatou" not in mine
        assert not tokens(mine) & tokens(html)


def _pagecache_entries(app):
    return app.extensions[pagecache.EXTENSION_KEY].entries


# c. Fresh after every write -------------------------------------------------------------------

def test_an_edit_is_seen_at_once_by_members(app, make_user, login):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    plain = make_page(app, author, "Notes de terrain", "Première version des notes.")
    reader = login(make_user("lecteur", "sud"))
    assert reads(reader) and reads(reader, f"/p/{plain}")
    assert "Pompes en panne." in reader.get(f"/p/{SLUG}").text and kept_html(app, "sheet")
    edit_page(app, author, fields={**FIELDS, "difficulties": "Pompes réparées par les artisans."},
              body="Un complément.")
    html = reader.get(f"/p/{SLUG}").text
    assert "Pompes réparées par les artisans." in html and "Pompes en panne." not in html
    assert "Un complément." in html and "version 2" in html
    edit_page(app, author, slug=plain, body="Notes relues.")
    html = reader.get(f"/p/{plain}").text
    assert "Notes relues." in html and "Première version" not in html


def test_a_page_reserved_to_a_group_disappears_at_once(app, make_user, login):
    author = make_user("contributeur", "nord", groups_=("eau",))
    coordinator = make_user("coordinateur", "nord")
    make_sheet(app, author)
    plain = make_page(app, author, "Réunion de Kati", "Ordre du jour.")
    inside = login(make_user("contributeur", "sud", groups_=("eau",)))
    outside = login(make_user("contributeur", "sud"))  # same role and side, not in the group
    for client in (inside, outside):
        assert reads(client) and reads(client, f"/p/{plain}") and "Réunion de Kati" in client.get("/").text
    edit_page(app, coordinator, visibility="groupe", group="eau")
    edit_page(app, coordinator, slug=plain, visibility="groupe", group="eau")
    assert outside.get(f"/p/{SLUG}").status_code == 404
    assert outside.get(f"/p/{SLUG}/version/1").status_code == 404
    assert outside.get(f"/p/{plain}").status_code == 404
    assert "Réunion de Kati" not in outside.get("/").text
    assert reads(inside) and reads(inside, f"/p/{plain}") and "Réunion de Kati" in inside.get("/").text
    assert 'class="badge vis-groupe"' in inside.get(f"/p/{SLUG}").text


def test_a_new_attachment_is_listed_at_once_and_a_deleted_one_goes(app, make_user, login):
    author, coordinator = make_user("contributeur", "nord"), make_user("coordinateur", "nord")
    make_sheet(app, author)
    plain = make_page(app, author, "Photos du chantier", "Quelques documents.")
    member = login(make_user("contributeur", "sud"))
    for path in (f"/p/{SLUG}", f"/p/{plain}"):
        assert reads(member, path) and "forages.csv" not in member.get(path).text
    attach(app, author, "forages.csv")
    attach(app, author, "debits.csv", b"puits;debit\nKati;3\n", slug=plain)
    assert "forages.csv" in member.get(f"/p/{SLUG}").text
    assert "debits.csv" in member.get(f"/p/{plain}").text
    attach(app, author, "forages.csv", b"lieu;profondeur\nFanebougou;45\n")  # a new version
    assert "(version 2)" in member.get(f"/p/{SLUG}").text
    with app.app_context():
        attachments.set_deleted(attachments.current_version(_page(plain), "debits.csv"), True,
                                by=_user(coordinator))
    assert "debits.csv" not in member.get(f"/p/{plain}").text


def test_a_theme_rename_reaches_the_sheet_at_once(app, make_user, login):
    make_sheet(app, make_user("contributeur", "nord"))
    coordinator = login(make_user("coordinateur", "nord"))
    member = login(make_user("lecteur", "sud"))
    assert reads(member) and "Eau et assainissement" in member.get(f"/p/{SLUG}").text
    with app.app_context():
        theme_id = db.session.scalar(select(Theme.id).where(Theme.slug == "eau-et-assainissement"))
    response = coordinator.post("/admin/themes", data={"action": "rename", "theme_id": theme_id,
                                                       "name": "Eau potable et hygiène"})
    assert response.status_code == 302
    html = member.get(f"/p/{SLUG}").text
    assert "Eau potable et hygiène" in html and "Eau et assainissement" not in html


def test_renamed_group_and_author_reach_the_sheet_at_once(app, make_user, login):
    author = make_user("contributeur", "nord", groups_=("eau",))
    coordinator = make_user("coordinateur", "nord")
    make_sheet(app, author, visibility="groupe", group="eau")
    member = login(make_user("lecteur", "sud", groups_=("eau",)))
    assert reads(member)
    with app.app_context():
        groups.update_group(groups.find_group("eau"), _user(coordinator), name="Eau et hygiène")
    assert "Eau et hygiène" in member.get(f"/p/{SLUG}").text
    with app.app_context():
        accounts.update_user(_user(author), by=_user(coordinator), name="Aminata Nouveau-Nom")
    assert "Aminata Nouveau-Nom" in member.get(f"/p/{SLUG}").text


def test_status_and_validation_reach_members_at_once(app, make_user, login):
    nord = make_user("contributeur", "nord")
    make_sheet(app, nord)
    sud = login(make_user("contributeur", "sud"))
    lecteur = login(make_user("lecteur", "nord"))
    assert reads(sud) and reads(lecteur)
    html = sud.get(f"/p/{SLUG}").text
    assert "Publiée, en attente de validation" in html and "Valider : cette fiche" in html
    assert sud.post(f"/p/{SLUG}/valider").status_code == 302
    html = sud.get(f"/p/{SLUG}").text
    assert "Validée par Contributeur" in html and "Valider : cette fiche" not in html
    assert "Validée par Contributeur" in lecteur.get(f"/p/{SLUG}").text


def test_role_change_reaches_the_buttons_at_once(app, make_user, login):
    member, coordinator = make_user("contributeur", "sud"), make_user("coordinateur")
    make_sheet(app, coordinator)
    reader = login(member)
    assert reads(reader)
    assert f'href="/p/{SLUG}/modifier"' in reader.get(f"/p/{SLUG}").text
    with app.app_context():
        accounts.update_user(_user(member), by=_user(coordinator), role="lecteur")
    html = reader.get(f"/p/{SLUG}").text
    assert f'href="/p/{SLUG}/modifier"' not in html and 'class="upload"' not in html
    assert reader.get(f"/p/{SLUG}/modifier").status_code == 403


def test_leaving_a_group_hides_its_pages_at_once(app, make_user, login):
    member = make_user("lecteur", "sud", groups_=("eau",))
    author = make_user("contributeur", "nord", groups_=("eau",))
    slug = make_sheet(app, author, visibility="groupe", group="eau")
    reader = login(member)
    assert reads(reader, f"/p/{slug}")
    with app.app_context():
        groups.remove_member(groups.find_group("eau"), _user(member), by=SYSTEM)
    assert not reads(reader, f"/p/{slug}") and not reads(reader, f"/p/{slug}/version/1")
    with app.app_context():
        groups.add_member(groups.find_group("eau"), _user(member), by=SYSTEM)
    assert reads(reader, f"/p/{slug}")


def test_deleted_sheet_and_drafts_follow_the_rules(app, make_user, login):
    author, coordinator, other = make_user("contributeur", "nord"), make_user("coordinateur"), make_user("lecteur")
    make_sheet(app, author)
    draft = make_sheet(app, author, title="Brouillon de Kati", status="brouillon")
    author_client, other_client, coordinator_client = login(author), login(other), login(coordinator)
    assert reads(author_client, f"/p/{draft}") and reads(coordinator_client, f"/p/{draft}")
    assert not reads(other_client, f"/p/{draft}")
    assert reads(other_client)
    with app.app_context():
        pages.set_deleted(_page(), True, by=_user(coordinator))
    assert not reads(other_client) and not reads(author_client)
    assert reads(coordinator_client) and "Supprimé : seuls les coordinateurs" in coordinator_client.get(
        f"/p/{SLUG}").text


def test_logout_in_another_session_does_not_end_this_one(app, make_user, login):
    member = make_user("lecteur", "sud")
    make_sheet(app, make_user())
    phone, laptop = login(member), login(member)
    assert reads(phone) and reads(laptop)
    assert laptop.post("/deconnexion").status_code in (302, 303)
    assert not reads(laptop)  # a members' sheet: 404 for a visitor
    assert reads(phone)


def test_password_change_ends_the_other_sessions_at_once(app, make_user, login):
    member = make_user("contributeur", "nord")
    make_sheet(app, member)
    phone, laptop = login(member), login(member)
    assert reads(phone) and reads(laptop)
    response = laptop.post("/compte/mot-de-passe", data={
        "current": PASSWORD, "password": "un nouveau mot de passe", "confirm": "un nouveau mot de passe"})
    assert response.status_code == 302
    assert not reads(phone)
    assert reads(laptop)


def test_disabled_account_is_logged_out_at_once(app, make_user, login):
    member, coordinator = make_user("lecteur", "sud"), make_user("coordinateur")
    make_sheet(app, coordinator)
    reader = login(member)
    assert reads(reader)
    with app.app_context():
        accounts.update_user(_user(member), by=_user(coordinator), is_enabled=False)
    assert not reads(reader)
    assert reader.get("/compte").status_code == 302


def test_disabled_flag_alone_is_enough(app, make_user, login):
    """Even with its login session still there (a bulk statement), a disabled account reads nothing."""
    member = make_user("lecteur", "sud")
    make_sheet(app, make_user())
    reader = login(member)
    assert reads(reader)
    with app.app_context():
        db.session.execute(update(User).where(User.id == member).values(is_enabled=False))
        db.session.commit()
    assert not reads(reader)


# Rights and contents per reader ----------------------------------------------------------------

@pytest.mark.parametrize("contributor_first", [True, False])
def test_each_reader_gets_their_own_buttons(app, make_user, login, contributor_first):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    contributor = login(make_user("contributeur", "nord"))
    reader = login(make_user("lecteur", "sud"))
    order = [contributor, reader] if contributor_first else [reader, contributor]
    for client in order:
        client.get(f"/p/{SLUG}")
    seen = {id(client): client.get(f"/p/{SLUG}").text for client in order}
    mine, theirs = seen[id(contributor)], seen[id(reader)]
    assert f'href="/p/{SLUG}/modifier"' in mine and "Écrire le regard du Nord" in mine
    assert 'class="upload"' in mine
    assert "/modifier" not in theirs and "Écrire le regard" not in theirs and 'class="upload"' not in theirs
    assert "Il sera écrit par un contributeur du Nord." in theirs
    assert "Pompes en panne." in mine and "Pompes en panne." in theirs


def test_readers_of_both_sides_get_their_own_side_and_name(app, make_user, login):
    """Readers with the same rights share the kept parts; the header is each one's."""
    make_sheet(app, make_user("contributeur", "nord"))
    nord_id, sud_id = make_user("lecteur", "nord"), make_user("lecteur", "sud")
    nord, sud = login(nord_id), login(sud_id)
    with app.app_context():
        nord_name, sud_name = _user(nord_id).name, _user(sud_id).name
    for _round in range(2):
        for client, side, name, other in ((nord, "nord", nord_name, sud_name), (sud, "sud", sud_name, nord_name)):
            html = client.get(f"/p/{SLUG}").text
            assert f'class="badge side-{side}"' in header(html) and name in header(html)
            assert other not in html


def test_kept_fragments_hold_nothing_about_the_reader(app, make_user, login):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    attach(app, author, "forages.csv")
    coordinator = login(make_user("coordinateur", "nord"))
    assert reads(coordinator)
    html = coordinator.get(f"/p/{SLUG}").text
    assert "forages.csv" in html and "/supprimer" in html and tokens(html)
    member = login(make_user("contributeur", "sud"))
    html = member.get(f"/p/{SLUG}").text
    assert "forages.csv" in html and "/supprimer" not in html
    shared = kept_html(app, markup_only=True)  # beside it: plain addresses, the same for everyone
    assert "forages.csv" in shared and "Pompes en panne." in shared
    for personal in ("csrf_token", "<form", "<button", "Se déconnecter", "/supprimer", 'class="upload"',
                     "Écrire le regard"):
        assert personal not in shared, personal
    everything = kept_html(app)
    with app.app_context():
        names = [u.name for u in db.session.scalars(select(User)) if u.id != author]  # the author is content
        emails = [u.email for u in db.session.scalars(select(User))]
    for personal in (*names, *emails, *tokens(html)):
        assert personal not in everything, personal


def test_the_read_check_runs_even_when_the_sheet_is_kept(app, make_user, login):
    author = make_user("contributeur", "nord", groups_=("eau",))
    coordinator = make_user("coordinateur", "nord")
    member_id = make_user("contributeur", "sud", groups_=("eau",))
    make_sheet(app, author)
    member, other = login(member_id), login(make_user("lecteur", "sud"))
    for client in (member, other):
        assert reads(client)
    edit_page(app, coordinator, visibility="groupe", group="eau")
    assert member.get(f"/p/{SLUG}").status_code == 200
    assert other.get(f"/p/{SLUG}").status_code == 404
    with app.app_context():  # the member leaves: refused at once, though the fragment is kept
        groups.remove_member(groups.find_group("eau"), _user(member_id), by=_user(member_id))
    assert member.get(f"/p/{SLUG}").status_code == 404
    assert member.get(f"/p/{SLUG}/version/1").status_code == 404
    assert member.get(f"/p/{SLUG}/fichiers/rien.csv").status_code == 404


def test_members_pages_are_never_stored(app, make_user, login):
    make_sheet(app, make_user("contributeur", "nord"))
    member = login(make_user("lecteur", "sud"))
    for path in (f"/p/{SLUG}", f"/p/{SLUG}/version/1", "/"):
        member.get(path)
        for headers in ({}, {"Accept-Encoding": "gzip"}):
            response = member.get(path, headers=headers)
            assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
            assert "ETag" not in response.headers
    assert not _pagecache_entries(app)


def test_old_revision_view_is_not_the_current_one(app, make_user, login):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    edit_page(app, author, fields={**FIELDS, "context": "Contexte revu."})
    member = login(make_user("contributeur", "nord"))
    for _ in range(2):
        current = member.get(f"/p/{SLUG}").text
        old = member.get(f"/p/{SLUG}/version/1").text
        assert "Contexte revu." in current and "ce n'est pas la version actuelle" not in current
        assert "Pas d'eau potable." in old and "ce n'est pas la version actuelle" in old
        assert "Rétablir cette version" in old and "Rétablir cette version" not in current


def test_home_lists_are_per_reader_and_fresh(app, make_user, login):
    nord_id, sud_id = make_user("contributeur", "nord"), make_user("contributeur", "sud")
    nord, sud = login(nord_id), login(sud_id)
    make_sheet(app, nord_id, title="Brouillon de Nord", status="brouillon")
    make_sheet(app, sud_id, title="Maraîchage à Kati")
    for client in (nord, sud):
        client.get("/")
    nord_home, sud_home = nord.get("/").text, sud.get("/").text
    assert "Brouillon de Nord" in nord_home and "Brouillon de Nord" not in sud_home  # a draft is its author's
    assert "Maraîchage à Kati" in nord_home and "Maraîchage à Kati" in sud_home
    make_sheet(app, sud_id, title="Jardins scolaires de Kayes")
    assert "Jardins scolaires de Kayes" in nord.get("/").text
    with app.app_context():
        slug = groups.create_group(name="sante", by=SYSTEM).slug
    edit_page(app, make_user("coordinateur"), slug="jardins-scolaires-de-kayes", visibility="groupe", group=slug)
    assert "Jardins scolaires de Kayes" not in nord.get("/").text
    reader = login(make_user("lecteur", "nord"))
    reader.get("/")
    html = reader.get("/").text
    assert "Écrire une fiche d'expérience" not in html and "Écrire une fiche d'expérience" in nord.get("/").text


def test_group_home_lists_are_per_read_class_and_fresh(app, make_user, login, client):
    """The group home's lists are kept per read class: what readers who may read the same
    pages share; drafts are their authors'."""
    author_id = make_user("contributeur", "nord", groups_=("eau",))
    coordinator = make_user("coordinateur", "nord")
    make_page(app, coordinator, "Page publique de l'eau", "Pour tous.", visibility="public", group="eau")
    make_page(app, author_id, "Page des membres de l'eau", "Pour le réseau.", visibility="membres", group="eau")
    reserved = make_page(app, author_id, "Réservée au groupe eau", "Pour le groupe.", visibility="groupe",
                         group="eau")
    make_sheet(app, author_id, title="Brouillon du groupe eau", status="brouillon", visibility="groupe",
               group="eau")
    inside = login(make_user("lecteur", "sud", groups_=("eau",)))
    outside = login(make_user("lecteur", "sud"))  # the same role and side, not in the group
    author = login(author_id)
    expected = {  # reader → (titles seen, titles not seen)
        "outside": ({"Page publique de l'eau", "Page des membres de l'eau"},
                    {"Réservée au groupe eau", "Brouillon du groupe eau"}),
        "inside": ({"Page publique de l'eau", "Page des membres de l'eau", "Réservée au groupe eau"},
                   {"Brouillon du groupe eau"}),
        "visitor": ({"Page publique de l'eau"},
                    {"Page des membres de l'eau", "Réservée au groupe eau", "Brouillon du groupe eau"}),
        "author": ({"Page publique de l'eau", "Page des membres de l'eau", "Réservée au groupe eau",
                    "Brouillon du groupe eau"}, set()),
    }
    readers = {"outside": outside, "inside": inside, "visitor": client, "author": author}
    for _round in range(2):
        for who in ("outside", "inside", "visitor", "author", "inside", "outside"):
            html = readers[who].get("/groupes/eau").text
            seen_titles, hidden = expected[who]
            assert all(title.replace("'", "&#39;") in html for title in seen_titles), who
            assert not any(title.replace("'", "&#39;") in html for title in hidden), who
    edit_page(app, coordinator, slug=reserved, visibility="membres", group="eau")
    assert "Réservée au groupe eau" in outside.get("/groupes/eau").text
    assert "Réservée au groupe eau" not in client.get("/groupes/eau").text


def test_visitor_home_is_not_a_members(app, make_user, login, client):
    member_id = make_user("contributeur", "nord")
    make_sheet(app, member_id, title="Réservée aux membres")
    make_sheet(app, make_user("coordinateur"), title="Ouverte à tous", visibility="public")
    member = login(member_id)
    member.get("/")
    assert "Réservée aux membres" in member.get("/").text
    html = client.get("/").text
    assert "Ouverte à tous" in html and "Réservée aux membres" not in html and "Se déconnecter" not in html


def test_readers_with_the_same_rights_but_other_groups_see_their_own_links(app, make_user, login):
    """The kept sheet parts are shared, the body's [[links]] are each reader's: a link for the
    group's members, « à créer » for the others."""
    author = make_user("contributeur", "nord", groups_=("eau",))
    make_page(app, author, "Réunion du groupe eau", "Ordre du jour secret.", visibility="groupe", group="eau")
    make_sheet(app, author, body="Compte rendu : [[Réunion du groupe eau]].")
    inside = login(make_user("lecteur", "sud", groups_=("eau",)))
    outside = login(make_user("lecteur", "sud"))
    for client in (inside, outside, inside, outside):
        client.get(f"/p/{SLUG}")
    mine, theirs = inside.get(f"/p/{SLUG}").text, outside.get(f"/p/{SLUG}").text
    assert 'href="/p/reunion-du-groupe-eau"' in mine and "Page à créer" not in mine
    assert 'href="/p/reunion-du-groupe-eau"' not in theirs and "Page à créer" in theirs


def test_a_message_waiting_is_shown_on_a_kept_sheet(app, make_user, login):
    make_sheet(app, make_user("contributeur", "nord"))
    member = login(make_user("lecteur", "sud"))
    assert reads(member)
    assert "Bienvenue" not in member.get(f"/p/{SLUG}").text
    with member.session_transaction() as session:
        session["_flashes"] = [("info", "Bienvenue sur la fiche.")]
    assert "Bienvenue sur la fiche." in member.get(f"/p/{SLUG}").text
    assert "Bienvenue sur la fiche." not in member.get(f"/p/{SLUG}").text  # shown once


def test_missing_pages_are_not_kept(app, make_user, login):
    """Made-up addresses (a crawler) must not push out what readers use."""
    make_sheet(app, make_user())
    reader = login(make_user("lecteur"))
    assert reads(reader)
    before = len(_store(app).entries)
    assert all(reader.get(f"/p/adresse-inventee-{n}").status_code == 404 for n in range(20))
    assert len(_store(app).entries) == before


# d. Two app instances, separate data folders, one database ---------------------------------

@pytest.fixture
def two_instances(tmp_path):
    """Two processes' worth of app (own data folder, caches and search index) on one database:
    a shared SQLite file, or the test's PostgreSQL database."""
    database = os.environ["WIKI_DATABASE_URL"] if ON_POSTGRESQL else f"sqlite:///{tmp_path / 'shared.sqlite'}"

    def make(folder: str):
        return create_app({"TESTING": True, "SECRET_KEY": "shared-secret", "WTF_CSRF_ENABLED": False,
                           "DATA_DIR": str(tmp_path / folder), "SQLALCHEMY_DATABASE_URI": database,
                           "SERVER_NAME": "wiki.test",
                           "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1})

    first, second = make("data-a"), make("data-b")
    assert first.config["DATA_DIR"] != second.config["DATA_DIR"]
    with first.app_context():
        db.create_all()
        seed_themes()
        seed_thesaurus()
        search.catch_up()
    with second.app_context():
        search.catch_up()
    yield first, second
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


def _make_user(app, email: str, role: str, side: str = "nord", name: str | None = None) -> int:
    with app.app_context():
        return accounts.create_user(email=email, name=name or email.split("@")[0], side=side, role=role,
                                    password=PASSWORD, by=SYSTEM).id


def _login(client, email: str) -> None:
    response = client.post("/connexion", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text


def _copy_session(source, target) -> None:
    cookie = source.get_cookie("session", domain="wiki.test")
    assert cookie is not None
    target.set_cookie("session", cookie.value, domain="wiki.test")


def test_an_edit_through_one_instance_reaches_the_others_visitors(two_instances):
    app_a, app_b = two_instances
    _make_user(app_a, "coord@example.org", "coordinateur")
    editor = app_a.test_client()
    _login(editor, "coord@example.org")
    response = editor.post("/pages/nouvelle", data={"title": "Puits de Kalabougou", "body": "Texte d'origine.",
                                                    "visibility": "public"})
    assert response.status_code == 302
    slug = "puits-de-kalabougou"
    visitor = app_b.test_client()
    for _ in range(3):
        assert "Texte d'origine." in visitor.get(f"/p/{slug}").text
    assert any(key[0] == f"/p/{slug}" for key in _pagecache_entries(app_b))  # B keeps it
    assert "Puits de Kalabougou" in visitor.get("/").text
    response = editor.post(f"/p/{slug}/modifier", data={"title": "Puits de Kalabougou", "body": "Texte corrigé.",
                                                        "visibility": "public", "base_revision": "1"})
    assert response.status_code == 302
    html = visitor.get(f"/p/{slug}").text
    assert "Texte corrigé." in html and "Texte d'origine." not in html
    # Made members-only through A: B no longer serves it to visitors, nor lists it.
    response = editor.post(f"/p/{slug}/modifier", data={"title": "Puits de Kalabougou", "body": "Texte corrigé.",
                                                        "visibility": "membres", "base_revision": "2"})
    assert response.status_code == 302
    assert visitor.get(f"/p/{slug}").status_code == 404
    assert "Puits de Kalabougou" not in visitor.get("/").text


def test_an_edit_through_one_instance_reaches_the_others_members(two_instances):
    app_a, app_b = two_instances
    author = _make_user(app_a, "auteur@example.org", "contributeur", "nord")
    coordinator = _make_user(app_a, "coord@example.org", "coordinateur")
    _make_user(app_a, "lectrice@example.org", "lecteur", "sud")
    make_sheet(app_a, author)
    member = app_b.test_client()
    _login(member, "lectrice@example.org")
    assert reads(member) and "Pompes en panne." in member.get(f"/p/{SLUG}").text
    assert kept_html(app_b, "sheet")
    admin = app_a.test_client()
    _login(admin, "coord@example.org")
    with app_a.app_context():
        theme_id = db.session.scalar(select(Theme.id).where(Theme.slug == "eau-et-assainissement"))
    assert admin.post("/admin/themes", data={"action": "rename", "theme_id": theme_id,
                                             "name": "Eau potable"}).status_code == 302
    assert "Eau potable" in member.get(f"/p/{SLUG}").text
    edit_page(app_a, coordinator, fields={**FIELDS, "difficulties": "Pompes réparées."})
    html = member.get(f"/p/{SLUG}").text
    assert "Pompes réparées." in html and "Pompes en panne." not in html
    with app_a.app_context():
        groups.create_group(name="eau", by=SYSTEM)
    edit_page(app_a, coordinator, visibility="groupe", group="eau")
    assert member.get(f"/p/{SLUG}").status_code == 404


def test_a_logout_through_one_instance_ends_the_session_in_the_other(two_instances):
    app_a, app_b = two_instances
    author = _make_user(app_a, "auteur@example.org", "contributeur")
    _make_user(app_a, "lectrice@example.org", "lecteur", "sud", name="Lectrice Diarra")
    make_sheet(app_a, author)
    on_a, on_b = app_a.test_client(), app_b.test_client()
    _login(on_a, "lectrice@example.org")
    _copy_session(on_a, on_b)  # the same browser, its requests served by either instance
    assert reads(on_a) and reads(on_b)
    assert "Lectrice Diarra" in header(on_b.get("/").text)
    assert on_a.post("/deconnexion").status_code in (302, 303)
    assert not reads(on_b)  # a members' sheet: 404 for a visitor
    assert "Lectrice Diarra" not in on_b.get("/").text and "Se connecter" in on_b.get("/").text


def test_a_login_through_one_instance_is_known_to_the_other_until_logout_there(two_instances):
    app_a, app_b = two_instances
    _make_user(app_a, "lectrice@example.org", "lecteur", "sud", name="Lectrice Diarra")
    on_a, on_b = app_a.test_client(), app_b.test_client()
    for _ in range(3):  # A keeps the visitors' home
        assert "Se connecter" in on_a.get("/").text
    assert any(key[0] == "/" for key in _pagecache_entries(app_a))
    _login(on_b, "lectrice@example.org")
    _copy_session(on_b, on_a)
    html = on_a.get("/").text  # not the visitors' copy A keeps
    assert "Lectrice Diarra" in header(html) and "Se connecter" not in html
    assert on_b.post("/deconnexion").status_code in (302, 303)
    assert "Lectrice Diarra" not in on_a.get("/").text


@pytest.mark.parametrize("template", ["{{ attachments_of(page) }}", "{{ csrf_meta_tag() }}", "{{ config.SECRET_KEY }}"])
def test_every_global_not_known_to_be_impersonal_is_a_stand_in(app, template):
    calls = []

    def render(_reader, env):
        calls.append(1)
        return env.from_string(template).render(page=None)

    with app.test_request_context("/"):
        assert fragments.shared("globals", (template,), LECTEUR_NORD, render) == ""
        fragments.shared("globals", (template,), LECTEUR_NORD, render)
    assert len(calls) == 2  # used something personal: never kept


def test_a_shared_rendering_inside_another_passes_on_what_it_read(app):
    calls = []

    def inner(reader, _env):
        return str(reader.user_id) if len(calls) == 1 else reader.role  # personal the first time

    def outer(reader, _env):
        calls.append(1)
        return "[" + fragments.shared("inner", (1,), reader, inner) + "]"

    with app.test_request_context("/"):
        assert fragments.shared("outer", (1,), LECTEUR_NORD, outer) == "[101]"
        assert fragments.shared("outer", (1,), LECTEUR_NORD, outer) == "[lecteur]"  # not kept: it was personal
        assert fragments.shared("outer", (1,), COORDINATEUR, outer) == "[coordinateur]"  # keyed by the inner role
    assert len(calls) == 3
