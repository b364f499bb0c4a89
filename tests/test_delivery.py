"""Delivery on slow links (issue 6): hashed static names with a year of cache, gzip by the
app, ETag / 304 on shareable pages, and the byte budget of a sheet's first visit."""
import gzip
import re

import pytest

from wiki import assets
from wiki.auth.models import User
from wiki.extensions import db
from wiki.pages import services as pages

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
FIRST_VISIT_BUDGET = 45 * 1024  # HTML, CSS, JS and icons, on the wire
HASHED = re.compile(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{10}\.[a-z0-9]+)"')


@pytest.fixture
def sheet(app, make_user):
    """A public experience sheet with every section filled, as a long real one would be."""
    coordinator = make_user("coordinateur", "nord")
    long_text = ("Le comité de gestion du forage s'est réuni chaque mois avec les femmes du village ; "
                 "la caisse d'entretien a permis de réparer la pompe deux fois sans aide extérieure. ") * 6
    fields = {key: long_text for key in ("context", "objectives", "actions", "results", "difficulties",
                                         "success_factors", "lessons", "recommendations", "sustainability",
                                         "regard_nord", "regard_sud")}
    fields.update(region="Ségou", cercle="Ségou", commune="Fanébougou", period_start=2019, period_end=2022,
                  abstract="Un forage et un comité de gestion.", partners_sud=["Coopérative Benkadi"],
                  funders="Agence de l'eau", budget="42 000 €")
    with app.app_context():
        page = pages.create_page(author=db.session.get(User, coordinator), title="Forage à Fanébougou",
                                 kind="fiche", visibility="public", themes=["eau-et-assainissement"],
                                 fields=fields, body="Voir aussi [[Puits de Kalabougou]].")
        return f"/p/{page.slug}"


def static_urls(html: str) -> list[str]:
    return HASHED.findall(html)


# ------------------------------------------------------------------ static files


def test_pages_link_hashed_static_files_cached_for_a_year(client, sheet):
    html = client.get(sheet).text
    urls = static_urls(html)
    assert any(u.startswith("/static/css/wiki.") and u.endswith(".css") for u in urls), urls
    assert "/static/css/wiki.css" not in html
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "ETag" in response.headers


def test_hash_changes_with_content_and_covers_any_static_file(app, tmp_path):
    folder = tmp_path / "static"
    (folder / "js").mkdir(parents=True)
    script = folder / "js" / "nouveau.min.js"
    script.write_text("console.log(1);")
    app.static_folder = str(folder)
    with app.test_request_context():
        from flask import url_for

        first = url_for("static", filename="js/nouveau.min.js")
        assert re.fullmatch(r"/static/js/nouveau\.min\.[0-9a-f]{10}\.js", first), first
        script.write_text("console.log(2); // plus long")
        second = url_for("static", filename="js/nouveau.min.js")
        assert second != first
        assert url_for("static", filename="js/absent.js") == "/static/js/absent.js"
    client = app.test_client()
    assert client.get(second).data == b"console.log(2); // plus long"
    assert client.get(first).status_code == 404  # an older version is gone


def test_wrong_hash_is_404_and_plain_name_gets_a_short_cache(client):
    html = client.get("/").text
    css = next(u for u in static_urls(html) if u.endswith(".css"))
    wrong = re.sub(r"\.[0-9a-f]{10}\.css$", ".0123456789.css", css)
    assert client.get(wrong).status_code == 404
    assert client.get("/static/css/absent.0123456789.css").status_code == 404
    assert client.get("/static/../wiki/__init__.py").status_code == 404
    assert client.get("/static/css").status_code == 404  # a folder is no file
    plain = client.get("/static/css/wiki.css")
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "public, max-age=300"


def test_static_files_are_gzipped_once_when_accepted(client):
    css = next(u for u in static_urls(client.get("/").text) if u.endswith(".css"))
    plain = client.get(css)
    packed = client.get(css, headers=GZIP)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    for response in (plain, packed):
        assert "Accept-Encoding" in response.headers["Vary"]
    assert packed.headers["ETag"] != plain.headers["ETag"]  # two representations


# ------------------------------------------------------------------ compression


def test_html_is_gzipped_only_when_the_client_accepts_it(client, sheet):
    plain = client.get(sheet)
    packed = client.get(sheet, headers=GZIP)
    refused = client.get(sheet, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in plain.headers and "Content-Encoding" not in refused.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    for response in (plain, packed, refused):
        assert "Accept-Encoding" in response.headers["Vary"]


def test_json_is_gzipped_too_but_not_tiny_answers(client, sheet):
    response = client.get("/api/v1/openapi.json", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert b'"openapi"' in gzip.decompress(response.data)
    tiny = client.get(f"{sheet}/source", headers=GZIP)  # a few dozen bytes of text
    assert "Content-Encoding" not in tiny.headers


def test_files_sent_as_files_are_not_recompressed(app, client):
    from flask import send_file

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 4000
    app.add_url_rule("/image-test", "image_test", lambda: send_file(__import__("io").BytesIO(png),
                                                                    mimetype="image/png"))
    response = client.get("/image-test", headers=GZIP)
    assert "Content-Encoding" not in response.headers
    assert response.data == png


# ------------------------------------------------------------------ ETag / 304


def test_public_page_answers_304_when_unchanged(client, sheet):
    first = client.get(sheet, headers=GZIP)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(sheet, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert "Accept-Encoding" in again.headers["Vary"]
    # the same validator whether gzipped or not (weak: same content, another encoding)
    assert client.get(sheet, headers={"If-None-Match": etag}).status_code == 304


def test_a_change_gives_a_new_etag(app, client, sheet, make_user):
    etag = client.get(sheet).headers["ETag"]
    editor = make_user("coordinateur", "sud")
    with app.app_context():
        page, _ = pages.find_page(sheet.removeprefix("/p/"))
        pages.update_page(page, author=db.session.get(User, editor), base_revision=page.current.number,
                          title=page.current.title, body="Texte complété.", visibility="public",
                          group=None, themes=list(page.current.themes), fields=dict(page.current.fields),
                          summary="maj")
    response = client.get(sheet, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag


def test_members_pages_are_never_stored_nor_revalidated(client, auth, make_user, sheet):
    """A member's page carries a CSRF token and per-user buttons: no-store, no ETag, so no
    304 can hand one reader's page, or its validator, to another."""
    anonymous_etag = client.get(sheet).headers["ETag"]
    auth.login(make_user("contributeur", "sud"))
    response = client.get(sheet, headers={**GZIP, "If-None-Match": anonymous_etag})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
    assert response.headers["Content-Encoding"] == "gzip"  # still light on the wire
    assert client.get(sheet, headers={"If-None-Match": "*"}).status_code == 200


def test_no_etag_on_login_form_and_errors(client):
    for path in ("/connexion", "/p/n-existe-pas"):
        response = client.get(path)
        assert "ETag" not in response.headers, path
        assert client.get(path, headers={"If-None-Match": "*"}).status_code != 304


# ------------------------------------------------------------------ budget


def first_visit_bytes(client, path: str) -> dict[str, int]:
    """Bytes on the wire for the page and every stylesheet, script and icon it links, gzipped."""
    page = client.get(path, headers=GZIP)
    assert page.status_code == 200
    sizes = {path: len(page.data)}
    html = gzip.decompress(page.data).decode()
    for url in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        sizes[url] = len(response.data)
    return sizes


def test_sheet_first_visit_is_under_budget(client, sheet):
    sizes = first_visit_bytes(client, sheet)
    assert sum(sizes.values()) <= FIRST_VISIT_BUDGET, sizes
    assert not re.search(r'(?:href|src)="(?:https?:)?//', gzip.decompress(client.get(sheet, headers=GZIP).data)
                         .decode()), "no request to another host"


def test_sheet_edit_form_with_its_scripts_is_under_budget(client, auth, make_user, sheet):
    auth.login(make_user("contributeur", "nord"))
    sizes = first_visit_bytes(client, f"{sheet}/modifier")
    assert sum(sizes.values()) <= FIRST_VISIT_BUDGET, sizes


def test_repeat_visit_needs_only_the_page(client, sheet):
    """Second visit: hashed files come from the browser's cache (immutable), the page is a 304."""
    first = client.get(sheet, headers=GZIP)
    again = client.get(sheet, headers={**GZIP, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert len(first.data) <= 12 * 1024  # even without the 304, the page alone fits


def test_only_one_stylesheet_blocks_the_first_paint(client, sheet):
    html = client.get(sheet).text
    head = html.split("</head>", 1)[0]
    blocking_css = [tag for tag in re.findall(r"<link[^>]+>", head)
                    if 'rel="stylesheet"' in tag and 'media="print"' not in tag]
    assert len(blocking_css) == 1
    for tag in re.findall(r"<script[^>]*>", head):
        assert "defer" in tag or "async" in tag or 'type="module"' in tag, tag


def test_asset_names(app):
    assert assets.hashed_name("css/wiki.css", "abc") == "css/wiki.abc.css"
    assert assets.hashed_name("LICENSE", "abc") == "LICENSE.abc"
    assert assets.hashed_name("a/b/jquery.min.js", "abc") == "a/b/jquery.min.abc.js"
