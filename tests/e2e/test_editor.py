"""The editing forms with JavaScript (static/js/editor.js): toolbar, preview, drafts kept in the
browser, the warning before leaving, and a save when the connection is down."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from wiki.demo_content import AMINATA, BERNARD

from axe import axe_violations, report

# A class, not \w: the browser's regular expressions do not match accented month names (« décembre »).
BANNER = re.compile(r"Un brouillon non enregistré du \d{1,2} [^\d\s,]+, \d{1,2} h \d\d a été retrouvé\.")
OFFLINE = "Pas de connexion : votre texte n'est pas perdu, il est gardé sur cet appareil."
DRAFTS = "() => Object.keys(localStorage).filter(k => k.startsWith('passerelle-brouillon:'))"


def drafts(page) -> dict:
    return page.evaluate("() => Object.fromEntries(Object.keys(localStorage)"
                         ".filter(k => k.startsWith('passerelle-brouillon:')).map(k => [k, localStorage[k]]))")


def wait_for_draft(page, text: str) -> None:
    """Until the autosave has put `text` in the browser's storage."""
    page.wait_for_function("text => Object.keys(localStorage).some(k => k.startsWith('passerelle-brouillon:')"
                           " && JSON.parse(localStorage[k]).fields.body[0] === text)", arg=text)


def save(page) -> None:
    with page.expect_navigation():
        page.click("form[data-editor] .form-actions button[type=submit]")


@pytest.fixture
def new_page(page, login, server):
    """A fresh page written by Bernard (through the form, with JavaScript); → its address."""
    login(page, BERNARD)
    title = f"Essai éditeur {uuid.uuid4().hex[:8]}"
    page.goto(server.url + "/pages/nouvelle")
    page.fill("#title", title)
    page.fill("#body", "Texte de départ.")
    save(page)
    assert re.search(r"/p/essai-editeur-[0-9a-f]{8}$", page.url), page.url
    expect(page.locator(".flash.success")).to_have_text("Page créée.")  # the flash survives the fetch
    return page.url


def test_toolbar_inserts_markdown_and_is_keyboard_reachable(page, new_page):
    page.goto(new_page + "/modifier")
    body = page.locator("#body")
    toolbar = page.get_by_role("toolbar", name="Mise en forme")
    body.fill("Puits")
    body.evaluate("t => t.setSelectionRange(0, 5)")
    toolbar.get_by_role("button", name="Gras").click()
    expect(body).to_have_value("**Puits**")
    assert body.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)") == "Puits"

    body.evaluate("t => t.setSelectionRange(t.value.length, t.value.length)")
    toolbar.get_by_role("button", name="Lien vers une page du wiki").click()
    expect(body).to_have_value("**Puits**[[Titre de la page]]")
    body.evaluate("t => t.setSelectionRange(0, 0)")
    toolbar.get_by_role("button", name="Titre de section").click()
    expect(body).to_have_value("## **Puits**[[Titre de la page]]")

    # One tab stop for the toolbar, between the title and the text; arrows move inside it.
    page.focus("#title")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Gras"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # visible focus
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Italique"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.textContent") == "Aperçu"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "body"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aperçu"
    page.keyboard.press("Enter")  # a real button: the keyboard opens the preview too
    expect(page.locator(".md-preview")).to_be_visible()


def test_preview_shows_sanitized_html(page, new_page):
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(new_page + "/modifier")
    page.fill("#body", "Un **puits** <img src=x onerror=alert(1)> <script>alert(2)</script> "
                       "et [[Calendrier des formations]].")
    page.get_by_role("button", name="Aperçu").click()
    pane = page.get_by_role("region", name="Aperçu du texte")
    expect(pane.locator("strong")).to_have_text("puits")
    expect(pane.locator("a.wikilink.missing")).to_have_text("Calendrier des formations")
    html = pane.inner_html()
    assert "onerror" not in html and "<script" not in html and "alert(" not in html
    assert page.get_by_role("button", name="Aperçu").get_attribute("aria-pressed") == "true"

    page.fill("#body", "## Nouvelle section")  # live: follows the text
    expect(pane.locator("h2")).to_have_text("Nouvelle section")
    assert alerts == []

    page.get_by_role("button", name="Aperçu").click()
    expect(pane).to_be_hidden()


def test_sheet_sections_share_the_toolbar(page, login, server):
    login(page, AMINATA)
    page.goto(server.url + "/fiches/nouvelle")
    toolbars = page.get_by_role("toolbar", name="Mise en forme")
    expect(toolbars).to_have_count(1)
    page.click("#lessons")
    assert page.evaluate("document.querySelector('.md-toolbar').nextElementSibling.id") == "lessons"
    toolbars.get_by_role("button", name="Liste à puces").click()
    expect(page.locator("#lessons")).to_have_value("- élément")


def test_draft_survives_a_reload_and_is_offered_back(page, new_page):
    page.on("dialog", lambda dialog: dialog.accept())  # the reload asks before leaving
    page.goto(new_page + "/modifier")
    expect(page.locator(".draft-banner")).to_have_count(0)
    page.fill("#body", "Texte de départ.\n\nPrécision écrite au village, sans réseau.")
    wait_for_draft(page, "Texte de départ.\n\nPrécision écrite au village, sans réseau.")

    page.reload()
    banner = page.locator(".draft-banner")
    expect(banner).to_have_text(BANNER)
    expect(page.locator("#body")).to_have_value("Texte de départ.")  # nothing changed until asked
    banner.get_by_role("button", name="Reprendre le brouillon").click()
    expect(page.locator("#body")).to_have_value("Texte de départ.\n\nPrécision écrite au village, sans réseau.")
    expect(banner).to_have_count(0)

    page.reload()  # still a draft: the restored text was not saved
    page.locator(".draft-banner").get_by_role("button", name="Ignorer").click()
    expect(page.locator(".draft-banner")).to_have_count(0)
    expect(page.locator("#body")).to_have_value("Texte de départ.")
    assert drafts(page) == {}


def test_leaving_with_unsaved_changes_asks_first(page, new_page):
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page
    page.on("dialog", answer)
    page.goto(new_page + "/modifier")
    page.get_by_role("link", name="Annuler").click()  # nothing changed: leaves without a question
    page.wait_for_url(new_page)
    assert dialogs == []

    page.goto(new_page + "/modifier")
    page.fill("#body", "Une phrase pas encore enregistrée.")
    with page.expect_event("dialog") as asked:
        page.get_by_role("link", name="Annuler").click()
    assert asked.value.type == "beforeunload"
    assert dialogs == ["beforeunload"]
    assert page.url == new_page + "/modifier"
    expect(page.locator("#body")).to_have_value("Une phrase pas encore enregistrée.")

    save(page)  # a successful save leaves without a question
    assert page.url == new_page
    assert dialogs == ["beforeunload"]
    expect(page.locator(".flash.success")).to_have_text("Modifications enregistrées.")


def test_offline_save_keeps_the_text_then_saves_when_back(page, context, new_page):
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(new_page + "/modifier")
    text = "Compte rendu écrit pendant la coupure."
    page.fill("#body", text)
    context.set_offline(True)
    page.click("form[data-editor] .form-actions button[type=submit]")
    alert = page.get_by_role("alert").filter(has_text="Pas de connexion")
    expect(alert).to_contain_text(OFFLINE)
    assert page.url == new_page + "/modifier"
    expect(page.locator("#body")).to_have_value(text)
    assert text in "".join(drafts(page).values())  # kept at once, not at the next autosave

    context.set_offline(False)
    expect(page.locator(".editor-alert")).to_have_text("La connexion est revenue : vous pouvez enregistrer.")
    page.reload()
    expect(page.locator(".draft-banner")).to_have_text(BANNER)
    page.get_by_role("button", name="Reprendre le brouillon").click()
    expect(page.locator("#body")).to_have_value(text)
    save(page)
    assert page.url == new_page
    expect(page.locator(".content")).to_contain_text(text)
    expect(page.locator(".flash.success")).to_have_text("Modifications enregistrées.")
    assert drafts(page) == {}  # saved: the draft is gone

    page.goto(new_page + "/modifier")
    expect(page.locator("#body")).to_have_value(text)
    expect(page.locator(".draft-banner")).to_have_count(0)


def test_connection_dropping_during_the_save(page, new_page):
    page.goto(new_page + "/modifier")
    page.route("**/modifier", lambda route: route.abort("internetdisconnected")
               if route.request.method == "POST" else route.continue_())
    page.fill("#body", "Envoyé au moment où le réseau tombe.")
    page.click("form[data-editor] .form-actions button[type=submit]")
    expect(page.locator(".editor-alert")).to_contain_text(OFFLINE)
    expect(page.locator("#body")).to_have_value("Envoyé au moment où le réseau tombe.")
    assert page.url == new_page + "/modifier"
    expect(page.locator("form[data-editor] button[type=submit]")).to_be_enabled()  # ready to try again

    page.unroute("**/modifier")
    save(page)
    assert page.url == new_page
    expect(page.locator(".content")).to_contain_text("Envoyé au moment où le réseau tombe.")
    assert drafts(page) == {}


def test_refused_save_shows_the_form_again_with_its_error(page, new_page):
    page.goto(new_page + "/modifier")
    page.fill("#title", "")
    page.evaluate("document.querySelector('#title').removeAttribute('required')")
    page.fill("#body", "Texte gardé malgré l'erreur.")
    save(page)
    assert page.url == new_page + "/modifier"
    expect(page.locator("#title-errors")).to_have_text("Le titre est obligatoire.")
    expect(page.locator("#body")).to_have_value("Texte gardé malgré l'erreur.")
    assert "Texte gardé malgré l'erreur." in "".join(drafts(page).values())


def test_gateway_error_keeps_the_text(page, new_page):
    page.goto(new_page + "/modifier")
    page.route("**/modifier", lambda route: route.fulfill(status=502, body="Bad Gateway")
               if route.request.method == "POST" else route.continue_())
    page.fill("#body", "Envoyé pendant que le serveur redémarre.")
    page.click("form[data-editor] .form-actions button[type=submit]")
    expect(page.locator(".editor-alert")).to_contain_text("Le serveur ne répond pas")
    expect(page.locator("#body")).to_have_value("Envoyé pendant que le serveur redémarre.")
    expect(page.locator("form[data-editor] button[type=submit]")).to_have_text("Enregistrer")
    assert page.url == new_page + "/modifier"


def test_old_draft_is_merged_with_a_newer_version(browser, page, login, new_page):
    """A draft written on version 1 and restored after someone saved version 2 goes back with
    base 1: the server merges both changes instead of overwriting the other one."""
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(new_page + "/modifier")
    assert page.input_value("input[name=base_revision]") == "1"
    page.fill("#body", "Texte de départ.\n\nAjout de Bernard, écrit hors connexion.")
    wait_for_draft(page, "Texte de départ.\n\nAjout de Bernard, écrit hors connexion.")

    other = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    try:
        partner = other.new_page()
        login(partner, AMINATA)
        partner.goto(new_page + "/modifier")
        partner.fill("#body", "Introduction d'Aminata.\n\nTexte de départ.")
        save(partner)
        assert partner.url == new_page
    finally:
        other.close()

    page.reload()
    assert page.input_value("input[name=base_revision]") == "2"
    expect(page.locator(".draft-banner")).to_contain_text("La page a changé depuis")
    page.get_by_role("button", name="Reprendre le brouillon").click()
    assert page.input_value("input[name=base_revision]") == "1"
    save(page)
    assert page.url == new_page
    expect(page.locator(".flash.success")).to_contain_text("fusionnée")
    expect(page.locator(".content")).to_contain_text("Introduction d'Aminata.")
    expect(page.locator(".content")).to_contain_text("Ajout de Bernard, écrit hors connexion.")


def test_editor_additions_pass_axe(page, context, new_page, axe_source):
    """The banner, toolbar, preview and connection message, all shown at once: no serious issue."""
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(new_page + "/modifier")
    page.fill("#body", "Brouillon pour **axe**.")
    wait_for_draft(page, "Brouillon pour **axe**.")
    page.reload()
    expect(page.locator(".draft-banner")).to_be_visible()
    page.get_by_role("button", name="Aperçu").click()
    expect(page.locator(".md-preview strong")).to_have_count(0)
    expect(page.locator(".md-preview p")).to_have_text("Texte de départ.")
    violations = axe_violations(page, axe_source)
    assert violations == [], report(violations)
    context.set_offline(True)  # sending answers the banner: it goes, the message comes
    page.click("form[data-editor] .form-actions button[type=submit]")
    expect(page.locator(".editor-alert")).to_contain_text(OFFLINE)
    violations = axe_violations(page, axe_source)
    assert violations == [], report(violations)


def test_session_ended_while_writing(page, context, new_page):
    """The server refuses the save (its form token went with the session): the text stays and the
    server's message is shown; once logged in again, the draft is offered back."""
    page.goto(new_page + "/modifier")
    page.fill("#body", "Écrit pendant que la session expirait.")
    context.clear_cookies()
    page.click("form[data-editor] .form-actions button[type=submit]")
    expect(page.locator(".editor-alert")).to_have_text(
        "Le formulaire a expiré ou n'est pas valide ; rechargez la page et réessayez. "
        "Votre texte est gardé sur cet appareil.")
    expect(page.locator("#body")).to_have_value("Écrit pendant que la session expirait.")
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    assert "/connexion?next=" in page.url
    page.fill("input[name=email]", BERNARD)
    page.fill("input[name=password]", "passerelle-demo")
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert page.url == new_page + "/modifier"
    expect(page.locator(".draft-banner")).to_have_text(BANNER)
    page.get_by_role("button", name="Reprendre le brouillon").click()
    expect(page.locator("#body")).to_have_value("Écrit pendant que la session expirait.")


def test_logging_out_takes_the_drafts_away(page, new_page):
    """On a shared phone, the next person finds nothing of the previous one's unsaved text."""
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(new_page + "/modifier")
    page.fill("#body", "Brouillon personnel, pas encore enregistré.")
    wait_for_draft(page, "Brouillon personnel, pas encore enregistré.")
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator(".flash")).to_have_text("Vous êtes déconnecté.")
    assert drafts(page) == {}
