"""The scripts speak the interface language (wiki/js_messages.py, through base.html's
#js-messages element): French by default, English for a browser that asks for it and after the
footer's choice. Dates and numbers are written by the browser in the page's <html lang>."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from wiki.demo_content import BERNARD

TEXTS = {
    "fr": {
        "toolbar": "Mise en forme", "bold": "Gras", "preview": "Aperçu", "preview_pane": "Aperçu du texte",
        "heading_label": "Titre de section",
        # A class, not \w: the browser's regular expressions do not match accented month names.
        "banner": re.compile(r"Un brouillon non enregistré du \d{1,2} [^\d\s,]+, \d{1,2} h \d\d a été retrouvé\."),
        "restore": "Reprendre le brouillon", "discard": "Ignorer",
        "choose": "Choisissez un fichier à joindre.", "upload": "Envoyer", "english": "English",
    },
    "en": {
        "toolbar": "Formatting", "bold": "Bold", "preview": "Preview", "preview_pane": "Text preview",
        "heading_label": "Section title",
        "banner": re.compile(r"An unsaved draft from [A-Z][a-z]+ \d{1,2} at \d{1,2}:\d\d was found\."),
        "restore": "Restore the draft", "discard": "Discard",
        "choose": "Choose a file to attach.", "upload": "Upload", "english": "English",
    },
}


def wait_for_draft(page, text: str) -> None:
    page.wait_for_function("text => Object.keys(localStorage).some(k => k.startsWith('passerelle-brouillon:')"
                           " && JSON.parse(localStorage[k]).fields.body[0] === text)", arg=text)


@pytest.mark.parametrize("locale, lang", [("fr-FR", "fr"), ("en-GB", "en")])
def test_the_editor_speaks_the_browsers_language(browser, server, login, locale, lang):
    texts = TEXTS[lang]
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale=locale)  # Accept-Language too
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # the reload asks before leaving
        login(page, BERNARD)
        page.goto(server.url + "/pages/nouvelle")
        assert page.evaluate("document.documentElement.lang") == lang
        toolbar = page.get_by_role("toolbar", name=texts["toolbar"])
        expect(toolbar.get_by_role("button", name=texts["bold"], exact=True)).to_have_text(texts["bold"])
        toolbar.get_by_role("button", name=texts["heading_label"]).click()
        expect(page.locator("#body")).to_have_value("## " + texts["heading_label"])  # the inserted sample too
        toolbar.get_by_role("button", name=texts["preview"], exact=True).click()
        expect(page.get_by_role("region", name=texts["preview_pane"])).to_be_visible()

        text = f"Brouillon {uuid.uuid4().hex[:8]}"
        page.fill("#body", text)
        wait_for_draft(page, text)
        page.reload()
        banner = page.locator(".draft-banner")
        expect(banner).to_have_text(re.compile(texts["banner"].pattern + re.escape(texts["restore"] + texts["discard"])))
        banner.get_by_role("button", name=texts["restore"]).click()
        expect(page.locator("#body")).to_have_value(text)
        expect(banner).to_have_count(0)
    finally:
        context.close()


def test_uploads_speak_english_after_the_footer_choice(page, login, server):
    login(page, BERNARD)
    page.goto(server.url + "/pages/nouvelle")
    page.fill("#title", f"Essai langue {uuid.uuid4().hex[:8]}")
    page.fill("#body", "Page pour les fichiers joints.")
    with page.expect_navigation():
        page.click("form[data-editor] .form-actions button[type=submit]")
    assert "/p/" in page.url, page.url
    address = page.url

    status = page.locator("form.upload .upload-status")
    page.locator("form.upload").get_by_role("button", name=TEXTS["fr"]["upload"], exact=True).click()
    expect(status).to_have_text(TEXTS["fr"]["choose"])  # French by default (a fr-FR browser)

    with page.expect_navigation():
        page.locator("nav.languages").get_by_role("link", name=TEXTS["en"]["english"]).click()
    assert page.url == address  # back on the same page
    assert page.evaluate("document.documentElement.lang") == "en"
    page.locator("form.upload").get_by_role("button", name=TEXTS["en"]["upload"], exact=True).click()
    expect(status).to_have_text(TEXTS["en"]["choose"])
    expect(status).to_have_class(re.compile(r"\berror\b"))
