"""News from the field on a phone, in Chromium: written offline, kept in the outbox, sent once
when the connection comes back (even when the first sends fail), sheets read offline, the
offline copies gone at logout, and the form without JavaScript."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from wiki.demo_content import AMINATA, BERNARD, MOUSSA, T_CEREALS, T_SOLAR, T_VEGETABLES, T_WELL
from wiki.markup import slugify

PHONE = dict(viewport={"width": 360, "height": 740}, locale="fr-FR")


def photo_file(tmp_path) -> str:
    path = tmp_path / "pompe.jpg"
    image = Image.new("RGB", (2000, 1500), (30, 120, 200))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.fixture
def phone(browser, login):
    """A logged-in phone whose service worker controls the pages (new for each test)."""
    contexts = []

    def make(email: str, service_worker: bool = True):
        context = browser.new_context(**PHONE, service_workers="allow" if service_worker else "block")
        contexts.append(context)
        page = context.new_page()
        login(page, email)
        if service_worker:
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        return context, page
    yield make
    for context in contexts:
        context.close()


def open_controlled(page, url: str) -> None:
    """Visit twice: the second load goes through the service worker, which keeps the page."""
    page.goto(url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(url)


def news_items(page, text: str):
    return page.locator("#nouvelles .news-item", has_text=text)


def test_news_written_offline_waits_then_goes_once(phone, server, tmp_path):
    context, page = phone(AMINATA)
    url = f"{server.url}/p/{slugify(T_WELL)}"
    open_controlled(page, url)
    context.set_offline(True)
    page.fill("#nouvelles textarea[name=text]", "La pompe a été réparée par l'artisan de Ségou.")
    page.select_option("#nouvelles select[name=kind]", "avancement")
    page.set_input_files("#nouvelles input[type=file]", photo_file(tmp_path))
    page.click("#nouvelles button[type=submit]")
    status = page.locator("#nouvelles .outbox-status")
    status.wait_for(state="visible")
    assert "1 nouvelle en attente d'envoi" in status.inner_text()

    page.reload()  # offline: the kept copy, and the outbox still holds the news
    assert page.locator(".offline-notice").inner_text().startswith("Hors ligne : version du")
    page.locator("#nouvelles .outbox-status", has_text="1 nouvelle en attente d'envoi").wait_for()

    context.set_offline(False)  # the `online` event sends it, then the page shows it
    news_items(page, "réparée par l'artisan de Ségou").wait_for(timeout=15_000)
    item = news_items(page, "réparée par l'artisan de Ségou")
    assert item.count() == 1 and item.locator(".news-photos img").count() == 1
    page.reload()
    assert news_items(page, "réparée par l'artisan de Ségou").count() == 1
    assert page.locator("#nouvelles .outbox-status").is_hidden()


def test_a_flaky_connection_never_makes_a_duplicate(phone, server):
    # Playwright's routes do not see what a page sends while a service worker controls it: this
    # phone has none, and sends on its next visits (as a browser without background sync does).
    context, page = phone(MOUSSA, service_worker=False)
    page.goto(f"{server.url}/p/{slugify(T_CEREALS)}")
    attempts = []

    def flaky(route):
        attempts.append(route.request.url)
        if len(attempts) == 1:
            route.abort("internetdisconnected")  # lost before the server
        elif len(attempts) == 2:
            route.fetch()  # the server stores it, but the answer is lost on the way back
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/nouvelles$"), flaky)
    def sent(count: int) -> None:
        for _ in range(150):
            if len(attempts) >= count:
                break
            page.wait_for_timeout(100)
        assert len(attempts) == count

    page.fill("#nouvelles textarea[name=text]", "Le magasin de céréales est plein avant la soudure.")
    page.click("#nouvelles button[type=submit]")
    sent(1)
    page.locator("#nouvelles .outbox-status", has_text="1 nouvelle en attente").wait_for()
    page.reload()  # the next visit sends again: the answer is lost this time
    sent(2)
    page.locator("#nouvelles .outbox-status", has_text="1 nouvelle en attente").wait_for()
    page.reload()  # the server already has it (shown), and the third send is answered with it
    sent(3)
    page.locator("#nouvelles .outbox-status").wait_for(state="hidden")
    page.unroute(re.compile(r".*/nouvelles$"))
    page.reload()
    assert news_items(page, "magasin de céréales est plein").count() == 1


def test_a_followed_sheet_is_readable_offline(phone, server, browser, login):
    follower = browser.new_context(**PHONE)  # follows the sheet from another device
    try:
        other = follower.new_page()
        login(other, BERNARD)
        other.goto(f"{server.url}/p/{slugify(T_SOLAR)}")
        follow = other.get_by_role("button", name="Suivre", exact=True)
        if follow.count():
            with other.expect_navigation():
                follow.first.click()
    finally:
        follower.close()
    context, page = phone(BERNARD)  # this phone has never opened the sheet
    page.goto(server.url + "/mon-fil")
    page.get_by_role("button", name="Garder mes pages suivies pour les lire hors ligne").click()
    page.locator(".keep-offline-status", has_text="gardée(s) sur cet appareil").wait_for(timeout=15_000)
    context.set_offline(True)
    page.goto(f"{server.url}/p/{slugify(T_SOLAR)}")
    assert page.locator("h1").inner_text() == T_SOLAR
    assert "Hors ligne : version du" in page.locator(".offline-notice").inner_text()
    assert page.locator("input[name=csrf_token][value]:not([value=''])").count() == 0  # no form token kept


def test_logout_empties_the_offline_copies(phone, server):
    context, page = phone(AMINATA)
    url = f"{server.url}/p/{slugify(T_VEGETABLES)}"
    open_controlled(page, url)
    assert page.evaluate("caches.keys().then(names => names.length)") > 0
    with page.expect_navigation():
        page.click("form.logout button[type=submit]")
    assert page.evaluate("caches.keys().then(names => names.length)") == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    context.set_offline(True)
    with pytest.raises(Exception):  # nothing kept: the browser's own offline error
        page.goto(url)


def test_news_without_javascript(browser, server, login):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    try:
        page = context.new_page()
        login(page, MOUSSA)
        page.goto(f"{server.url}/p/{slugify(T_CEREALS)}")
        page.fill("#nouvelles textarea[name=text]", "Sans JavaScript : le comité a vendu le mil.")
        with page.expect_navigation():
            page.click("#nouvelles button[type=submit]")
        assert "Nouvelle publiée." in page.content()
        assert news_items(page, "le comité a vendu le mil").count() == 1
        page.fill("#nouvelles textarea[name=text]", "Le forage est à 14.35, -4.19.")
        with page.expect_navigation():
            page.click("#nouvelles button[type=submit]")
        assert "Pas de coordonnées GPS" in page.content()
        assert page.locator("textarea[name=text]").input_value() == "Le forage est à 14.35, -4.19."  # kept
    finally:
        context.close()
