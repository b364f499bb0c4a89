"""« Modifications récentes » in the browser: the filters are a plain form, with and without JavaScript."""
import pytest

from wiki.demo_content import BERNARD


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_filter_the_recent_changes_by_side(browser, login, server, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 800},
                                  locale="fr-FR")
    page = context.new_page()
    try:
        login(page, BERNARD)
        page.goto(server.url + "/")
        with page.expect_navigation():
            page.get_by_role("link", name="Modifications", exact=True).click()
        assert page.locator("h1").inner_text() == "Modifications récentes"
        everything = page.locator("ol.changes > li").count()
        assert everything > 1
        page.select_option("#cote", "sud")
        with page.expect_navigation():
            page.get_by_role("button", name="Filtrer").click()
        assert "cote=sud" in page.url
        entries = page.locator("ol.changes > li")
        assert 0 < entries.count() < everything
        assert entries.count() == page.locator("ol.changes > li .badge.side-sud").count()
        with page.expect_navigation():
            page.get_by_role("link", name="Tout afficher").click()
        assert page.locator("ol.changes > li").count() == everything
    finally:
        context.close()
