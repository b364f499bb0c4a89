"""Three-way merge and word diff, as plain functions."""
import re
import time
from html import unescape

import pytest

from wiki.pages.diff import word_diff
from wiki.pages.merge import MergeConflict, merge_text

BASE = "Titre\n\nPremier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.\n"


def test_edits_to_different_paragraphs_merge():
    theirs = BASE.replace("Premier", "Le premier")
    mine = BASE.replace("Troisième", "Le troisième")
    assert merge_text(BASE, theirs, mine) == BASE.replace("Premier", "Le premier").replace("Troisième", "Le troisième")


def test_same_edit_on_both_sides_is_not_a_conflict():
    edited = BASE.replace("Premier", "Le premier")
    assert merge_text(BASE, edited, edited) == edited


def test_edits_to_the_same_line_conflict():
    with pytest.raises(MergeConflict):
        merge_text(BASE, BASE.replace("Premier", "Un"), BASE.replace("Premier", "Deux"))


def test_appending_at_the_end_without_final_newline():
    base = "a\nb\nc"
    assert merge_text(base, "z\nb\nc", "a\nb\nc\nd") == "z\nb\nc\nd"


def test_one_side_unchanged_takes_the_other():
    assert merge_text(BASE, BASE, "tout autre") == "tout autre"
    assert merge_text(BASE, "tout autre", BASE) == "tout autre"


def test_word_diff_marks_and_escapes():
    html = word_diff("Un <b>puits</b> profond.", "Un <b>forage</b> profond.")
    assert "<del>puits</del><ins>forage</ins>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_word_diff_of_identical_texts_has_no_marks():
    assert "<ins>" not in word_diff(BASE, BASE) and "<del>" not in word_diff(BASE, BASE)


def _seconds(call):
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


# About 76 KB on one line: the unbounded diff was quadratic (38 KB took 23 s).
LONG_LINE = " ".join(f"mot{i % 97}" for i in range(13_000))


@pytest.mark.parametrize("old, new", [
    (LONG_LINE, LONG_LINE.replace("mot5 ", "mot6 ")),
    ("x\n" * 50_000, "y\n" + "x\n" * 49_999),
    ("".join(f"l{i % 100}\n" for i in range(30_000)), "".join(f"l{i * 7 % 100}\n" for i in range(30_000))),
])
def test_comparing_large_texts_is_bounded_and_stays_exact(old, new):
    html, seconds = _seconds(lambda: word_diff(old, new))
    assert seconds <= 2  # tens of milliseconds here; unbounded, these took minutes
    # The new text read back from the diff: unchanged and added parts, without the removed ones.
    shown = re.sub(r"<p class=\"notice\">.*?</p>|<del>.*?</del>|</?ins>", "", str(html), flags=re.S)
    assert unescape(shown) == new


def test_a_small_change_in_a_long_page_is_still_shown_word_by_word():
    old = "".join(f"Paragraphe {i} sur le forage du village.\n\n" for i in range(3000))
    new = old.replace("Paragraphe 1500 sur le forage", "Paragraphe 1500 sur le puits")
    html = str(word_diff(old, new))
    assert "<del>forage</del><ins>puits</ins>" in html and "notice" not in html
