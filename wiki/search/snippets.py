"""Extracts of stored text around the matched words, escaped, with <mark> around them."""
from __future__ import annotations

import heapq
import re

from markupsafe import escape
from whoosh.support.charset import accent_map


def _letter_forms() -> dict[str, str]:
    """Folded letter → a regex class of the letters that fold to it (« e » → [eéèêë…])."""
    forms: dict[str, set[str]] = {}
    for code, folded in accent_map.items():
        if len(folded) == 1:
            forms.setdefault(folded.lower(), {folded.lower()}).add(chr(code).lower())
    return {base: "[" + "".join(sorted(map(re.escape, chars))) + "]" for base, chars in forms.items()}


_LETTER_FORMS = _letter_forms()


def candidate_words(terms: set[str]) -> re.Pattern:
    """Words of a text that may have one of `terms` (index terms) as their index term: those
    starting like the term (a stem begins like its word), whatever their accents or case. Only
    these go through the analyzer, not every word of every text shown."""
    prefixes = sorted({"".join(_LETTER_FORMS.get(c, re.escape(c)) for c in term[:3]) for term in terms if term})
    return re.compile(rf"\b(?:{'|'.join(prefixes)})\w*", re.IGNORECASE) if prefixes else re.compile(r"(?!)")


def highlight(text: str, terms: set[str], index_term, candidates: re.Pattern, maxchars: int = 200,
              surround: int = 60, top: int = 2) -> str | None:
    """Escaped extracts of `text` around the words whose index term (`index_term(word)`) is one
    of `terms`, in <mark>: the `top` passages with the most distinct matched words, in text order."""
    spans = [(m.start(), m.end()) for m in candidates.finditer(text) if index_term(m.group()) in terms]
    if not spans:
        return None
    passages: list[list[tuple[int, int]]] = []  # matches that fit in `maxchars` with their context
    for start, end in spans:
        if passages and end - (passages[-1][0][0] - surround) <= maxchars:
            passages[-1].append((start, end))
        else:
            passages.append([(start, end)])

    def weight(passage):
        return len({index_term(text[s:e]) for s, e in passage}), len(passage), -passage[0][0]

    out = []
    for passage in sorted(heapq.nlargest(top, passages, key=weight)):
        first, last = passage[0][0], passage[-1][1]
        left = max(0, first - surround)
        right = min(len(text), max(last, left + maxchars), last + surround)
        if left > 0:  # whole words only
            space = text.find(" ", left, first)
            left = space + 1 if space >= 0 else first
        if right < len(text):
            space = text.rfind(" ", last, right)
            right = space if space >= 0 else last
        pieces, at = [], left
        for start, end in passage:
            pieces.append(f"{escape(text[at:start])}<mark>{escape(text[start:end])}</mark>")
            at = end
        pieces.append(str(escape(text[at:right])))
        out.append("".join(pieces).strip())
    return " … ".join(out)
