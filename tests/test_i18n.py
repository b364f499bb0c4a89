"""The interface language: the footer's choice, else Accept-Language, else French; dates in the
reader's language; cached pages kept per language; a missing translation falls back to French."""
from datetime import datetime, timezone

from support import PASSWORD

from wiki.templating import format_datetime

FOOTER_FR = "Passerelle — savoirs partagés entre la Bourgogne et le Mali."
FOOTER_EN = "Passerelle — knowledge shared between Burgundy and Mali."


def public_page(api, make_user):
    author = make_user("coordinateur")
    response = api("POST", "/pages", author, json={"title": "Ouverte", "body": "Pour tous.", "visibility": "public"})
    assert response.status_code == 201
    return "/p/" + response.json["slug"]


def test_french_by_default_then_the_browsers_language(client):
    french = client.get("/").text
    assert '<html lang="fr">' in french and FOOTER_FR in french
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en">' in english and FOOTER_EN in english
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "de"}).text


def test_the_footer_switch_works_without_javascript_and_wins_over_the_browser(client, api, make_user):
    path = public_page(api, make_user)
    html = client.get(path).text
    assert f'href="/langue/en?suite={path}' in html and 'aria-current="true">Français' in html
    response = client.get(f"/langue/en?suite={path}")
    assert response.status_code == 302 and response.headers["Location"] == path
    chosen = client.get(path, headers={"Accept-Language": "fr"}).text
    assert '<html lang="en">' in chosen and FOOTER_EN in chosen


def test_the_switch_never_leaves_the_site_and_ignores_unknown_languages(client):
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.get("/langue/en", query_string={"suite": target})
        assert response.status_code == 302 and response.headers["Location"] == "/"
    client.get("/langue/xx?suite=/")
    assert '<html lang="en">' in client.get("/").text  # the earlier choice stands


def test_cached_pages_are_kept_per_language(client, api, make_user):
    path = public_page(api, make_user)
    assert FOOTER_FR in client.get(path).text
    assert FOOTER_EN in client.get(path, headers={"Accept-Language": "en"}).text
    assert FOOTER_FR in client.get(path).text


def test_bambara_falls_back_to_french_string_by_string(client):
    html = client.get("/", headers={"Accept-Language": "bm"}).text
    assert '<html lang="bm">' in html and FOOTER_FR in html


def test_dates_are_written_in_the_readers_language(app):
    moment = datetime(2026, 12, 1, 14, 5, tzinfo=timezone.utc)
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert format_datetime(moment) == "1 décembre 2026, 14 h 05"
        assert format_datetime(moment, with_time=False) == "1 décembre 2026"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert format_datetime(moment) == "December 1, 2026, 2:05\u202fPM"


def test_counts_are_written_in_the_readers_language(app):
    template = "{{ ngettext('%(num)s résultat', '%(num)s résultats', n, num=n|number) }}"
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert app.jinja_env.from_string(template).render(n=12345) == "12\u202f345 résultats"
        assert app.jinja_env.from_string(template).render(n=1) == "1 résultat"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert app.jinja_env.from_string(template).render(n=12345) == "12,345 results"


def test_logging_in_and_out_keeps_the_chosen_language(client, auth, make_user):
    user = make_user()
    client.get("/langue/en?suite=/")
    auth.login(user)
    assert '<html lang="en">' in client.get("/").text
    auth.logout()
    assert '<html lang="en">' in client.get("/").text


def test_a_members_setting_follows_them_and_the_footer_still_wins_for_a_session(app, client, auth, make_user,
                                                                                 user_email):
    user = make_user()
    auth.login(user)
    account = client.get("/compte").text
    assert 'name="language"' in account and "Celle de mon navigateur" in account
    assert client.post("/compte/langue", data={"language": "en"}).status_code == 302
    assert '<html lang="en">' in client.get("/compte", headers={"Accept-Language": "fr"}).text
    other_device = app.test_client()  # another phone, in French: the setting follows the member
    assert other_device.post("/connexion", data={"email": user_email(user), "password": PASSWORD}).status_code == 302
    assert '<html lang="en">' in other_device.get("/", headers={"Accept-Language": "fr"}).text
    other_device.get("/langue/bm?suite=/")
    assert '<html lang="bm">' in other_device.get("/").text
    assert '<html lang="en">' in client.get("/").text
    assert client.post("/compte/langue", data={"language": ""}).status_code == 302  # back to the browser's
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr"}).text


def test_an_unknown_language_is_refused_with_a_message(client, auth, make_user):
    auth.login(make_user())
    response = client.post("/compte/langue", data={"language": "xx"}, follow_redirects=True)
    assert response.status_code == 200 and "Langue inconnue." in response.text


def test_a_page_declares_the_language_it_is_written_in(client, api, auth, make_user):
    author = make_user("coordinateur")
    created = api("POST", "/pages", author, json={"title": "Dugukolo", "body": "Dugukolo ka nafa.",
                                                  "visibility": "public", "language": "bm"})
    assert created.status_code == 201
    slug = created.json["slug"]
    html = client.get(f"/p/{slug}").text
    assert '<html lang="fr">' in html and '<div class="content" lang="bm">' in html  # the interface stays French
    assert api("GET", f"/pages/{slug}", author).json["language"] == "bm"
    refused = api("PUT", f"/pages/{slug}", author, json={"base_revision": 1, "language": "xx"})
    assert refused.status_code == 422 and "language" in refused.json["fields"]
    auth.login(author)
    form = client.get(f"/p/{slug}/modifier", headers={"Accept-Language": "en"}).text
    assert '<option selected value="bm">Bambara</option>' in form
    response = client.post(f"/p/{slug}/modifier", follow_redirects=True, data={
        "title": "Dugukolo", "body": "Dugukolo ka nafa.", "visibility": "public", "language": "fr", "summary": "",
        "base_revision": "1"})
    assert response.status_code == 200 and "Langue du texte enregistrée." in response.text
    assert api("GET", f"/pages/{slug}", author).json["language"] == "fr"  # no new version for it
    assert api("GET", f"/pages/{slug}", author).json["revision"] == 1
    assert '<div class="content" lang="fr">' in client.get(f"/p/{slug}").text
