"""Word-level comparison of two texts, rendered as escaped HTML with <ins>/<del>.

difflib's matcher takes time in the product of the two sequences' lengths: lines are matched
first, words only inside changed blocks, and a comparison that would cost more than its share
of PAIRS_MAX shows the changed passage whole (removed, then added) instead of word by word."""
from __future__ import annotations

import difflib
import re

from flask_babel import gettext as _
from markupsafe import Markup, escape

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
PAIRS_MAX = 10_000_000  # items compared pairwise in one diff, lines and words together (≤ 0.3 s)


def word_diff(old: str, new: str) -> Markup:
    """The whole new text, removed words in <del> and added words in <ins>."""
    budget = [PAIRS_MAX]
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    out: list[str] = []
    for op, a, b in _opcodes(old_lines, new_lines, budget):
        if op == "equal":
            out.append(str(escape("".join(a))))
        else:
            out.extend(_words(_TOKEN.findall("".join(a)), _TOKEN.findall("".join(b)), budget))
    notice = ""
    if budget[0] < 0:
        notice = '<p class="notice">{}</p>'.format(escape(_(
            "Modifications trop étendues pour être comparées mot à mot : les passages changés sont "
            "montrés en entier, l'ancien puis le nouveau.")))
    return Markup(notice + "".join(out))


def _words(a: list[str], b: list[str], budget: list[int]) -> list[str]:
    out = []
    for op, old, new in _opcodes(a, b, budget):
        if op == "equal":
            out.append(str(escape("".join(old))))
            continue
        if old:
            out.append(f"<del>{escape(''.join(old))}</del>")
        if new:
            out.append(f"<ins>{escape(''.join(new))}</ins>")
    return out


def _opcodes(a: list[str], b: list[str], budget: list[int]):
    """(op, items of a, items of b) covering both sequences; the common start and end are
    found in linear time, the middle is matched only within the budget (budget[0] < 0 after
    a passage was left unmatched)."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    if start:
        yield "equal", a[:start], b[:start]
    middle_a, middle_b = a[start:len(a) - end], b[start:len(b) - end]
    cost = len(middle_a) * len(middle_b)
    if cost <= budget[0]:
        budget[0] -= cost
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            yield op, middle_a[i1:i2], middle_b[j1:j2]
    elif middle_a or middle_b:
        budget[0] = -1
        yield "replace", middle_a, middle_b
    if end:
        yield "equal", a[len(a) - end:], b[len(b) - end:]
