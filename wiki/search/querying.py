"""From what a member types to a Whoosh query.

Words are ORed (searching.py ranks by BM25F, documents that match more of the words first);
quotes (a phrase), `+mot` and `ET` between two words make words required.
The thesaurus turns a term of a synonym group into an alternative of the whole group."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh.query import And, AndMaybe, Every, Or, Phrase, Query, Term

from .analysis import FrenchAnalyzer
from .generations import PLAIN, TEXT_FIELDS
from .text import fold

PREFIXES = FrenchAnalyzer("prefix")

MAX_QUERY_LENGTH = 500
MAX_WORDS = 32  # beyond, words are ignored: a query is a few words, not a page
# A member's words: a quoted phrase, or a word with an optional + before it.
_TOKEN = re.compile(r'"([^"]*)"?|(\+?)(\w+)')
_OPERATORS = {"ET": "and", "AND": "and", "OU": "or", "OR": "or"}


class LazyOr(Or):
    """An OR whose matcher walks its parts in step (Whoosh's binary tree of unions). On small
    segments Whoosh would otherwise read every posting of the parts into an array first, even
    when only a short list of documents is scored (see searching.py)."""

    matcher_type = Or.DEFAULT_MATCHER


@dataclass
class Clause:
    query: Query
    required: bool
    words: list[str]  # the member's words it stands for, folded
    single: bool = False  # one word (not a phrase, not a synonym): spelling may correct it


@dataclass
class Parsed:
    clauses: list[Clause] = field(default_factory=list)

    def query(self) -> Query:
        if not self.clauses:
            return Every()
        required = [c.query for c in self.clauses if c.required]
        optional = [c.query for c in self.clauses if not c.required]
        either = LazyOr(optional) if len(optional) > 1 else optional[0] if optional else None
        if not required:
            return either
        return And(required) if either is None else AndMaybe(And(required), either)


def clean(text: str) -> str:
    text = (text or "")[:MAX_QUERY_LENGTH]
    # Control characters, and apostrophes (elisions: « l'école » → « l école »).
    text = re.sub(r"[\x00-\x1f\x7f'’`]", " ", text)
    return " ".join(text.split())


def parse(text: str, analyzer: FrenchAnalyzer, synonyms: list[list[str]] = ()) -> Parsed:
    parsed, pending_and = Parsed(), False
    tokens = list(_TOKEN.finditer(clean(text)))[:MAX_WORDS]
    words = [(m.group(3) or "", bool(m.group(2)), m.group(1)) for m in tokens]
    i = 0
    while i < len(words):
        word, plus, phrase = words[i]
        if phrase is None and word in _OPERATORS and parsed.clauses and i + 1 < len(words):
            pending_and = _OPERATORS[word] == "and"
            if pending_and:
                parsed.clauses[-1].required = True
            i += 1
            continue
        if phrase is not None:
            clause, used = _phrase(phrase, analyzer, required=True), 1
        else:
            clause, used = _synonym(words, i, analyzer, synonyms)
            if clause is None:
                clause, used = _word(word, analyzer), 1
        i += used
        if clause is None:  # a stop word, an empty phrase
            continue
        clause.required = clause.required or plus or pending_and
        pending_and = False
        parsed.clauses.append(clause)
    return parsed


def _word_query(word: str, analyzer: FrenchAnalyzer) -> Query | None:
    """A word (\\w+) in every searched field as its index term; in `prefixes`, as its first
    letters; in `plain`, as written. None for a stop word."""
    terms = analyzer.terms(word)
    if not terms:
        return None
    return LazyOr([Term(name, terms[0]) for name in TEXT_FIELDS if name not in ("prefixes", "plain")]
                  + [Term("prefixes", t) for t in PREFIXES.terms(word)]
                  + [Term("plain", t) for t in PLAIN.terms(word)])


def _word(word: str, analyzer: FrenchAnalyzer) -> Clause | None:
    query = _word_query(word, analyzer)
    return Clause(query, False, [fold(word)], single=True) if query else None


def _phrase_query(text: str, analyzer: FrenchAnalyzer) -> Query | None:
    """The words of `text` next to each other (stop words apart), in the page's text (which
    starts with its title); searching.py finds it by its pairs of neighbouring terms."""
    terms = analyzer.terms(text)
    if len(terms) <= 1:
        return _word_query(text, analyzer) if terms else None
    return LazyOr([Phrase("text", terms), Phrase("plain", PLAIN.terms(text))])


def _phrase(text: str, analyzer: FrenchAnalyzer, required: bool) -> Clause | None:
    query = _phrase_query(text, analyzer)
    return Clause(query, required, [fold(w) for w in re.findall(r"\w+", text)]) if query else None


def _synonym(words, at: int, analyzer: FrenchAnalyzer, synonyms) -> tuple[Clause | None, int]:
    """The synonym group of the longest term starting at word `at`, as one clause."""
    for group in synonyms:
        for term in group:  # longest first
            parts = term.split()
            run = words[at:at + len(parts)]
            if len(run) == len(parts) and all(p is None and fold(w) == part for (w, _, p), part in zip(run, parts)):
                alternatives = [q for q in (_phrase_query(a, analyzer) for a in group) if q]
                if not alternatives:
                    return None, len(parts)
                query = alternatives[0] if len(alternatives) == 1 else LazyOr(alternatives)
                return Clause(query, False, parts), len(parts)
    return None, 0
