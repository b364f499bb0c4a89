"""Our BM25F ranker (wiki/search/whoosh_ranking.py) gives Whoosh's own scores and order, on a
real index of several segments with deleted and replaced documents."""
import random

import pytest

from whoosh.query import Every

from wiki.search import SearchDoc
from wiki.search import whoosh_ranking
from wiki.search.whoosh_index import WhooshIndex

WORDS = ("puits forage pompe panne eau potable école filles maternité santé centre communautaire "
         "village comité gestion femmes jardin maraîcher semences récolte mil sorgho irrigation "
         "formation enseignants cantine latrines hygiène paludisme moustiquaires vaccination "
         "coopérative crédit microfinance électricité solaire panneaux batterie radio jeunes").split()
PLACES = ("Ségou", "Kayes", "Mopti", "Sikasso", "Koulikoro", "Tombouctou")
EVERYTHING = Every()  # the index filter of a reader who may read every page
QUERIES = ["puits", "forage pompe", "ecole filles", "maternite sante", "eau potable village",
           "jardin semences recolte", "panne", "Ségou", "kayes forage", "puits paludisme radio",
           '"centre communautaire"', "pompe NOT panne", "femmes (credit OR microfinance)",
           "cscom", "solaire batterie jeunes formation"]
SYNONYMS = [["cscom", "centre de sante communautaire"]]


def make_doc(rng: random.Random, page_id: int) -> SearchDoc:
    def text(low, high):
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))

    return SearchDoc(page_id=page_id, slug=f"p{page_id}", title=text(2, 6), identity=f"{text(3, 12)} {rng.choice(PLACES)}",
                     body=text(10, 150) + (" au centre de santé communautaire" if rng.random() < 0.1 else ""), people=rng.choice(("Awa Traoré", "Jean Martin")),
                     kind="fiche", visibility="public", group="", themes=["eau"], region=rng.choice(PLACES),
                     sides=["sud"], years=[2020], status="publiee", author_ids=[1], updated=page_id)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    rng = random.Random(7)
    index = WhooshIndex(str(tmp_path_factory.mktemp("ranking") / "index"))
    docs = {n: make_doc(rng, n) for n in range(1, 301)}
    index.rebuild(lambda: iter(docs.values()), change_id=1)
    # Three more commits: each adds a segment and deletes documents of the older ones.
    for change, ids in enumerate((range(1, 40), range(30, 60, 2), range(200, 230)), start=2):
        changed = {n: (None if n % 7 == 0 else make_doc(rng, n)) for n in ids}
        index.catch_up(latest_change_id=change, changes_since=lambda last, c=change, ids=changed: (
                           (list(ids), c) if last < c else ([], last)),
                       docs_for=lambda page_ids, ids=changed: {n: ids[n] for n in page_ids},
                       all_docs=lambda: iter(()))
    return index


def ranked(index, query, per_page=10):
    outcome = index.query(query, readable=EVERYTHING, filters={}, page=1, per_page=per_page, synonyms=SYNONYMS)
    return outcome.total, [(page_id, score) for page_id, _, score in outcome.hits]


@pytest.mark.parametrize("query", QUERIES)
def test_scores_and_order_are_whooshs(index, query, monkeypatch):
    ours = ranked(index, query)
    leaves = [leaf for leaf, _ in index._searcher.reader().leaf_readers()]
    assert len(leaves) >= 2 and any(leaf.has_deletions() for leaf in leaves)

    def whoosh_scores(*args):
        raise whoosh_ranking.Unsupported("reference")

    monkeypatch.setattr(whoosh_ranking.Ranker, "top", whoosh_scores)
    index._views.outcomes.clear()  # the answer is kept: ask again for real
    reference = ranked(index, query)
    assert ours[0] == reference[0] > 0
    assert ours == reference


def test_second_page_continues_the_first(index):
    first = ranked(index, "puits forage", per_page=5)
    outcome = index.query("puits forage", readable=EVERYTHING, filters={}, page=2, per_page=5)
    second = [page_id for page_id, _, _ in outcome.hits]
    both = ranked(index, "puits forage", per_page=10)[1]
    assert [p for p, _ in first[1]] + second == [p for p, _ in both]


@pytest.mark.parametrize("words", [["centr", "sant", "communautair"], ["eau", "potabl"], ["puit", "forag"]])
def test_phrase_documents_are_whooshs(index, words):
    from whoosh.query import Phrase

    from wiki.search.whoosh_ranking import bitmap

    ranked(index, "puits")  # opens the searcher and its views
    views, phrase = index._views, Phrase("body", words)
    expected = bitmap(index._searcher.docs_for_query(phrase)) & views.live
    few = sum(1 << d for d in random.Random(5).sample(range(views.live.bit_length()), 20)) & views.live
    # A few documents (positions read for them only), then all (read and kept), then a few again.
    assert views.docs(phrase, few) == expected & few
    assert expected and views.docs(phrase, views.live) == expected
    assert views.docs(phrase, few) == expected & few


def test_newest_first_for_few_and_many_documents(index):
    ranked(index, "puits")
    views, rng = index._views, random.Random(3)
    updated = list(index._searcher.reader().column_reader("updated"))
    live = [d for d in range(len(updated)) if views.live >> d & 1]
    for size in (3, 5, 100, len(live)):  # fewer than 1/50 of the documents are sorted apart
        chosen = rng.sample(live, size)
        bits = sum(1 << d for d in chosen)
        expected = sorted(chosen, key=lambda d: (updated[d], d), reverse=True)
        assert views.newest(bits, 0, 10) == expected[:10]
        assert views.newest(bits, 2, 4) == expected[2:6]
