"""Members' sheet view and home page with reader-independent fragments kept under the data
version (wiki/pagecache.py `fragment`): never stale, never someone else's rights, name or
form token, and the read check still runs on every request."""
from __future__ import annotations

import io
import re

import pytest
from markupsafe import Markup

from wiki import pagecache
from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages
from wiki.pages.models import Page
from wiki.sheets import views as sheet_views

SLUG = "forage-a-fanebougou"
FIELDS = {"region": "Ségou", "commune": "Fanébougou", "context": "Pas d'eau potable.",
          "difficulties": "Pompes en panne.", "partners_sud": ["Coopérative Benkadi"]}


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def _page(slug: str = SLUG) -> Page:
    return db.session.scalar(db.select(Page).where(Page.slug == slug))


def make_sheet(app, author: int, title: str = "Forage à Fanébougou", **values) -> str:
    values.setdefault("fields", dict(FIELDS))
    with app.app_context():
        return pages.create_page(author=_user(author), title=title, kind="fiche", themes=["eau-et-assainissement"],
                                 **values).slug


def edit_sheet(app, author: int, slug: str = SLUG, **values) -> None:
    with app.app_context():
        page = _page(slug)
        current = page.current
        values.setdefault("fields", dict(current.fields or {}))
        values.setdefault("body", current.body)
        if isinstance(values.get("group"), str):  # a group's slug, found in this session
            values["group"] = groups.find_group(values["group"])
        pages.update_page(page, author=_user(author), base_revision=None, title=current.title, **values)


def fragments(app, per_reader_class: bool = False) -> list:
    """The kept fragments the same for every reader, or those kept per reader class (the sheet
    content as readers with the same rights see it, wiki/sheets/views.py)."""
    kept = app.extensions[pagecache.EXTENSION_KEY].fragments
    return [value for key, (_version, _at, value) in kept.items() if (key[0] == "sheet-main") == per_reader_class]


def fragment_html(app, per_reader_class: bool = False) -> str:
    """Every HTML piece of the cached fragments (beside them: plain addresses, flags)."""
    def html(value) -> str:
        if isinstance(value, dict):
            return " ".join(html(v) for v in value.values())
        if isinstance(value, (tuple, list)):
            return " ".join(html(v) for v in value)
        return str(value) if isinstance(value, Markup) else ""
    return " ".join(html(v) for v in fragments(app, per_reader_class))


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def test_an_edit_is_seen_at_once_by_members(app, make_user, login):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    reader = login(make_user("lecteur", "sud"))
    reader.get(f"/p/{SLUG}")  # the first view stores the revision's HTML (a write)
    html = reader.get(f"/p/{SLUG}").text
    assert "Pompes en panne." in html and fragments(app)
    edit_sheet(app, author, fields={**FIELDS, "difficulties": "Pompes réparées par les artisans."},
               body="Un complément.")
    html = reader.get(f"/p/{SLUG}").text
    assert "Pompes réparées par les artisans." in html and "Pompes en panne." not in html
    assert "Un complément." in html and "version 2" in html


def test_status_and_validation_reach_members_at_once(app, make_user, login):
    nord = make_user("contributeur", "nord")
    make_sheet(app, nord)
    sud = login(make_user("contributeur", "sud"))
    sud.get(f"/p/{SLUG}")
    html = sud.get(f"/p/{SLUG}").text
    assert "Publiée, en attente de validation" in html and "Valider : cette fiche" in html
    assert sud.post(f"/p/{SLUG}/valider").status_code == 302
    html = sud.get(f"/p/{SLUG}").text
    assert "Validée par Contributeur" in html and "Valider : cette fiche" not in html


@pytest.mark.parametrize("contributor_first", [True, False])
def test_each_reader_gets_their_own_buttons(app, make_user, login, contributor_first):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    contributor = login(make_user("contributeur", "nord"))
    reader = login(make_user("lecteur", "sud"))
    order = [contributor, reader] if contributor_first else [reader, contributor]
    order[0].get(f"/p/{SLUG}")
    pages_seen = {id(client): client.get(f"/p/{SLUG}").text for client in order}
    mine, theirs = pages_seen[id(contributor)], pages_seen[id(reader)]
    # The contributor may edit and write the Nord voice; the reader may do neither.
    assert f'href="/p/{SLUG}/modifier"' in mine and "Écrire le regard du Nord" in mine
    assert 'class="upload"' in mine
    assert "/modifier" not in theirs and "Écrire le regard" not in theirs and 'class="upload"' not in theirs
    assert "Il sera écrit par un contributeur du Nord." in theirs
    # The shared part is the same for both.
    assert "Pompes en panne." in mine and "Pompes en panne." in theirs


def test_fragments_hold_nothing_about_the_reader(app, make_user, login, api):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    api("POST", f"/pages/{SLUG}/attachments", user_id=author,
        data={"file": (io.BytesIO(b"lieu;profondeur\nFanebougou;42\n"), "forages.csv", "text/csv")})
    coordinator = login(make_user("coordinateur", "nord"))
    coordinator.get(f"/p/{SLUG}")
    html = coordinator.get(f"/p/{SLUG}").text
    assert "forages.csv" in html and "/supprimer" in html and tokens(html)
    member = login(make_user("contributeur", "sud"))
    html = member.get(f"/p/{SLUG}").text
    assert "forages.csv" in html and "/supprimer" not in html
    shared = fragment_html(app)
    assert "forages.csv" in shared and "Pompes en panne." in shared
    with app.app_context():
        names = [u.name for u in db.session.scalars(db.select(User)) if u.id != author]  # the author is content
    for personal in ("csrf_token", "<form", "<button", "Se déconnecter", "/supprimer", 'class="upload"',
                     "Écrire le regard", "/modifier", *names):
        assert personal not in shared, personal
    # Kept per reader class: buttons for those rights, a slot where each reader's token goes.
    by_class = fragment_html(app, per_reader_class=True)
    assert "forages.csv" in by_class and 'class="upload"' in by_class and "/supprimer" not in by_class
    assert tokens(by_class) == {sheet_views.TOKEN_SLOT}
    for personal in ("Se déconnecter", *names):
        assert personal not in by_class, personal
    # A new file, then a file deleted: the listing follows at once.
    api("POST", f"/pages/{SLUG}/attachments", user_id=author,
        data={"file": (io.BytesIO(b"puits;debit\nKati;3\n"), "debits.csv", "text/csv")})
    html = member.get(f"/p/{SLUG}").text
    assert "debits.csv" in html and "forages.csv" in html
    with app.app_context():
        from wiki.attachments import services as attachments
        attachments.set_deleted(attachments.current_version(_page(), "forages.csv"), True,
                                by=db.session.scalar(db.select(User).where(User.role == "coordinateur")))
    html = member.get(f"/p/{SLUG}").text
    assert "debits.csv" in html and "forages.csv" not in html


def test_coordinator_buttons_are_not_served_to_members(app, make_user, login):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    coordinator = login(make_user("coordinateur", "nord"))
    coordinator.get(f"/p/{SLUG}")
    assert f"/p/{SLUG}/supprimer" in coordinator.get(f"/p/{SLUG}").text
    html = login(make_user("lecteur", "nord")).get(f"/p/{SLUG}").text
    assert "/supprimer" not in html and "Rétablir" not in html


def test_the_read_check_runs_even_when_the_sheet_is_cached(app, make_user, login):
    author = make_user("contributeur", "nord", groups_=("eau",))
    coordinator = make_user("coordinateur", "nord")
    member_id = make_user("contributeur", "sud", groups_=("eau",))
    make_sheet(app, author)
    member, other = login(member_id), login(make_user("lecteur", "sud"))
    for client in (member, other):
        client.get(f"/p/{SLUG}")
        assert client.get(f"/p/{SLUG}").status_code == 200
    # Made a group page: only the group's members still read it.
    edit_sheet(app, coordinator, visibility="groupe", group="eau")
    assert member.get(f"/p/{SLUG}").status_code == 200
    assert other.get(f"/p/{SLUG}").status_code == 404
    # The member leaves the group: refused at once, though the fragment is still there.
    with app.app_context():
        groups.remove_member(groups.find_group("eau"), _user(member_id), by=_user(member_id))
    assert member.get(f"/p/{SLUG}").status_code == 404
    assert member.get(f"/p/{SLUG}/version/1").status_code == 404
    # Deleted: gone for members too.
    edit_sheet(app, coordinator, visibility="membres", group=None)
    assert other.get(f"/p/{SLUG}").status_code == 200
    with app.app_context():
        pages.set_deleted(_page(), True, by=_user(coordinator))
    assert other.get(f"/p/{SLUG}").status_code == 404


def test_form_tokens_and_names_are_per_session(app, make_user, login):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    first_id, second_id = make_user("contributeur", "sud"), make_user("contributeur", "sud")
    first, second = login(first_id), login(second_id)
    first.get(f"/p/{SLUG}")
    one, two = first.get(f"/p/{SLUG}").text, second.get(f"/p/{SLUG}").text
    assert tokens(one) and tokens(two) and not tokens(one) & tokens(two)
    # The same rights share the kept content: each page got its reader's token, in every form.
    assert len(tokens(one)) == len(tokens(two)) == 1 and sheet_views.TOKEN_SLOT not in one + two
    with app.app_context():
        first_name, second_name = _user(first_id).name, _user(second_id).name
    assert first_name in one and second_name not in one
    assert second_name in two and first_name not in two
    for html in (one, two):
        assert html.count('name="csrf_token"') >= 2  # logout, validation, upload


def test_members_pages_are_never_stored(app, make_user, login):
    make_sheet(app, make_user("contributeur", "nord"))
    member = login(make_user("lecteur", "sud"))
    for path in (f"/p/{SLUG}", "/"):
        member.get(path)
        response = member.get(path)
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
        assert "ETag" not in response.headers


def test_old_revision_view_is_not_the_current_one(app, make_user, login):
    author = make_user("contributeur", "nord")
    make_sheet(app, author)
    edit_sheet(app, author, fields={**FIELDS, "context": "Contexte revu."})
    member = login(make_user("contributeur", "nord"))
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
    assert "Fiches qui attendent le regard" in nord_home
    # A new page shows at once; a page made private to a group vanishes at once.
    make_sheet(app, sud_id, title="Jardins scolaires de Kayes")
    assert "Jardins scolaires de Kayes" in nord.get("/").text
    with app.app_context():
        slug = groups.create_group(name="sante", by=None).slug
    edit_sheet(app, make_user("coordinateur"), slug="jardins-scolaires-de-kayes", visibility="groupe", group=slug)
    assert "Jardins scolaires de Kayes" not in nord.get("/").text
    # Each home shows its own name and token, and the create button only to contributors.
    reader = login(make_user("lecteur", "nord"))
    reader.get("/")
    html = reader.get("/").text
    assert "Écrire une fiche d'expérience" not in html and "Écrire une fiche d'expérience" in nord.get("/").text
    assert not tokens(html) & tokens(nord.get("/").text)


def test_visitor_home_is_not_a_members(app, make_user, login, client):
    member_id = make_user("contributeur", "nord")
    make_sheet(app, member_id, title="Réservée aux membres")
    make_sheet(app, make_user("coordinateur"), title="Ouverte à tous", visibility="public")
    member = login(member_id)
    member.get("/")
    assert "Réservée aux membres" in member.get("/").text
    html = client.get("/").text
    assert "Ouverte à tous" in html and "Réservée aux membres" not in html and "Réciprocité" not in html


def test_readers_with_the_same_rights_but_other_groups_see_their_own_links(app, make_user, login):
    """The kept sheet content is per reader class *and* per reader's version of the body: a
    [[link]] to a group page is a link for the group's members, « à créer » for the others."""
    author = make_user("contributeur", "nord", groups_=("eau",))
    with app.app_context():
        pages.create_page(author=_user(author), title="Réunion du groupe eau", body="Ordre du jour secret.",
                          visibility="groupe", group=groups.find_group("eau"))
    make_sheet(app, author, body="Compte rendu : [[Réunion du groupe eau]].")
    inside = login(make_user("lecteur", "sud", groups_=("eau",)))
    outside = login(make_user("lecteur", "sud"))
    for client in (inside, outside, inside, outside):  # the second round is served from what was kept
        client.get(f"/p/{SLUG}")
    mine, theirs = inside.get(f"/p/{SLUG}").text, outside.get(f"/p/{SLUG}").text
    assert 'href="/p/reunion-du-groupe-eau"' in mine and "Page à créer" not in mine
    assert 'href="/p/reunion-du-groupe-eau"' not in theirs and "Page à créer" in theirs


def test_members_whole_page_is_kept_per_side_and_rights_with_their_own_name(app, make_user, login):
    from flask import template_rendered

    make_sheet(app, make_user("contributeur", "nord"))
    first_id, second_id = make_user("contributeur", "sud"), make_user("contributeur", "sud")
    nord_id, sud_reader = make_user("lecteur", "nord"), login(make_user("lecteur", "sud"))
    with app.app_context():
        _user(first_id).name, _user(second_id).name = "Awa <b>Traoré</b> & fils", "Moussa Keïta"
        db.session.commit()
    first, second, nord = login(first_id), login(second_id), login(nord_id)
    rendered = []

    def record(_app, template, context, **_extra):
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        first.get(f"/p/{SLUG}")
        assert "sheets/view.html" in rendered
        rendered.clear()
        one, two = first.get(f"/p/{SLUG}").text, second.get(f"/p/{SLUG}").text
        assert rendered == []  # both from the page kept for contributors of the Sud
    assert "Awa &lt;b&gt;Traoré&lt;/b&gt; &amp; fils" in one and "<b>Traoré</b>" not in one
    assert "Moussa Keïta" in two and "Traoré" not in two and "Moussa" not in one
    assert not tokens(one) & tokens(two) and len(tokens(one)) == len(tokens(two)) == 1
    for html in (one, two):
        assert sheet_views.NAME_SLOT not in html and sheet_views.TOKEN_SLOT not in html
        assert 'class="badge side-sud"' in html
    # Readers of both sides have the same rights: the badge in the header tells them apart.
    assert 'class="badge side-sud"' in sud_reader.get(f"/p/{SLUG}").text
    assert 'class="badge side-nord"' in nord.get(f"/p/{SLUG}").text
    kept = [value for key, (_version, _at, value) in app.extensions[pagecache.EXTENSION_KEY].fragments.items()
            if key[0] == "sheet-page"]
    assert len(kept) == 3 and all(sheet_views.NAME_SLOT in page and sheet_views.TOKEN_SLOT in page for page in kept)
    with app.app_context():
        nord_name = _user(nord_id).name
    for personal in ("Traoré", "Moussa", nord_name):
        assert not any(personal in page for page in kept), personal
    # Their form token works: the logout form of the kept page ends their session.
    assert first.post("/deconnexion", data={"csrf_token": tokens(one).pop()}).status_code in (302, 303)


def test_a_message_waiting_is_shown_on_a_kept_sheet(app, make_user, login):
    make_sheet(app, make_user("contributeur", "nord"))
    member = login(make_user("lecteur", "sud"))
    member.get(f"/p/{SLUG}")
    assert "Bienvenue" not in member.get(f"/p/{SLUG}").text
    with member.session_transaction() as session:
        session["_flashes"] = [("info", "Bienvenue sur la fiche.")]
    assert "Bienvenue sur la fiche." in member.get(f"/p/{SLUG}").text
    assert "Bienvenue sur la fiche." not in member.get(f"/p/{SLUG}").text  # shown once
