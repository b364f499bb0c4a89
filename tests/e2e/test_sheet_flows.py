"""A sheet's life in a real browser: both voices, search without accents, a conflict in two tabs."""
import re

from wiki.demo_content import AMINATA, BERNARD


def test_nord_and_sud_voices_on_one_sheet(browser, context, page, login, write_sheet):
    login(page, BERNARD)
    url = write_sheet(page, "Puits maraîcher de Kalaban", theme="Agriculture et alimentation",
                      lessons="Creuser avant la saison sèche.",
                      regard_nord="Nous avons appris à attendre les décisions du village.")
    assert "Fiche enregistrée." in page.content()
    assert page.locator(".regard.nord").get_by_text("attendre les décisions du village").is_visible()
    assert page.locator(".regard.sud").get_by_text("Le regard du Sud manque encore.").is_visible()

    sud = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    try:
        partner = sud.new_page()
        login(partner, AMINATA)
        partner.goto(url)
        with partner.expect_navigation():
            partner.get_by_role("link", name="Écrire le regard du Sud").click()
        assert partner.url.endswith("/modifier#field-regard_sud")
        assert partner.locator("#regard_nord").count() == 0  # the other side's voice is not editable here
        partner.fill("#regard_sud", "Le puits a été voulu par les femmes du village.")
        partner.fill("#summary", "Ajout du Regard du Sud")
        with partner.expect_navigation():
            partner.click("form.sheet-form .form-actions button[type=submit]")
        assert partner.url == url
        assert partner.locator(".regard.nord").get_by_text("attendre les décisions du village").is_visible()
        assert partner.locator(".regard.sud").get_by_text("voulu par les femmes du village").is_visible()
    finally:
        sud.close()

    page.reload()  # the Nord author sees both voices too
    assert page.locator(".regard.sud").get_by_text("voulu par les femmes du village").is_visible()


def test_search_finds_a_sheet_without_accents(page, login, write_sheet, server):
    login(page, BERNARD)
    url = write_sheet(page, "Pépinière fruitière de Ténenkou", region="Mopti",
                      actions="Greffage des manguiers et des néré par les élèves de l'école.")
    page.goto(server.url + "/")
    page.fill("#site-q", "pepiniere fruitiere tenenkou")
    with page.expect_navigation():
        page.press("#site-q", "Enter")
    assert "/recherche" in page.url
    result = page.locator(".search-results a", has_text="Pépinière fruitière de Ténenkou")
    # Each gunicorn worker keeps its index up to date by itself, within a few seconds of a save
    # made by the other one (wiki/search: the followers): look again for a moment if needed.
    for _ in range(20):
        if result.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert result.count() == 1, page.locator("main").inner_text()
    assert result.get_attribute("href") in url

    page.goto(server.url + "/recherche?q=neres+greffes")  # plural, no accent, in a section
    assert page.locator(".search-results a", has_text="Pépinière fruitière de Ténenkou").count() == 1

    # Edited, the sheet is still found once, with its new text.
    page.goto(url + "/modifier")
    page.fill("#results", "Trois cents plants greffés la première année, vendus au marché de Sofara.")
    with page.expect_navigation():
        page.click("form.sheet-form .form-actions button[type=submit]")
    page.goto(server.url + "/recherche?q=sofara")
    titles = []
    for _ in range(20):
        titles = page.locator(".search-results > li > a").all_inner_texts()
        if titles:
            break
        page.wait_for_timeout(500)
        page.reload()
    assert titles.count("Pépinière fruitière de Ténenkou") == 1, f"the sheet should be found once: {titles}"


def test_same_sheet_in_two_tabs_conflict_resolved_without_losing_text(context, login, write_sheet):
    first = context.new_page()
    login(first, BERNARD)
    url = write_sheet(first, "Moulin à karité de Koutiala", region="Sikasso",
                      lessons="Former deux meunières.")
    second = context.new_page()  # same browser, same session, another tab
    for tab in (first, second):
        tab.goto(url + "/modifier")

    first.fill("#lessons", "Former deux meunières.\n\nPrévoir les pièces de rechange à Sikasso.")
    with first.expect_navigation():
        first.click("form.sheet-form .form-actions button[type=submit]")
    assert "Modifications enregistrées." in first.content()

    mine = "Former deux meunières.\n\nTenir un cahier des pannes au moulin."
    second.fill("#lessons", mine)
    with second.expect_navigation():
        second.click("form.sheet-form .form-actions button[type=submit]")
    flash = second.locator(".flash.error", has_text="Pendant que vous écriviez")
    assert flash.is_visible()
    assert re.search(r"Enseignements|lessons", flash.inner_text(), re.I)
    assert second.input_value("#lessons") == mine  # nothing typed is lost

    # Resolve: keep both texts, save again (the form now carries the newer base revision).
    second.fill("#lessons", mine + "\n\nPrévoir les pièces de rechange à Sikasso.")
    with second.expect_navigation():
        second.click("form.sheet-form .form-actions button[type=submit]")
    assert second.url == url
    lessons = second.locator(".sheet-section", has_text="cahier des pannes").inner_text()
    assert "Tenir un cahier des pannes" in lessons and "pièces de rechange à Sikasso" in lessons
