"""The scripts' interface strings (wiki/js_messages.py): one JSON attribute (base.html's
#js-messages) in pages that load a script, in the reader's language, French by default; the
scripts' own French copies (used when the element or a key is missing) are the catalogue's
msgids, key for key."""
import json
import re
from html import unescape
from pathlib import Path

import pytest

from wiki.js_messages import MESSAGES, js_messages

SCRIPTS = Path(__file__).resolve().parents[1] / "static" / "js"
BLOCK = re.compile(r"<div id=\"js-messages\" hidden data-messages='([^']*)'></div>")


def messages_in(html: str) -> dict:
    found = BLOCK.findall(html)
    assert len(found) == 1, f"{len(found)} #js-messages elements"
    return json.loads(unescape(found[0]))  # as the browser reads the attribute (tojson leaves no entity)


def french_table(script: str) -> dict[str, str]:
    """The FRENCH = {key: "text", …} table of a script."""
    source = (SCRIPTS / script).read_text(encoding="utf-8")
    table = re.search(r"var FRENCH = \{\n(.*?)\n  \};", source, re.S)
    assert table, f"no FRENCH table in {script}"
    pairs = re.findall(r'^\s*(\w+): ("(?:[^"\\]|\\.)*"),?$', table.group(1), re.M)
    assert len(pairs) == table.group(1).count("\n") + 1, "one key: \"text\" per line"
    return {key: json.loads(text) for key, text in pairs}


def keys_used(script: str) -> set[str]:
    """The keys of every t(…) call, up to its first comma (both keys of `t(c ? "a" : "b")`)."""
    source = (SCRIPTS / script).read_text(encoding="utf-8")
    return {key for argument in re.findall(r"\bt\(([^(),]*)", source) for key in re.findall(r'"(\w+)"', argument)}


@pytest.fixture
def page_path(api, make_user):
    author = make_user("coordinateur")
    response = api("POST", "/pages", author, json={"title": "Avec fichiers", "body": "Texte.", "visibility": "public"})
    assert response.status_code == 201
    return "/p/" + response.json["slug"]


def test_a_page_with_a_script_carries_every_message_in_french_by_default(client, auth, make_user, page_path):
    auth.login(make_user("contributeur", "nord"))
    for path in (page_path, "/pages/nouvelle", page_path + "/modifier"):  # upload.js, editor.js
        html = client.get(path).text
        assert "/static/js/" in html, path
        messages = messages_in(html)
        assert set(messages) == set(MESSAGES), path
        assert messages == {key: str(text) for key, text in MESSAGES.items()}  # the msgids themselves
        assert messages["draft_restore"] == "Reprendre le brouillon"
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # data, not an inline script


def test_pages_without_scripts_carry_no_messages(client):
    html = client.get("/").text
    assert "/static/js/" not in html and 'id="js-messages"' not in html


def test_the_messages_follow_the_readers_language(app, client, page_path):
    for headers, lang in (({}, "fr"), ({"Accept-Language": "en-GB,en;q=0.9"}, "en"), ({"Accept-Language": "bm"}, "bm")):
        html = client.get(page_path, headers=headers).text
        assert f'<html lang="{lang}">' in html
        with app.test_request_context("/", headers=headers):
            expected = js_messages()
        assert messages_in(html) == expected
    with app.test_request_context("/", headers={"Accept-Language": "bm"}):  # no Bambara text yet: French
        assert js_messages()["upload_choose"] == "Choisissez un fichier à joindre."


def test_a_message_cannot_leave_its_attribute(client, monkeypatch, page_path):
    hostile = "' onmouseover='alert(1)' x=\"</div><script>alert(2)</script>&amp;"
    monkeypatch.setitem(MESSAGES, "hostile", hostile)
    html = client.get(page_path).text
    assert messages_in(html)["hostile"] == hostile
    assert "<script>" not in html and "onmouseover='" not in html


@pytest.mark.parametrize("script", ["editor.js", "upload.js", "outbox.js"])
def test_the_scripts_french_copies_are_the_msgids(script):
    table = french_table(script)
    assert table, script
    for key, text in table.items():
        assert key in MESSAGES, f"{script}: {key} is not in wiki/js_messages.py"
        assert text == str(MESSAGES[key]), key  # no request: the msgid
    used = keys_used(script)
    assert used == set(table), f"{script}: keys without French {used - set(table)}, French unused {set(table) - used}"


def test_every_message_belongs_to_a_script():
    used = set(french_table("editor.js")) | set(french_table("upload.js")) | set(french_table("outbox.js"))
    assert used == set(MESSAGES)
