"""Logging in through the real form, in a real browser."""
from wiki.demo_content import BERNARD


def test_login_shows_the_member_navigation(page, login):
    login(page, BERNARD)
    assert page.locator("form[action$='/deconnexion'] button, a[href$='/compte']").count() >= 1
    assert page.evaluate("document.documentElement.lang") == "fr"


def test_wrong_password_stays_on_the_form(page, server):
    page.goto(server.url + "/connexion")
    page.fill("input[name=email]", BERNARD)
    page.fill("input[name=password]", "pas-le-bon")
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert "/connexion" in page.url
    assert "incorrect" in page.content()
