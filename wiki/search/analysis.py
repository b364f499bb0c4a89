"""French analysis, the same at index and query time, written as a Whoosh tokenizer; for
pages in other languages, the same without stemming."""
from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import Token, Tokenizer
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

from .text import light_stem


def _fold_all(words) -> frozenset[str]:
    return frozenset(w.translate(accent_map) for w in words)


# Elided articles and pronouns (l', d', qu'…) split off by the tokenizer and dropped.
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "lorsqu", "puisqu", "jusqu", "quoiqu"}
# Snowball's French list misses a few very common words.
STOP_WORDS = _fold_all(stopwords_for_language("fr")) | ELISIONS | {"les", "ils", "elles", "leurs", "cet", "cette"}
_WORD, _WHOLE, _DIGIT = re.compile(r"\w+"), re.compile(r".*", re.DOTALL), re.compile(r"\d")
STEMMERS = ("snowball", "light", "prefix", "none")
PREFIX_LENGTH = 6


@lru_cache(maxsize=None)
def _stemmer(name: str):
    """Word → stem, memoised (a wiki's vocabulary is a few tens of thousands of words)."""
    if name == "prefix":  # words with digits are codes and numbers (« aep2019 »): kept whole
        return lambda word: word if _DIGIT.search(word) else word[:PREFIX_LENGTH]
    if name == "none":  # pages in other languages (Bambara, English…): French endings mean nothing there
        return lambda word: word
    return lru_cache(maxsize=200_000)(stemmer_for_language("fr") if name == "snowball" else light_stem)


class FrenchAnalyzer(Tokenizer):
    """Words (\\w+), lower case, accents folded (« maternité » and « maternite » meet), stop
    words and elisions dropped, then stemmed with `stemmer` ("snowball", "light": plurals
    only, "prefix": first letters, "none": as written). Queries drop French stop words, so
    pages in other languages drop them too. One pass rather than Whoosh's chain of filters,
    which costs a generator step per word and per filter at indexing. Positions count the
    words kept, as StopFilter numbers them."""

    is_morph = True

    def __init__(self, stemmer: str):
        if stemmer not in STEMMERS:
            raise ValueError(f"SEARCH_STEMMER must be one of {STEMMERS}, not {stemmer!r}")
        self.stemmer = stemmer

    def __eq__(self, other):
        return type(other) is type(self) and other.stemmer == self.stemmer

    def __hash__(self):
        return hash((type(self), self.stemmer))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stem = None if no_morph else _stemmer(self.stemmer)
        matches = _WORD.finditer(value) if tokenize else [_WHOLE.match(value)]
        pos = start_pos
        for match in matches:
            word = match.group().lower().translate(accent_map)
            stopped = word in STOP_WORDS
            if stopped and removestops:
                continue
            token.text = stem(word) if stem and not stopped else word
            token.stopped, token.boost = stopped, 1.0
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = pos
                pos += not stopped
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            yield token

    def terms(self, text: str) -> list[str]:
        """The index terms of a text, in order."""
        return [token.text for token in self(text)]

    def words(self, text: str) -> set[str]:
        """The text's words as written but folded, stop words left out: what spelling
        suggestions are made of."""
        return {token.text for token in self(text, no_morph=True)}
