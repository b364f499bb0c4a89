"""Three-way merge and word diff, as plain functions."""
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
