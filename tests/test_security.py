"""The web surface: security headers, caching rules, hostile bytes, size limits, templates
without inline code, and more sanitizer vectors (wiki/security.py, wiki/errors.py)."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from wiki.auth.models import User
from wiki.extensions import db
from wiki.markup import render_markdown, sanitize
from wiki.pages import services as pages
from wiki.pages.models import Page

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CSP = ("default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
MB = 1024 * 1024


@pytest.fixture
def people(make_user):
    return {"lecteur": make_user("lecteur"), "contributeur": make_user("contributeur", "sud"),
            "coordinateur": make_user("coordinateur")}


@pytest.fixture
def site(app, people):
    """A public page and a members-only page, written by the coordinator."""
    with app.app_context():
        coordinator = db.session.get(User, people["coordinateur"])
        pages.create_page(author=coordinator, title="Accueil du réseau", body="Bienvenue.", visibility="public")
        pages.create_page(author=coordinator, title="Notes internes", body="Pour les membres.")
    return {"public": "/p/accueil-du-reseau", "membres": "/p/notes-internes"}


def page_count(app) -> int:
    with app.app_context():
        return db.session.query(Page).count()


def assert_security_headers(response):
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def assert_no_store(response):
    assert response.headers.get("Cache-Control") == "no-store", response.headers


def assert_may_be_cached(response):
    assert "no-store" not in response.headers.get("Cache-Control", "")


def assert_clean_refusal(response, status: int, *words: str):
    """A French refusal with the right status, the security headers and no stack trace."""
    assert response.status_code == status, response.text[:500]
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert_security_headers(response)
    assert_no_store(response)
    text = response.json["message"] if response.is_json else response.text
    for word in words:
        assert word in text, text[:500]


# --------------------------------------------------------------------------- headers


def test_headers_on_html_json_static_and_errors(app, client, site):
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    app.add_url_rule("/api/v1/boom", "api_boom", lambda: 1 / 0)
    responses = {
        "html": client.get("/"),
        "json": client.get("/api/v1/pages"),
        "openapi": client.get("/api/v1/openapi.json"),
        "static": client.get("/static/css/wiki.css", buffered=True),
        "html 404": client.get("/p/n-existe-pas"),
        "json 404": client.get("/api/v1/pages/n-existe-pas"),
        "405": client.get("/deconnexion"),
        "json 401": client.get("/api/v1/pages", headers={"Authorization": "Bearer faux"}),
        "html 500": client.get("/boom"),
        "json 500": client.get("/api/v1/boom"),
        "redirect": client.get("/pages/nouvelle"),
    }
    for name, response in responses.items():
        assert_security_headers(response)
    assert responses["html 500"].status_code == responses["json 500"].status_code == 500
    assert "Erreur interne" in responses["html 500"].text and "ZeroDivisionError" not in responses["html 500"].text
    assert responses["json 500"].json == {"error": "error", "message": (
        "Erreur interne. Elle est notée dans le journal du serveur ; réessayez plus tard et, si elle revient, "
        "prévenez la coordination du réseau.")}


def test_public_pages_and_static_files_may_be_cached_for_visitors(client, site):
    for path in ("/", site["public"], "/static/css/wiki.css"):
        response = client.get(path, buffered=True)
        assert response.status_code == 200, path
        assert_may_be_cached(response)
    public = client.get(site["public"])
    assert "Cookie" in public.headers.get("Vary", "")
    assert public.headers["Cache-Control"] == "no-cache"  # revalidated: a page made private vanishes


def test_everything_private_is_no_store(client, auth, people, site):
    # Anonymous: login form, hidden page, API, errors.
    for path in ("/connexion", site["membres"], "/api/v1/pages", "/api/v1/openapi.json", "/p/n-existe-pas",
                 "/compte", "/admin/journal/"):
        assert_no_store(client.get(path))
    # Any answer to a logged-in member, even a public page.
    auth.login(people["lecteur"])
    for path in ("/", site["public"], site["membres"], "/pages", "/recherche?q=accueil", "/compte"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_store(response)
    assert_may_be_cached(client.get("/static/css/wiki.css", buffered=True))


def test_no_store_on_login_and_invitation_even_without_session(app, client):
    response = client.get("/connexion")
    assert response.status_code == 200
    assert_no_store(response)
    assert_no_store(client.get("/invitation/jeton-inconnu"))


# --------------------------------------------------------------------------- hostile bytes


@pytest.mark.parametrize("value, what", [
    ("a\x00b@example.org", "octet nul"),
    ("a\x07b@example.org", "caractère de contrôle"),
    ("a\u202eb@example.org", "direction du texte"),
    ("a\u2066b@example.org", "direction du texte"),
])
def test_login_form_refuses_hostile_characters(client, value, what):
    response = client.post("/connexion", data={"email": value, "password": "mot-de-passe-solide"})
    assert_clean_refusal(response, 400, what, "email")


def test_login_form_refuses_invalid_utf8(client):
    for raw in (b"email=a%FF%FE&password=x", b"email=a\xff&password=x"):
        response = client.post("/connexion", data=raw, content_type="application/x-www-form-urlencoded")
        assert_clean_refusal(response, 400, "UTF-8")


def test_page_form_refuses_hostile_characters_and_saves_nothing(app, client, auth, people):
    auth.login(people["contributeur"])
    before = page_count(app)
    for data in ({"title": "Titre\u202eenrevers", "body": "x"}, {"title": "Titre", "body": "Texte\x00caché"},
                 {"title": "Titre", "body": "Texte\x1b[31m"}, {"title": "Titre", "body": "Texte\x85"}):
        response = client.post("/pages/nouvelle", data={"visibility": "membres", **data})
        assert_clean_refusal(response, 400, "formulaire")
    assert page_count(app) == before


def test_page_form_accepts_tab_newline_and_cr_in_text(app, client, auth, people):
    auth.login(people["contributeur"])
    response = client.post("/pages/nouvelle", data={"title": "Tableau", "visibility": "membres",
                                                    "body": "a\tb\r\nc\rd\n"})
    assert response.status_code == 302, response.text[:300]
    with app.app_context():
        page, _ = pages.find_page("tableau")
        assert "a\tb\nc" in page.current.body


def test_multipart_form_refuses_hostile_file_name_and_invalid_utf8(client, auth, people):
    auth.login(people["contributeur"])
    response = client.post("/pages/nouvelle", data={"title": "Photo", "visibility": "membres",
                                                    "file": (io.BytesIO(b"GIF89a"), "photo\u202egpj.exe")},
                           content_type="multipart/form-data")
    assert_clean_refusal(response, 400, "nom du fichier")
    boundary = "limite"
    raw = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n").encode() + b"Ti\xfftre" \
        + f"\r\n--{boundary}--\r\n".encode()
    response = client.post("/pages/nouvelle", data=raw, content_type=f"multipart/form-data; boundary={boundary}")
    assert_clean_refusal(response, 400, "UTF-8")


@pytest.mark.parametrize("query, what", [
    ("q=%00", "octet nul"), ("q=puits%00", "octet nul"), ("q=%E2%80%AEpuits", "direction du texte"),
    ("q=%FF", "UTF-8"), ("q=%C3", "UTF-8"), ("q=a%1Fb", "caractère de contrôle"), ("q=a%09b", "U+0009"),
    ("%00=x", "octet nul"),
])
def test_search_query_refuses_hostile_bytes(client, api, query, what):
    assert_clean_refusal(client.get(f"/recherche?{query}"), 400, what)
    assert_clean_refusal(api("GET", f"/search?{query}"), 400, what)


@pytest.mark.parametrize("door", ["html", "api"])
def test_long_search_queries_are_bounded_not_refused(client, api, door):
    # One search per test, each on a fresh index.
    response = (client.get("/recherche", query_string={"q": "puits " * 2000}) if door == "html"
                else api("GET", "/search", query_string={"q": "a" * 10_000}))
    assert response.status_code == 200
    assert_clean_refusal(client.get("/recherche", query_string={"q": "a" * 20_000}), 400, "dépassent")


@pytest.mark.parametrize("path", ["/p/a%00b", "/p/a%FFb", "/p/a%E2%80%AEb", "/p/a%07b", "/api/v1/pages/a%00b",
                                  "/api/v1/pages/a%C0%AFb", "/groupes/%FF"])
def test_url_path_with_hostile_bytes_is_400(client, path):
    response = client.get(path)
    assert_clean_refusal(response, 400)
    assert response.is_json == path.startswith("/api/")


def test_raw_invalid_utf8_path_from_the_server_is_400(client):
    # A real server hands the undecoded bytes over, as latin-1 (PEP 3333); the test client
    # would have replaced them with U+FFFD already.
    response = client.get("/", environ_overrides={"PATH_INFO": "/p/caf\xe9"})
    assert_clean_refusal(response, 400, "UTF-8")


def test_huge_numbers_in_url_are_404_not_500(client, api, site, auth, people):
    assert api("GET", "/pages/accueil-du-reseau/revisions/18446744073709551616").status_code == 404
    assert client.get("/p/accueil-du-reseau/version/99999999999999999999999").status_code == 404
    auth.login(people["coordinateur"])
    assert client.get("/admin/utilisateurs/18446744073709551616").status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"title": "Titre\x00"}, "title"),
    ({"title": "Titre", "body": "a\u202eb"}, "body"),
    ({"title": "Titre", "themes": ["eau", "\x1b"]}, "themes.1"),
    ({"title": "Titre", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Kayes", "context": "\u2069"}},
     "fields.context"),
    ({"title": "Titre", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Kayes",
                                                                       "partners_sud": ["ok", "\x00"]}},
     "fields.partners_sud.1"),
    ({"title\x00": "Titre"}, "title\x00"),
    ({"title": "Titre\ud800"}, "title"),
])
def test_api_post_refuses_hostile_json_fields_with_422(app, api, people, body, field):
    response = api("POST", "/pages", people["contributeur"], json=body)
    assert_clean_refusal(response, 422)
    assert response.json["error"] == "invalid" and list(response.json["fields"]) == [field]
    assert page_count(app) == 0


def test_api_put_refuses_hostile_json_and_keeps_the_page(app, api, people, site):
    slug = "notes-internes"
    response = api("PUT", f"/pages/{slug}", people["contributeur"],
                   json={"base_revision": 1, "body": "Texte\u202dcaché"})
    assert_clean_refusal(response, 422, "direction du texte")
    assert response.json["fields"] == {"body": response.json["message"]}
    assert api("GET", f"/pages/{slug}", people["contributeur"]).json["revision"] == 1


def test_api_refuses_invalid_utf8_and_absurd_nesting_with_400(api, people):
    for raw in (b'{"title": "caf\xe9"}', b'{"title": "\xed\xa0\x80"}'):
        response = api("POST", "/pages", people["contributeur"], data=raw, content_type="application/json")
        assert_clean_refusal(response, 400, "UTF-8")
    response = api("POST", "/pages", people["contributeur"], data=b"[" * 50_000 + b"]" * 50_000,
                   content_type="application/json")
    assert response.status_code in (400, 422) and response.json["error"] in ("bad_request", "invalid")
    nested: object = "x"
    for _ in range(40):
        nested = [nested]
    response = api("POST", "/pages", people["contributeur"], json={"title": "Titre", "themes": nested})
    assert_clean_refusal(response, 422, "imbrication")


def test_api_accepts_tab_newline_in_json_text(api, people):
    response = api("POST", "/pages", people["contributeur"], json={"title": "Tab", "body": "a\tb\r\nc"})
    assert response.status_code == 201, response.json


# --------------------------------------------------------------------------- sizes and bounds


def test_too_large_html_form_is_413_in_french(client, auth, people):
    auth.login(people["contributeur"])
    response = client.post("/pages/nouvelle", data={"title": "Gros", "body": "x" * (2 * MB)})
    assert_clean_refusal(response, 413, "Envoi trop volumineux", "2 Mo")
    assert "<html" in response.text


def test_too_large_login_form_is_413_in_french(client):
    response = client.post("/connexion", data={"email": "a@b.org", "password": "x" * (3 * MB)})
    assert_clean_refusal(response, 413, "Envoi trop volumineux")


def test_too_large_json_is_413_in_french(api, people):
    response = api("POST", "/pages", people["contributeur"], json={"title": "Gros", "body": "x" * (2 * MB)})
    assert_clean_refusal(response, 413, "Envoi trop volumineux", "2 Mo")
    assert response.json["error"] == "too_large"


@pytest.mark.parametrize("body, field", [
    ({"title": "t" * 201}, "title"),
    ({"title": "Titre", "body": "b" * 200_001}, "body"),
    ({"title": "Titre", "summary": "s" * 301}, "summary"),
    ({"title": "Titre", "themes": [f"theme-{i}" for i in range(11)]}, "themes"),
    ({"title": "Titre", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Kayes", "context": "c" * 20_001}},
     "fields.context"),
    ({"title": "Titre", "kind": "fiche", "themes": ["eau"],
      "fields": {"region": "Kayes", "partners_nord": ["p"] * 51}}, "fields.partners_nord"),
    ({"title": "Titre", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Kayes", "period_start": "9" * 5000}},
     "fields.period_start"),
    ({"title": "Titre", "kind": "fiche", "themes": ["eau"], "fields": {"region": "Kayes", "period_start": "²"}},
     "fields.period_start"),
])
def test_api_bounds_are_422(app, api, people, body, field):
    response = api("POST", "/pages", people["contributeur"], json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["fields"]
    assert page_count(app) == 0


def test_api_bounds_on_numbers_and_lists(api, people, site):
    assert api("GET", "/pages?limit=201").status_code == 400
    assert api("GET", "/pages?offset=-1").status_code == 400
    assert api("GET", "/search?page=1001").status_code == 400
    response = api("PUT", "/pages/notes-internes", people["contributeur"],
                   json={"base_revision": 2 ** 64, "body": "x"})
    assert response.status_code == 422 and "base_revision" in response.json["fields"]
    response = api("POST", "/groups", people["coordinateur"], json={"name": ["Eau"]})
    assert response.status_code == 422 and "name" in response.json["fields"]


def test_html_title_too_long_is_a_form_error(app, client, auth, people):
    auth.login(people["contributeur"])
    response = client.post("/pages/nouvelle", data={"title": "t" * 201, "body": "x", "visibility": "membres"})
    assert response.status_code == 200 and "200" in response.text
    assert page_count(app) == 0


# --------------------------------------------------------------------------- templates and CSP

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
INLINE_STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.S | re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.S | re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def inline_code(html: str) -> list[str]:
    """What a CSP without 'unsafe-inline' would block in this HTML."""
    problems = []
    for attributes, content in SCRIPT.findall(html):
        if "src=" not in attributes or content.strip():
            problems.append(f"inline <script>: {content.strip()[:60]!r}")
    problems += [f"style attribute: {m.group(0)[:80]!r}" for m in INLINE_STYLE_ATTRIBUTE.finditer(html)]
    problems += [f"event handler: {m.group(0)[:80]!r}" for m in EVENT_HANDLER.finditer(html)]
    problems += ["<style> element" for _ in STYLE_ELEMENT.finditer(html)]
    problems += ["javascript: URL" for _ in re.finditer(r"javascript:", html, re.I)]
    return problems


def test_templates_have_no_inline_script_style_or_handlers():
    files = sorted(TEMPLATES.rglob("*.html"))
    assert len(files) > 30
    problems = {str(path.relative_to(TEMPLATES)): inline_code(path.read_text()) for path in files}
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>", '<p style="color:red">x</p>', '<a href="#" onclick="x()">x</a>',
    '<button\n  onclick="x()">x</button>', "<style>p{}</style>", '<script src="/a.js">x()</script>',
])
def test_inline_code_detector_detects(html):
    assert inline_code(html)


def test_pages_still_render_under_the_policy(app, client, auth, people, site):
    with app.app_context():
        coordinator = db.session.get(User, people["coordinateur"])
        pages.create_page(author=coordinator, title="Fiche forage", kind="fiche", themes=["eau"],
                          fields={"region": "Ségou"}, body="Texte.")
    auth.login(people["coordinateur"])
    paths = ["/", "/pages", site["public"], site["membres"], f"{site['membres']}/modifier",
             f"{site['membres']}/historique", "/p/fiche-forage", "/p/fiche-forage/modifier", "/pages/nouvelle",
             "/fiches/nouvelle", "/groupes", "/annuaire", "/enseignements", "/recherche?q=forage", "/compte",
             "/admin/", "/admin/utilisateurs", "/admin/journal/", "/pages/corbeille"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert inline_code(response.text) == [], path
        assert_no_inline_code_parsed(response.text)
        assert_security_headers(response)


# --------------------------------------------------------------------------- sanitizer vectors
# Vectors test_markup.py does not have: invisible characters inside the scheme, entity
# encodings in reference-style links, data: URLs in links, alt-text and title injection,
# formaction on inputs.

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u2060", "\u180e"]
MORE_VECTORS = [
    *[(f"invisible-{ord(c):04x}-md", f"[x](java{c}script:alert(1))") for c in INVISIBLE],
    *[(f"invisible-{ord(c):04x}-html", f'<a href="java{c}script:alert(1)">x</a>') for c in INVISIBLE],
    ("invisible-entity-soft-hyphen", '<a href="java&shy;script:alert(1)">x</a>'),
    ("invisible-entity-zwsp", '<a href="java&#8203;script:alert(1)">x</a>'),
    ("invisible-leading-zwsp", '<a href="&#8203;javascript:alert(1)">x</a>'),
    ("reference-entity", "[x][r]\n\n[r]: &#106;avascript:alert(1)"),
    ("reference-entity-colon", "[x][r]\n\n[r]: javascript&#58;alert(1)"),
    ("reference-angle", "[x][r]\n\n[r]: <javascript:alert(1)>"),
    ("reference-data", "[x][r]\n\n[r]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("reference-title-breakout", '[x][r]\n\n[r]: /ok "a" onmouseover="alert(1)"'),
    ("reference-collapsed", "[r][]\n\n[r]: javascript:alert(1)"),
    ("reference-shortcut", "[r]\n\n[r]: vbscript:msgbox(1)"),
    ("data-link-md", "[x](data:text/html,<script>alert(1)</script>)"),
    ("data-link-html", '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>'),
    ("data-link-uppercase", '<a href="DATA:text/html,x">x</a>'),
    ("data-image-html", '<img src="data:image/png;base64,iVBORw0KGgo=">'),
    ("data-image-md", "![x](data:image/png;base64,iVBORw0KGgo=)"),
    ("alt-quote-breakout-md", '![x" onerror="alert(1)](/a.png)'),
    ("alt-gt-breakout-md", "![x><img src=x onerror=alert(1)>](/a.png)"),
    ("alt-quote-breakout-html", '<img src="/a.png" alt="x" onerror="alert(1)">'),
    ("alt-entity-quote", '<img src="/a.png" alt="x&quot; onerror=&quot;alert(1)">'),
    ("title-quote-breakout-img", '![x](/a.png "a\\" onerror=\\"alert(1)")'),
    ("formaction-input", '<input type="submit" formaction="javascript:alert(1)">'),
    ("formaction-on-link", '<a href="/ok" formaction="javascript:alert(1)">x</a>'),
    ("formaction-in-form", '<form><button formaction="javascript:alert(1)">x</button></form>'),
    ("xlink-href", '<a xlink:href="javascript:alert(1)">x</a>'),
]
# As a browser reads an href (WHATWG URL parser): C0 controls and spaces trimmed at both ends,
# tab and newlines dropped anywhere, then a scheme only if it is ASCII letters, digits, "+-."
# before ":". An invisible character (U+200B, soft hyphen…) inside "javascript" therefore makes
# the link a harmless relative address, never a script.
C0_OR_SPACE = "".join(map(chr, range(0x21)))
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}


def _elements(html: str) -> list[tuple[str, dict]]:
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.found = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    collector = Collector()
    collector.feed(str(html))
    collector.close()
    return collector.found


def assert_no_active_content(html: str) -> None:
    for tag, attributes in _elements(html):
        assert tag not in ("script", "form", "input", "button", "iframe", "object", "embed", "style"), html
        for name, value in attributes.items():
            assert not name.startswith("on") and name not in ("style", "formaction", "srcdoc"), html
            assert ":" not in name, html  # no namespaced attributes (xlink:href)
            if name in ("href", "src") and value:
                url = re.sub("[\t\n\r]", "", value.strip(C0_OR_SPACE)).lower()
                scheme = SCHEME.match(url)
                assert scheme is None or scheme.group(1) in SAFE_SCHEMES, html


def assert_no_inline_code_parsed(html: str) -> None:
    """The whole page, parsed: what the CSP would block (scripts without src, style and on* attributes)."""
    for tag, attributes in _elements(html):
        assert tag != "style", html
        assert tag != "script" or attributes.get("src"), html
        assert not any(name.startswith("on") or name == "style" for name in attributes), (tag, attributes)


@pytest.mark.parametrize("source", [pytest.param(s, id=n) for n, s in MORE_VECTORS])
def test_more_sanitizer_vectors(source):
    assert_no_active_content(render_markdown(source))
    assert_no_active_content(sanitize(source))


def test_alt_text_stays_text():
    (image,) = [attrs for tag, attrs in _elements(render_markdown('![x" onerror="alert(1)](/p/a/fichiers/a.png)')) if tag == "img"]
    assert set(image) <= {"src", "alt", "title"} and image["src"] == "/p/a/fichiers/a.png"


def test_hostile_markdown_saved_and_served_through_every_door(app, api, client, auth, people):
    """Stored vectors stay inert in the page, its history, a revision and the API's html."""
    source = "\n\n".join(s for _, s in MORE_VECTORS)
    response = api("POST", "/pages", people["contributeur"], json={"title": "Vecteurs", "body": source})
    assert response.status_code == 201, response.json
    assert_no_active_content(api("GET", "/pages/vecteurs", people["contributeur"]).json["html"])
    auth.login(people["contributeur"])
    for path in ("/p/vecteurs", "/p/vecteurs/version/1"):
        html = client.get(path).text
        # The rendered body and what follows it; the buttons (forms) above it are the site's own.
        content = html.split('<div class="content" lang="fr">', 1)[1].split("</main>", 1)[0]
        assert_no_active_content(content.split('<section class="attachments"', 1)[0])  # its upload form is ours
        assert_no_inline_code_parsed(html)


def test_client_address_comes_from_the_proxy_when_trusted(tmp_path, monkeypatch):
    from flask import request

    from wiki import create_app

    monkeypatch.setenv("WIKI_PROXIES", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path)})
    with app.app_context():
        db.create_all()  # every GET reads the data version first

    @app.get("/_address")
    def address():
        return request.remote_addr

    response = app.test_client().get("/_address", headers={"X-Forwarded-For": "41.73.112.9"})
    assert response.text == "41.73.112.9"


def test_a_mount_point_sent_by_the_client_never_reaches_a_cached_page(client, api, make_user):
    """gunicorn takes SCRIPT_NAME from a request header (see test_two_servers for gunicorn)."""
    author = make_user("coordinateur")
    slug = api("POST", "/pages", author, json={"title": "Accueil public", "body": "Bienvenue.",
                                               "visibility": "public"}).json["slug"]
    poisoned = client.get(f"/p/{slug}", environ_overrides={"SCRIPT_NAME": "//evil.example"})
    assert poisoned.status_code == 404  # the address asked, //evil.example/p/…, is no page
    assert 'href="//evil.example' not in poisoned.text and 'action="//evil.example' not in poisoned.text
    for _ in range(2):  # the next visitors, from the cache
        page = client.get(f"/p/{slug}")
        assert page.status_code == 200 and "evil.example" not in page.text and 'href="/static/css/wiki.' in page.text


def test_a_configured_mount_point_is_kept(tmp_path):
    from wiki import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path), "SCRIPT_NAME": "/wiki"})
    with app.app_context():
        db.create_all()
    page = app.test_client().get("/connexion", environ_overrides={"SCRIPT_NAME": "/wiki"})
    assert page.status_code == 200 and 'href="/wiki/static/css/wiki.' in page.text
    outside = app.test_client().get("/wiki/connexion", environ_overrides={"SCRIPT_NAME": "//evil.example"})
    assert outside.status_code == 404
    assert 'href="//evil.example' not in outside.text and 'action="//evil.example' not in outside.text
    with app.app_context():
        db.engine.dispose()


def test_numbers_beyond_a_database_id_are_not_found_not_an_overflow(client, api, make_user, login, caplog):
    author = make_user("coordinateur")
    slug = api("POST", "/pages", author, json={"title": "Comparée", "body": "a", "visibility": "public"}).json["slug"]
    huge = "99999999999999999999999"
    assert client.get(f"/p/{slug}/comparer?de={huge}").status_code == 404
    assert client.get(f"/p/{slug}/comparer?de=1&a=-{huge}").status_code == 404
    assert client.get(f"/p/{slug}/version/{huge}").status_code == 404
    assert api("GET", f"/pages/{slug}/revisions/{huge}").status_code == 404
    coordinator = login(author)
    assert coordinator.get(f"/admin/utilisateurs/{huge}").status_code == 404
    assert coordinator.get("/admin/utilisateurs/2147483648").status_code == 404
    assert coordinator.post(f"/decisions/{huge}", data={"status": "fait"}).status_code == 404  # not 405
    assert api("PUT", f"/events/{huge}", author, json={"base_revision": 1}).status_code == 404
    assert "Traceback" not in caplog.text
