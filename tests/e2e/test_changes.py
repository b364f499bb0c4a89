"""« Modifications récentes » in the browser: the filters are a plain form, with and without JavaScript."""
import pytest

from wiki.demo_content import BERNARD, T_WELL
from wiki.markup import slugify


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


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_follow_and_unfollow_a_sheet_then_find_it_in_my_feed(browser, login, server, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 800},
                                  locale="fr-FR")
    page = context.new_page()
    try:
        login(page, BERNARD)
        page.goto(server.url + "/p/" + slugify(T_WELL))
        button = page.locator("button.follow")
        for _ in range(2):  # whatever the state left by another test: it flips, twice
            before = button.inner_text()
            with page.expect_navigation():
                button.click()
            assert page.url.endswith("/p/" + slugify(T_WELL))
            assert button.inner_text() == ("Suivre" if before == "Ne plus suivre" else "Ne plus suivre")
        if button.inner_text() == "Suivre":
            with page.expect_navigation():
                button.click()
        with page.expect_navigation():
            page.get_by_role("link", name="Mon fil", exact=True).click()
        assert page.locator("ul.followed a", has_text=T_WELL).count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_comment_and_reply_below_a_sheet(browser, login, server, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 800},
                                  locale="fr-FR")
    page = context.new_page()
    text = f"Question posée {'avec' if javascript else 'sans'} JavaScript : qui entretient la pompe ?"
    try:
        login(page, BERNARD)
        page.goto(server.url + "/p/" + slugify(T_WELL))
        discussion = page.locator("section.discussion")
        discussion.locator("form:not(details form) textarea[name=body]").fill(text)
        with page.expect_navigation():
            discussion.get_by_role("button", name="Publier le commentaire").click()
        comment = page.locator("article.comment", has_text=text)
        assert comment.count() == 1 and "#commentaire-" in page.url
        thread = page.locator("div.thread", has=comment)
        thread.locator("details summary").click()
        thread.locator("details textarea[name=body]").fill("Le comité de gestion, chaque mois.")
        with page.expect_navigation():
            thread.locator("details").get_by_role("button", name="Répondre").click()
        assert page.locator("div.thread", has=page.locator("article.comment", has_text=text)).locator(
            ".reply", has_text="Le comité de gestion, chaque mois.").count() == 1
    finally:
        context.close()
