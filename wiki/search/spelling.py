"""« Vouliez-vous dire » : close words of the index for the words that find nothing.

Everything is checked inside the reader's allowed documents: a word found only on a page they
cannot read counts as unknown to them, and is never proposed."""
from __future__ import annotations

from .analysis import STOP_WORDS
from .postings import term_docs
from .querying import Parsed

CANDIDATES = 8  # close words looked at per unknown word


def finds_any(searcher, query, allowed) -> bool:
    """Whether `query` matches a document of `allowed`; stops at the first one."""
    return any(docnum in allowed for docnum in searcher.docs_for_query(query))


def corrections(searcher, parsed: Parsed, allowed) -> dict[str, str]:
    """Typed word → replacement, for the single words that match no allowed document.

    A word the reader's documents contain is never replaced, and stop words are never
    proposed; among close words, the nearest, then the one more allowed documents contain."""
    corrector = searcher.corrector("words")
    found: dict[str, str] = {}
    for clause in parsed.clauses:
        word = clause.words[0] if clause.single else ""
        if len(word) < 4 or word.isdigit() or word in STOP_WORDS or finds_any(searcher, clause.query, allowed):
            continue
        ranked = []
        for candidate in corrector.suggest(word, limit=CANDIDATES, maxdist=2, prefix=1):
            if candidate in STOP_WORDS or candidate == word:
                continue
            count = len(allowed.intersection(term_docs(searcher, "words", candidate)))
            if count:
                ranked.append((_distance(word, candidate), -count, candidate))
        if ranked:
            found[word] = min(ranked)[2]
    return found


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (words are short)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
