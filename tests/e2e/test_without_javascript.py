"""With JavaScript disabled, reading, searching and editing still work (plain HTML forms)."""
import pytest

from wiki.demo_content import BERNARD, T_WELL


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800},
                                  locale="fr-FR")
    yield context.new_page()
    context.close()


def test_read_search_and_edit_without_javascript(page, login, server):
    login(page, BERNARD)

    # Search from the header box, then read a sheet from the results.
    page.fill("#site-q", "forage fanebougou")
    with page.expect_navigation():
        page.press("#site-q", "Enter")
    result = page.locator(".search-results > li > a", has_text=T_WELL)
    assert result.count() == 1, f"one result expected for the sheet: {result.all_inner_texts()}"
    with page.expect_navigation():
        result.click()
    assert page.locator("h1").inner_text() == T_WELL
    assert page.locator(".regard.nord .content").is_visible()
    assert page.locator(".regard.sud .content").is_visible()
    url = page.url

    # Edit: the full form, a plain POST, back to the sheet.
    with page.expect_navigation():
        page.get_by_role("link", name="Modifier", exact=True).click()
    # No script ran (sheet-form.js would hide the other regions' cercles): every cercle is offered.
    assert page.locator("#cercle optgroup").count() > 1
    assert page.locator("#cercle optgroup[hidden]").count() == 0
    lessons = page.input_value("#lessons")
    page.fill("#lessons", lessons + "\n\nNoté sans JavaScript : vérifier la margelle chaque année.")
    page.fill("#summary", "Relecture sans JavaScript")
    with page.expect_navigation():
        page.click("form.sheet-form .form-actions button[type=submit]")
    assert page.url == url
    assert page.get_by_text("vérifier la margelle chaque année").is_visible()
    page.goto(url + "/historique")
    assert page.get_by_text("Relecture sans JavaScript").is_visible()
