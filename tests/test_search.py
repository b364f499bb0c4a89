"""Search: French matching, permission filter inside the query, index catching up by itself."""
import shutil
import time
from pathlib import Path

import pytest

from wiki import search


@pytest.fixture
def people(make_user):
    return {"lecteur": make_user("lecteur"), "membre_eau": make_user("contributeur", "sud", groups_=("eau",)),
            "coordinateur": make_user("coordinateur")}


def post(api, user, title, body, **extra):
    response = api("POST", "/pages", user, json={"title": title, "body": body, **extra})
    assert response.status_code == 201, response.json
    return response.json["slug"]


def test_accents_plurals_and_case_meet(api, people):
    post(api, people["membre_eau"], "Maternité de Ségou", "Les forages et les pompes du CSCOM.")
    for query in ("maternite", "SEGOU", "forage", "pompe", "Maternités"):
        result = api("GET", f"/search?q={query}", people["lecteur"]).json
        assert result["total"] == 1, query
    hit = api("GET", "/search?q=pompe", people["lecteur"]).json["results"][0]
    assert "<mark>pompes</mark>" in hit["snippet"]
    assert set(hit) >= {"slug", "title", "kind", "snippet", "score"}


def test_words_are_ored_and_pages_with_more_of_them_come_first(api, people):
    post(api, people["membre_eau"], "École", "L'école du village.")
    post(api, people["membre_eau"], "Puits", "Le puits du village.")
    post(api, people["membre_eau"], "Forage", "Un forage profond.")
    both = api("GET", "/search?q=puits village", people["lecteur"]).json
    assert [r["slug"] for r in both["results"]] == ["puits", "ecole"]  # all the words first, then most of them
    assert both["total"] == 2 and "used_or" not in both
    assert api("GET", "/search?q=puits école forage", people["lecteur"]).json["total"] == 3


@pytest.mark.parametrize("query", ['+puits village', 'puits ET village', 'village ET puits', '"puits du village"'])
def test_members_can_ask_for_every_word(api, people, query):
    post(api, people["membre_eau"], "École", "L'école du village.")
    post(api, people["membre_eau"], "Puits", "Le puits du village.")
    post(api, people["membre_eau"], "Village", "Le village et son école ; le puits est loin.")
    slugs = [r["slug"] for r in api("GET", "/search", people["lecteur"], query_string={"q": query}).json["results"]]
    expected = {"puits", "village"} if query != '"puits du village"' else {"puits"}
    assert set(slugs) == expected, query


def test_a_verb_finds_its_noun_and_small_words_do_not_count(api, people):
    post(api, people["membre_eau"], "Construction d'une école", "Les parents ont bâti trois classes.")
    post(api, people["membre_eau"], "Pour les femmes", "Un moulin.")
    result = api("GET", "/search?q=construire à l'école pour les", people["lecteur"]).json
    assert [r["slug"] for r in result["results"]] == ["construction-d-une-ecole"]


def test_restricted_word_is_undetectable(api, client, auth, people):
    post(api, people["membre_eau"], "Réunion du groupe", "Le mot zanzibarite est confidentiel.",
         visibility="groupe", group="eau")
    post(api, people["membre_eau"], "Page ouverte", "Rien à cacher ici.", visibility="membres")
    for viewer in (None, people["lecteur"]):
        result = api("GET", "/search?q=zanzibarite", viewer).json
        assert result["total"] == 0 and result["results"] == []
        assert all(not counts for counts in result["facets"].values())
        everything = api("GET", "/search?q=", viewer).json
        assert "reunion-du-groupe" not in {r["slug"] for r in everything["results"]}
        assert "zanzibarite" not in str(everything)
        assert everything["facets"]["group"] == {}
    auth.login(people["lecteur"])
    page = client.get("/recherche?q=zanzibarite").text
    # The reader's own words come back in the search box and in the footer's language links only.
    page = page.replace('value="zanzibarite"', "").replace("suite=/recherche?q%3Dzanzibarite", "")
    assert "zanzibarite" not in page
    assert api("GET", "/search?q=zanzibarite", people["membre_eau"]).json["total"] == 1
    assert api("GET", "/search?q=zanzibarite", people["coordinateur"]).json["total"] == 1


def test_hostile_queries_never_fail(api, people):
    post(api, people["membre_eau"], "Puits", "Le puits.")
    for query in ['"guillemet', "(((", "title:puits", "puits*", "a" * 10_000, "\x00\x00", "AND OR NOT",
                  "puits^5", "[a TO z]", "\u202etexte"]:
        response = api("GET", "/search", people["lecteur"], query_string={"q": query})
        # A result, or (control and bidi characters) a clear refusal: never a 500.
        assert response.status_code in (200, 400), query
        assert response.status_code == 200 or response.json["message"]


def test_index_catches_up_after_crash_and_loss(app, api, people, monkeypatch):
    post(api, people["membre_eau"], "Première page", "L'index existe.")
    # A save whose index write never happened (crash between commit and indexing)...
    monkeypatch.setattr(search, "catch_up", lambda **_: None)
    post(api, people["membre_eau"], "Semences", "Variétés de mil résistantes.")
    monkeypatch.undo()
    # ...is found at the next search, which replays the change feed.
    assert api("GET", "/search?q=mil", people["lecteur"]).json["total"] == 1
    # A deleted index is rebuilt from the database without anyone typing a command;
    # meanwhile search answers, saying it is incomplete.
    shutil.rmtree(Path(app.config["SEARCH_INDEX_DIR"]))
    first = api("GET", "/search?q=mil", people["lecteur"]).json
    assert first["complete"] is False or first["total"] == 1
    wait_for_total(api, "mil", people["lecteur"], 1)
    assert api("GET", "/search?q=mil", people["lecteur"]).json["complete"] is True


def test_deleted_page_leaves_results(app, api, people):
    slug = post(api, people["membre_eau"], "Semences", "Variétés de mil résistantes.")
    from wiki.auth.models import User
    from wiki.extensions import db
    from wiki.pages import services as pages
    with app.app_context():
        page, _ = pages.find_page(slug)
        pages.set_deleted(page, True, by=db.session.get(User, people["coordinateur"]))
    assert api("GET", "/search?q=mil", people["lecteur"]).json["total"] == 0


def test_search_page_in_html(client, api, people):
    post(api, people["coordinateur"], "Forage public", "Un **forage** au débit <img src=x onerror=alert(1)> "
         "inférieur à 5 m3/h, soit a < b.", visibility="public")
    html = client.get("/recherche?q=forage").text
    assert '<a href="/p/forage-public">Forage public</a>' in html
    snippet = html.split('<p class="snippet">')[1].split("</p>")[0]
    assert "**" not in snippet and "<img" not in snippet  # the words a reader sees, no markup
    assert "a &lt; b" in snippet and "<mark>forage</mark>" in snippet


def test_elisions_and_phrases(api, people):
    post(api, people["membre_eau"], "Cantine", "L'école du village a ouvert une cantine scolaire.")
    post(api, people["membre_eau"], "Cantine mobile", "La cantine passe par l'école, puis le marché scolaire.")
    assert api("GET", "/search?q=l'ecole", people["lecteur"]).json["total"] == 2
    assert api("GET", "/search?q=d’école", people["lecteur"]).json["total"] == 2
    phrase = api("GET", '/search?q="cantine scolaire"', people["lecteur"]).json
    assert [r["slug"] for r in phrase["results"]] == ["cantine"]


def test_typo_gets_corrected_results_and_suggestion(api, people):
    post(api, people["membre_eau"], "Forages à Ségou", "Trois forages équipés de pompes manuelles.")
    result = api("GET", "/search?q=forrage", people["lecteur"]).json
    assert result["total"] == 1 and result["corrected_from"] == "forrage"
    assert result["results"][0]["slug"] == "forages-a-segou"
    mixed = api("GET", "/search?q=pompes manuellles", people["lecteur"]).json
    assert mixed["total"] == 1


def test_suggestions_never_reveal_restricted_words(api, people):
    post(api, people["membre_eau"], "Réunion", "Le mot zanzibarite est confidentiel.", visibility="groupe", group="eau")
    post(api, people["membre_eau"], "Ouverte", "Le village de Zanzibara.", visibility="membres")
    result = api("GET", "/search?q=zanzubarite", people["lecteur"]).json
    assert "zanzibarite" not in str(result)
    assert {r["slug"] for r in result["results"]} <= {"ouverte"}  # corrected to a readable word, if any
    assert result["suggestion"] in (None, "zanzibara")
    member = api("GET", "/search?q=zanzubarite", people["membre_eau"]).json
    assert member["suggestion"] == "zanzibarite"  # the member may read the page with that word


def test_a_word_known_only_from_unreadable_pages_is_treated_as_unknown(api, people):
    """Issue 21: « Vouliez-vous dire » told a non-member whether a word stood in a group page
    (never corrected) or nowhere (corrected). Both now answer alike."""
    post(api, people["membre_eau"], "Convoi", "Le convoi passe par Zoubarine.", visibility="groupe", group="eau")
    post(api, people["membre_eau"], "Zoubaline", "Le puits de Zoubaline.", visibility="membres")

    def answer(query: str, reader: str) -> tuple:
        result = api("GET", "/search", people[reader], query_string={"q": query}).json
        corrected = result["corrected_from"] and result["corrected_from"].replace(query, "TYPED")
        return result["total"], [r["slug"] for r in result["results"]], result["suggestion"], corrected

    secret, unknown = answer("zoubarine", "lecteur"), answer("zoubacine", "lecteur")  # group page / nowhere
    assert secret == unknown == (1, ["zoubaline"], "zoubaline", "TYPED")
    assert answer("zoubarine", "membre_eau") == (1, ["convoi"], None, None)


def test_thesaurus_expands_queries(app, api, client, auth, people):
    post(api, people["membre_eau"], "Appui au CSCOM", "Le CSCOM de Dialakoro a reçu une maternité.")
    result = api("GET", "/search?q=centre de sante communautaire", people["lecteur"]).json
    assert [r["slug"] for r in result["results"]] == ["appui-au-cscom"]
    auth.login(people["coordinateur"])
    client.post("/admin/thesaurus", data={"action": "add", "terms": "maternité | maison d'accouchement"})
    assert api("GET", "/search?q=maison d'accouchement", people["lecteur"]).json["total"] == 1
    auth.logout()
    auth.login(people["lecteur"])
    assert client.get("/admin/thesaurus").status_code == 403


def test_facets_count_and_narrow(api, people):
    for title, region, theme in (("Puits A", "Ségou", "eau"), ("Puits B", "Ségou", "sante"), ("Puits C", "Kayes", "eau")):
        api("POST", "/pages", people["membre_eau"], json={
            "title": title, "kind": "fiche", "themes": [theme], "body": "Un puits.",
            "fields": {"region": region, "period_start": 2018, "period_end": 2019}})
    result = api("GET", "/search?q=puits", people["lecteur"]).json
    assert result["facets"]["region"] == {"Ségou": 2, "Kayes": 1}
    assert result["facets"]["theme"] == {"eau": 2, "sante": 1}
    assert result["facets"]["year"] == {"2018": 3, "2019": 3}
    assert result["facets"]["side"] == {"sud": 3}
    narrowed = api("GET", "/search?q=puits&region=Ségou&theme=eau", people["lecteur"]).json
    assert [r["slug"] for r in narrowed["results"]] == ["puits-a"]
    assert narrowed["facets"]["region"] == {"Ségou": 1}


def test_html_results_show_facets_and_sort(client, api, auth, people):
    post(api, people["membre_eau"], "Puits ancien", "Un puits.")
    post(api, people["membre_eau"], "Puits récent", "Un puits et encore un puits, puits.")
    auth.login(people["lecteur"])
    html = client.get("/recherche?q=puits").text
    assert "Affiner" in html and "Voix" in html
    by_date = client.get("/recherche?q=puits&tri=date").text
    assert by_date.index("Puits récent") < by_date.index("Puits ancien")
    assert "2 résultats" in client.get("/recherche?q=puits&kind=page").text


WRITER = """
import sys
from wiki import create_app
from wiki.auth.models import User
from wiki.extensions import db
from wiki.pages import services
app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": sys.argv[1]})
with app.app_context():
    author = db.session.get(User, int(sys.argv[2]))
    for n in range(int(sys.argv[4])):
        services.create_page(author=author, title=f"Note {sys.argv[3]} {n}", body=f"motif{sys.argv[3]}x{n}")
"""


def test_concurrent_writers_in_several_processes_lose_nothing(app, api, people, tmp_path):
    import subprocess
    import sys

    data_dir = app.config["DATA_DIR"]
    workers = [subprocess.Popen([sys.executable, "-c", WRITER, data_dir, str(people["membre_eau"]), str(w), "8"],
                                stderr=subprocess.PIPE, text=True) for w in range(3)]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors
        assert "LockError" not in errors
    for w in range(3):
        for n in range(8):
            assert api("GET", f"/search?q=motif{w}x{n}", people["lecteur"]).json["total"] == 1, (w, n)


def test_reindex_swaps_while_searching(app, api, runner, people):
    import threading

    for n in range(20):
        post(api, people["membre_eau"], f"Fiche {n}", f"Semences de mil numéro {n}.")
    errors, totals = [], []

    def rebuild():
        with app.app_context():
            for _ in range(3):
                search.reindex()

    thread = threading.Thread(target=rebuild)
    thread.start()
    while thread.is_alive() or len(totals) < 5:
        response = api("GET", "/search?q=mil", people["lecteur"])
        (totals if response.status_code == 200 else errors).append(response.json.get("total"))
    thread.join()
    assert errors == []
    assert set(totals) == {20}


def wait_for_total(api, query, user, total, seconds=30):
    deadline = time.monotonic() + seconds
    while api("GET", f"/search?q={query}", user).json["total"] != total:
        assert time.monotonic() < deadline, f"search for {query!r} never found {total}"
        time.sleep(0.05)


# Whoosh leaves the corrupt table-of-contents file open when it fails to read it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_corrupt_index_is_rebuilt(app, api, people):
    post(api, people["membre_eau"], "Semences", "Variétés de mil résistantes.")
    wait_for_total(api, "mil", people["lecteur"], 1)
    root = Path(app.config["SEARCH_INDEX_DIR"])
    live = root / (root / "CURRENT").read_text()
    tocs = list(live.glob("_MAIN_*.toc"))
    assert tocs
    for toc in tocs:
        toc.write_bytes(b"garbage")
    index = app.extensions[search.EXTENSION_KEY]
    index._close_searcher()
    index._opened = None  # as a freshly started worker would open it
    wait_for_total(api, "mil", people["lecteur"], 1)


def test_snowball_stemmer_option(tmp_path, make_user):
    from wiki import create_app
    from wiki.auth.models import User
    from wiki.extensions import db
    from wiki.pages import services as pages

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path / "snowball"),
                      "SEARCH_STEMMER": "snowball"})
    with app.app_context():
        db.create_all()
        author = User(email="a@example.org", name="A", side="sud", role="contributeur")
        db.session.add(author)
        db.session.commit()
        pages.create_page(author=author, title="Puits", body="Les pompes manuelles des villages.")
        search.catch_up()  # build the index now rather than in the background
        result = search.search_pages(author, "pompe manuelle village")
        assert result.total == 1 and search.get_index().version.endswith("-snowball")


def test_rebuilt_index_keeps_rules_and_spelling(app, api, people):
    """After a full rebuild (spelling words held apart, several segments, cached document sets):
    the same totals, no stray document, corrections and suggestions limited to readable pages."""
    post(api, people["membre_eau"], "Forages à Ségou", "Trois forages équipés de pompes manuelles.")
    post(api, people["membre_eau"], "Réunion", "Le mot zanzibarite est confidentiel.",
         visibility="groupe", group="eau")
    post(api, people["membre_eau"], "Cantine", "L'école du village a ouvert une cantine scolaire.")
    with app.app_context():
        assert search.reindex() == 3
    everything = api("GET", "/search?q=", people["coordinateur"]).json
    assert everything["total"] == 3 and len(everything["results"]) == 3
    assert api("GET", "/search?q=", people["lecteur"]).json["total"] == 2
    assert api("GET", "/search?q=forrage", people["lecteur"]).json["corrected_from"] == "forrage"
    restricted = api("GET", "/search?q=zanzubarite", people["lecteur"]).json
    assert restricted["total"] == 0 and "zanzibarite" not in str(restricted)
    member = api("GET", "/search?q=zanzubarite", people["membre_eau"]).json
    assert member["corrected_from"] == "zanzubarite" and [r["slug"] for r in member["results"]] == ["reunion"]
    phrase = api("GET", '/search?q="cantine scolaire"', people["lecteur"]).json
    assert [r["slug"] for r in phrase["results"]] == ["cantine"]
    assert "<mark>cantine</mark> <mark>scolaire</mark>" in phrase["results"][0]["snippet"]
    assert api("GET", '/search?q="scolaire cantine"', people["lecteur"]).json["total"] == 0


def put(api, user, slug, **changes):
    base = api("GET", f"/pages/{slug}", user).json["revision"]
    response = api("PUT", f"/pages/{slug}", user, json={"base_revision": base, **changes})
    assert response.status_code == 200, response.json
    return response


def test_saved_and_deleted_pages_count_once(app, api, people):
    """A save replaces the page's document (old one deleted, new one added, segments merged):
    every result list, total, facet count and spelling check sees the newest version only."""
    sheets = {"puits-a": ("Ségou", "eau"), "puits-b": ("Ségou", "sante"), "puits-c": ("Kayes", "eau")}
    for slug, (region, theme) in sheets.items():
        api("POST", "/pages", people["membre_eau"], json={
            "title": slug.replace("-", " ").title(), "kind": "fiche", "themes": [theme], "body": "Un puits.",
            "fields": {"region": region, "period_start": 2018, "period_end": 2019}})
    post(api, people["membre_eau"], "Forages", "Trois forages équipés.")
    notes = post(api, people["membre_eau"], "Notes", "Le forrage du village, et ancienmot.")
    viewer = people["lecteur"]
    for round_ in range(3):
        for slug in sheets:
            put(api, people["membre_eau"], slug, body=f"Un puits, version {round_}.")
        result = api("GET", "/search?q=puits", viewer).json
        assert sorted(r["slug"] for r in result["results"]) == sorted(sheets), round_
        assert result["total"] == 3
        assert result["facets"]["region"] == {"Ségou": 2, "Kayes": 1}
        assert result["facets"]["theme"] == {"eau": 2, "sante": 1}
        assert result["facets"]["year"] == {"2018": 3, "2019": 3}
    put(api, people["membre_eau"], notes, body="Le forage du village, et nouveaumot.")
    everything = api("GET", "/search?q=", people["coordinateur"]).json
    assert everything["total"] == 5 and len({r["slug"] for r in everything["results"]}) == 5
    by_date = api("GET", "/search?q=puits&sort=date", viewer).json
    assert by_date["total"] == 3 and sorted(r["slug"] for r in by_date["results"]) == sorted(sheets)
    assert api("GET", '/search?q="version 2"', viewer).json["total"] == 3
    assert api("GET", '/search?q="version 1"', viewer).json["total"] == 0  # « version 1 » is in no current text
    # A word of a replaced version is neither found nor taken as known by the spelling check.
    assert api("GET", "/search?q=ancienmot", viewer).json["total"] == 0
    assert api("GET", "/search?q=nouveaumot", viewer).json["total"] == 1
    corrected = api("GET", "/search?q=forrage", viewer).json
    assert corrected["corrected_from"] == "forrage"
    assert sorted(r["slug"] for r in corrected["results"]) == ["forages", "notes"]

    from wiki.auth.models import User
    from wiki.extensions import db
    from wiki.pages import services as pages
    with app.app_context():
        page, _ = pages.find_page("puits-b")
        pages.set_deleted(page, True, by=db.session.get(User, people["coordinateur"]))
    result = api("GET", "/search?q=puits", viewer).json
    assert sorted(r["slug"] for r in result["results"]) == ["puits-a", "puits-c"]
    assert result["total"] == 2
    assert result["facets"]["region"] == {"Kayes": 1, "Ségou": 1}
    assert result["facets"]["theme"] == {"eau": 2}
    assert api("GET", "/search?q=puits&theme=sante", viewer).json["total"] == 0
    assert api("GET", "/search?q=", people["coordinateur"]).json["total"] == 4


def test_searcher_follows_commits_without_keeping_old_segments(app, api, people):
    """After saves, the process's searcher reads exactly the segments of the newest commit
    (none merged away, each with its current deletions), and the superseded searchers are closed."""
    slug = post(api, people["membre_eau"], "Puits", "Un puits.")
    index = app.extensions[search.EXTENSION_KEY]
    searchers = []
    for n in range(6):
        put(api, people["membre_eau"], slug, body=f"Un puits, version {n}.")
        assert api("GET", "/search?q=puits", people["lecteur"]).json["total"] == 1
        searchers.append(index._searcher)
        reader = index._searcher.reader()
        committed = {(s.segment_id(), s.deleted_count()) for s in index._opened[1]._segments()}
        assert {(s.segment_id(), s.deleted_count()) for s in reader.segments()} == committed
    assert all(s.is_closed for s in searchers[:-1]) and not searchers[-1].is_closed


def test_snippets_mark_words_whatever_their_accents_and_case(api, people):
    post(api, people["membre_eau"], "Santé", "La MATERNITÉ de Ségou et ses maternités voisines ; l'école d'Élisa.")
    hit = api("GET", "/search?q=maternite segou ecole", people["lecteur"]).json["results"][0]
    for word in ("MATERNITÉ", "Ségou", "maternités", "école"):
        assert f"<mark>{word}</mark>" in hit["snippet"], word
    assert "<mark>Élisa</mark>" not in hit["snippet"]


def test_kept_answers_are_per_readable_set_and_commit(api, people):
    """Answers are kept per index commit and per set of readable documents: a group member's
    answer never reaches a non-member asking the same thing, and a save is seen at once."""
    post(api, people["membre_eau"], "Réunion", "Le mot zanzibarite.", visibility="groupe", group="eau")
    assert api("GET", "/search?q=zanzibarite", people["membre_eau"]).json["total"] == 1
    assert api("GET", "/search?q=zanzibarite", people["lecteur"]).json["total"] == 0
    assert api("GET", "/search?q=zanzibarite", None).json["total"] == 0
    post(api, people["coordinateur"], "Ouverte", "Encore zanzibarite.", visibility="public")
    assert api("GET", "/search?q=zanzibarite", None).json["total"] == 1
    assert api("GET", "/search?q=zanzibarite", people["membre_eau"]).json["total"] == 2


def test_a_theme_rename_reaches_the_index(app, api, people):
    from wiki.auth.models import User
    from wiki.extensions import db
    from wiki.sheets import themes

    sheet = {"kind": "fiche", "themes": ["eau-et-assainissement"], "fields": {"region": "Ségou"}}
    post(api, people["membre_eau"], "Château d'eau de Markala", "Un réservoir.", **sheet)
    assert api("GET", "/search?q=hydraulique", people["lecteur"]).json["total"] == 0
    with app.app_context():
        theme = next(t for t in themes.list_themes() if t.slug == "eau-et-assainissement")
        themes.rename_theme(theme.id, "Hydraulique villageoise", by=db.session.get(User, people["coordinateur"]))
    # No rebuild: the index follows the change feed, which the rename wrote for each sheet.
    assert [r["title"] for r in api("GET", "/search?q=hydraulique", people["lecteur"]).json["results"]] == [
        "Château d'eau de Markala"]


def test_an_open_period_gives_the_same_years_to_search_and_to_the_group_page(app, api, people):
    """« depuis 2019 »: every year up to the sheet's last update, in the facets and in the group filter."""
    from datetime import datetime, timezone

    from wiki.auth.models import User
    from wiki.extensions import db
    from wiki.groups import services as groups
    from wiki.pages.models import Page

    sheet = {"kind": "fiche", "themes": ["eau-et-assainissement"], "group": "eau", "visibility": "groupe",
             "fields": {"region": "Ségou", "period_start": 2019}}
    slug = post(api, people["membre_eau"], "Forage de Niono", "Un forage.", **sheet)
    with app.app_context():  # the last update in 2022, whatever today is
        db.session.execute(db.update(Page).where(Page.slug == slug).values(
            updated_at=datetime(2022, 6, 1, tzinfo=timezone.utc).replace(tzinfo=None)))
        db.session.commit()
        search.reindex()  # a manual edit of the database: the documents are built again
    expected = {"2019", "2020", "2021", "2022"}
    facets = api("GET", "/search?q=forage", people["membre_eau"]).json["facets"]
    assert set(facets["year"]) == expected
    with app.app_context():
        group = groups.get_group("eau")
        viewer = db.session.get(User, people["membre_eau"])
        assert set(map(str, groups.group_home(group, viewer).years)) == expected
        assert [p.slug for p in groups.list_group_pages(group, viewer, year=2021)] == [slug]
        assert groups.list_group_pages(group, viewer, year=2023) == []


def test_a_page_in_another_language_is_searched_by_its_words_as_written(api, people):
    """Issue 20: French stemming and prefixes join unrelated words of other languages (« process »
    and « procès » cut to « proces »); a page that declares its language keeps its words whole."""
    english = post(api, people["membre_eau"], "Drilling report", "The process of drilling the borehole.",
                   language="en")
    french = post(api, people["membre_eau"], "Audience au tribunal", "Le procès du chef de village.")
    bambara = post(api, people["membre_eau"], "Ji ko", "Dugu musow ye kɔlɔn sen.", language="bm")

    def slugs(query):
        return [r["slug"] for r in api("GET", "/search", people["lecteur"], query_string={"q": query}).json["results"]]

    assert slugs("procès") == [french]
    assert english in slugs("process") and slugs("borehole") == [english]
    assert slugs("musow") == [bambara] and slugs("kolon") == [bambara]
    assert slugs('"dugu musow"') == [bambara]
    hit = api("GET", "/search?q=drilling", people["lecteur"]).json["results"][0]
    assert "<mark>drilling</mark>" in hit["snippet"]
    # The language changes: the page is indexed again with the other analysis.
    revision = api("GET", f"/pages/{english}", people["membre_eau"]).json["revision"]
    assert api("PUT", f"/pages/{english}", people["membre_eau"],
               json={"base_revision": revision, "language": "fr"}).status_code == 200
    assert english in slugs("procès")


def test_a_known_word_is_never_corrected(api, people):
    post(api, people["membre_eau"], "Fourrage", "Le fourrage des bêtes en saison sèche.")
    post(api, people["membre_eau"], "Forages", "Trois forages et un forage.")
    for query in ("fourrage", "forage", "forages"):
        result = api("GET", "/search", people["lecteur"], query_string={"q": query}).json
        assert result["suggestion"] is None and result["corrected_from"] is None, query


def test_stop_words_are_never_proposed(api, people):
    post(api, people["membre_eau"], "Cour", "Nous dansons dans la cour.")
    result = api("GET", "/search?q=dnas", people["lecteur"]).json
    assert result["suggestion"] is None and result["total"] == 0


def test_the_correction_found_in_more_readable_pages_wins(api, people):
    for n in range(3):
        post(api, people["membre_eau"], f"Forane {n}", "Le mot forane.", visibility="groupe", group="eau")
    post(api, people["membre_eau"], "Forage", "Un forage.")
    post(api, people["membre_eau"], "Forage profond", "Un autre forage.")
    post(api, people["membre_eau"], "Forane ouverte", "Le mot forane.")
    # « forace » is one letter from both; the reader may read two pages with « forage », one with « forane ».
    assert api("GET", "/search?q=forace", people["lecteur"]).json["suggestion"] == "forage"
    # The group member may read four pages with « forane ».
    assert api("GET", "/search?q=forace", people["membre_eau"]).json["suggestion"] == "forane"


def test_a_typo_among_good_words_is_suggested_and_the_words_can_be_kept(api, client, auth, people):
    for n in range(6):
        post(api, people["membre_eau"], f"Ségou {n}", "Un projet à Ségou.")
    post(api, people["membre_eau"], "Forage à Ségou", "Un forage à Ségou.")
    result = api("GET", "/search?q=forrage segou", people["lecteur"]).json
    # Enough pages for « segou »: the typed words are searched, the correction proposed.
    assert result["suggestion"] == "forage segou" and result["corrected_from"] is None and result["total"] == 7
    auth.login(people["lecteur"])
    html = client.get("/recherche?q=forrage").text
    assert "Peu de résultats pour « forrage »" in html and "exact=1" in html
    exact = api("GET", "/search?q=forrage&exact=1", people["lecteur"]).json
    assert exact["total"] == 0 and exact["suggestion"] == "forage" and exact["corrected_from"] is None
