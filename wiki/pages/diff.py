"""Word-level comparison of two texts, rendered as escaped HTML with <ins>/<del>."""
from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> Markup:
    """The whole new text, removed words in <del> and added words in <ins>.

    Lines are matched first, words only inside changed blocks, so long pages stay fast."""
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(old_lines[i1:i2]))))
        else:
            out.extend(_words(_TOKEN.findall("".join(old_lines[i1:i2])), _TOKEN.findall("".join(new_lines[j1:j2]))))
    return Markup("".join(out))


def _words(a: list[str], b: list[str]) -> list[str]:
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return out
