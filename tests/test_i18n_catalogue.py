"""Every interface string goes through the catalogue, and the English one is complete.

The static checks read the sources: text of the templates outside `{{ _(…) }}`, and French
string literals of the Python modules outside gettext calls. The rendered check reads the
main pages in English: none shows a French msgid whose English differs."""
from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

from wiki.demo import COORDINATOR_EMAIL, DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "wiki" / "translations" / "en" / "LC_MESSAGES" / "messages.po"

# Text that is the same in every language (the product's name, a header's syntax).
TEMPLATE_TEXT_KEPT = {"Passerelle", "· Passerelle", "Authorization: Bearer …", "width=device-width, initial-scale=1"}

# French literals that are data, not interface, each with its reason.
PYTHON_KEPT = {
    "wiki/directory/services.py": "the directory's organisation kinds: stored values and filter keys",
    "wiki/i18n.py": "each language's name is written in that language",
    "wiki/markup.py": "letters folded for addresses, and a footnote link title stored in the page's HTML",
    "wiki/pages/services.py": "the summaries stored with a revision (« Création », « Retour à la version »)",
    "wiki/sheets/themes.py": "the starting themes: stored, renamed by coordinators, indexed",
    "wiki/search/thesaurus.py": "the thesaurus's French words: search data",
    "wiki/api/schemas.py": "the API's documentation quotes French values",
    "wiki/api/directory.py": "the API's documentation quotes French values",
}
# Modules of the command line and of demo content: administrators' output and fictional content.
PYTHON_SKIPPED = {"wiki/cli.py", "wiki/console.py", "wiki/backup.py", "wiki/demo.py", "wiki/demo_content.py"}

FRENCH = re.compile(r"[àâçéèêëîïôûùüÿœæ«»]|\b(?:le|la|les|des|du|une|est|pour|dans|avec|vous|votre|pas|sur|"
                    r"cette|aux|nous|par|qui|que)\s\w", re.IGNORECASE)
GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}
TAG = re.compile(r"<(?:!--.*?--|[^>]*)>", re.DOTALL)
SHOWN_ATTRIBUTE = re.compile(r'\b(?:title|aria-label|placeholder|alt|content)\s*=\s*"([^"{]*)"')
WORD = re.compile(r"[^\W\d_]{2,}")


def literal_template_text(source: str) -> list[str]:
    """Visible text (and shown attributes) written straight into a template."""
    data = "".join(value for _, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source)
                   if kind == "data")
    found = [value for value in SHOWN_ATTRIBUTE.findall(data) if WORD.search(value)]
    found += [piece.strip() for piece in re.split(r"\s{2,}|\n", html.unescape(TAG.sub("  ", data)))
              if WORD.search(piece)]
    return [text for text in found if text not in TEMPLATE_TEXT_KEPT]


def french_literals(source: str) -> list[str]:
    """French string constants that are neither a gettext argument nor a docstring."""
    tree = ast.parse(source)
    allowed = set()
    for node in ast.walk(tree):
        name = getattr(getattr(node, "func", None), "id", None) or getattr(getattr(node, "func", None), "attr", None)
        if isinstance(node, ast.Call) and name in GETTEXT:
            allowed.update(id(sub) for arg in node.args for sub in ast.walk(arg))
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in allowed and FRENCH.search(node.value)]


def test_the_checks_see_literal_french():
    assert literal_template_text('<p title="Aide">Bonjour {{ name }}</p><b>{{ _("Oui") }}</b>') == ["Aide", "Bonjour"]
    assert french_literals('"""Docstring née ici."""\nflash("Page enregistrée.")\nflash(_("Page créée."))') == [
        "Page enregistrée."]


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".xml", ".txt")), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_show_no_text_outside_the_catalogue(path):
    assert literal_template_text(path.read_text()) == []


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "wiki").rglob("*.py")
                                        if str(p.relative_to(ROOT)) not in PYTHON_SKIPPED | set(PYTHON_KEPT)),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_python_modules_show_no_french_outside_the_catalogue(path):
    assert french_literals(path.read_text()) == []


def english_catalogue():
    with open(ENGLISH, "rb") as handle:
        return [message for message in read_po(handle) if message.id]


def test_the_catalogue_holds_every_string_of_the_sources():
    """`./dev translations` was run after the last interface change."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    in_sources = {message[2] if isinstance(message[2], str) else message[2][0]
                  for message in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)}
    in_catalogue = {message.id if isinstance(message.id, str) else message.id[0] for message in english_catalogue()}
    assert sorted(in_sources - in_catalogue) == [] and sorted(in_catalogue - in_sources) == []


@pytest.mark.parametrize("language", ["en", "bm"])
def test_the_compiled_catalogues_are_those_of_the_po_files(language):
    """The .mo files are committed (a wheel carries them): `./dev translations` rebuilt them."""
    folder = ROOT / "wiki" / "translations" / language / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as po, open(folder / "messages.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    def translated(catalog):
        def plain(value):
            return tuple(value) if isinstance(value, (list, tuple)) else value
        return {plain(message.id): plain(message.string) for message in catalog if message.id and message.string
                and (all(message.string) if isinstance(message.string, (list, tuple)) else True)}
    expected, built = translated(source), translated(compiled)
    assert {key: built.get(key) for key in expected} == expected


def test_the_english_catalogue_is_complete():
    untranslated = [message.id for message in english_catalogue()
                    if not (all(message.string) if isinstance(message.string, tuple) else message.string)
                    or message.fuzzy]
    assert untranslated == []


@pytest.fixture
def demo(app, runner, client):
    """The demo's coordinator, who chose English in the footer before logging in."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    client.get("/langue/en?suite=/")
    login_page = client.get("/connexion")
    response = client.post("/connexion", data={"email": COORDINATOR_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client, login_page


MAIN_PAGES = ("/", "/compte", "/recherche?q=puits", "/groupes", "/annuaire", "/fiches/nouvelle",
              "/pages", "/enseignements")


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(TAG.sub("\n", page))


def test_the_main_pages_in_english_show_no_french_interface_string(demo):
    demo, login_page = demo
    demo_text = (ROOT / "wiki" / "demo_content.py").read_text()  # content may use the same words (« Accueil »)
    french = {message.id for message in english_catalogue()
              if isinstance(message.id, str) and message.string != message.id and len(message.id) > 3
              and "%(" not in message.id
              and not re.search(rf'^#+ {re.escape(message.id)}$|"{re.escape(message.id)}"', demo_text, re.MULTILINE)}
    from wiki.extensions import db
    from wiki.pages.models import Kind, Page
    with demo.application.app_context():
        sheet = db.session.scalar(db.select(Page).where(Page.kind == Kind.FICHE).order_by(Page.id))
        group = "/groupes/" + db.session.scalar(db.text("SELECT slug FROM groups ORDER BY id"))
        organisation = "/annuaire/" + db.session.scalar(db.text("SELECT slug FROM organisations ORDER BY id"))
        slug = sheet.slug
    paths = [*MAIN_PAGES, f"/p/{slug}", f"/p/{slug}/modifier", f"/p/{slug}/historique",
             f"/p/{slug}/comparer?de=1&a=2", group, organisation]
    shown = {}
    for path in ["/connexion", *paths]:
        response = login_page if path == "/connexion" else demo.get(path)
        assert response.status_code == 200, path
        assert '<html lang="en">' in response.text
        lines = {line.strip() for line in visible_text(response.text).splitlines()}
        shown[path] = sorted(lines & french)
    assert shown == {path: [] for path in shown}
