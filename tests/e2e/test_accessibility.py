"""Accessibility: axe-core on the main pages in French and in English, keyboard navigation with
a visible focus, lang="fr".

axe-core: see axe.py.
"""
from __future__ import annotations

import pytest
from axe import axe_violations, report

from wiki.demo_content import BERNARD, T_WATER_GROUP, T_WELL
from wiki.markup import slugify

SHEET = f"/p/{slugify(T_WELL)}"
GROUP = f"/groupes/{slugify(T_WATER_GROUP.removeprefix('Groupe '))}"
MEMBER_PAGES = {
    "home": "/",
    "sheet": SHEET,
    "sheet edit": SHEET + "/modifier",
    "search": "/recherche?q=eau",
    "history": SHEET + "/historique",
    "diff": SHEET + "/comparer?de=1&a=2",
    "group": GROUP,
    "directory": "/annuaire",
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_serious_violation_on_the_main_pages(page, login, server, axe_source, language):
    login(page, BERNARD)
    page.goto(f"{server.url}/langue/{language}?suite=/")  # the footer's switch
    found = {}
    for name, path in MEMBER_PAGES.items():
        response = page.goto(server.url + path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        assert page.evaluate("document.documentElement.lang") == language
        if violations := axe_violations(page, axe_source):
            found[name] = violations
    assert not found, "\n".join(f"== {name} ({MEMBER_PAGES[name]})\n{report(v)}" for name, v in found.items())


def test_no_serious_violation_on_the_login_page_and_its_errors(page, server, axe_source):
    page.goto(server.url + "/connexion")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert not (violations := axe_violations(page, axe_source)), report(violations)
    # An empty submission (the browser's own checks off, as in an old phone browser): the
    # server's errors are tied to their fields.
    page.evaluate("document.querySelector('form.stacked').noValidate = true")
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert not (violations := axe_violations(page, axe_source)), report(violations)
    email = page.locator("#email")
    assert email.get_attribute("aria-invalid") == "true"
    described = (email.get_attribute("aria-describedby") or "").split()
    errors = " ".join(page.locator(f"#{ident}").inner_text() for ident in described)
    assert "Indiquez votre adresse." in errors, errors


FOCUS_STYLE = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.id || "").trim().slice(0, 40),
            id: el.id, href: el.getAttribute("href"),
            outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
            shadow: style.boxShadow !== "none"};
}"""


def test_keyboard_reaches_main_links_and_search_with_a_visible_focus(page, login, server):
    login(page, BERNARD)
    page.goto(server.url + SHEET)
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        if focused["tag"] == "body":  # past the last link: focus leaves the document
            break
        reached.append(focused)
        assert focused["outline"] or focused["shadow"], f"no visible focus on {focused}"
    texts = [f["text"] for f in reached]
    for expected in ("Passerelle", "Fiches", "Groupes", "Annuaire", "Modifier", "Historique"):
        assert expected in texts, f"{expected!r} not reached by Tab: {texts}"
    assert "site-q" in [f["id"] for f in reached]

    # The search box works from the keyboard alone.
    page.focus("#site-q")
    page.keyboard.type("forage")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche?q=forage*")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_STYLE)["tag"] in ("a", "input", "button")


def test_skip_link_goes_to_the_content(page, server):
    page.goto(server.url + "/")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STYLE)
    assert first["href"] == "#contenu", first
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"


def test_sheet_form_errors_are_tied_to_their_fields(page, login, server, axe_source):
    login(page, BERNARD)
    page.goto(server.url + "/fiches/nouvelle")
    page.evaluate("document.querySelector('form.sheet-form').noValidate = true")
    page.fill("#period_start", "3000")  # out of range; and no title, no theme, no region
    with page.expect_navigation():
        page.click("form.sheet-form .form-actions button[type=submit]")
    errors = page.locator("ul.errors")
    assert errors.count() >= 2, page.locator("main").inner_text()
    for ident in errors.evaluate_all("lists => lists.map(l => l.id)"):
        field = page.locator(f"[aria-describedby~='{ident}']")
        assert field.count() == 1, f"error list #{ident} is not tied to a field"
        assert field.get_attribute("aria-invalid") == "true"
    assert not (violations := axe_violations(page, axe_source)), report(violations)
