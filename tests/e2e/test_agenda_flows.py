"""The agenda on a phone (360 px wide): answer an event, then write down a meeting's decision."""
from wiki.demo_content import MOUSSA, T_COMMITTEE, T_PUMP_TRAINING
from wiki.markup import slugify


def test_answer_an_event_and_add_a_decision_on_a_small_screen(browser, login, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    try:
        page = context.new_page()
        login(page, MOUSSA)
        page.goto(server.url + "/agenda")
        with page.expect_navigation():
            page.get_by_role("link", name=T_PUMP_TRAINING).click()
        assert page.get_by_text("heure du Mali").is_visible() and page.get_by_text("heure de France").is_visible()
        with page.expect_navigation():
            page.locator(".answer-form").get_by_role("button", name="Je viens").click()
        assert "Réponse enregistrée : Je viens." in page.content()
        answers = page.locator(".attendance li").first
        assert "Je viens : 1" in answers.inner_text() and "Sud 1" in answers.inner_text()
        assert "Moussa Diarra" in answers.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone

        page.goto(f"{server.url}/p/{slugify(T_COMMITTEE)}")
        page.fill("#decision-text", "Envoyer les photos du forage réparé")
        page.select_option("#decision-owner", label="Moussa Diarra")
        page.fill("#decision-due", "2099-01-31")
        with page.expect_navigation():
            page.get_by_role("button", name="Noter la décision").click()
        assert "Décision notée." in page.content()
        decision = page.locator(".decision", has_text="Envoyer les photos du forage réparé")
        assert decision.is_visible() and "Moussa Diarra" in decision.inner_text()
        assert "31 janvier 2099" in decision.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        page.goto(server.url + "/decisions")  # the follow-up shows it, and the overdue one of the demo
        assert page.locator(".decision", has_text="Envoyer les photos du forage réparé").is_visible()
        assert page.locator(".decision.overdue").count() >= 1
    finally:
        context.close()
