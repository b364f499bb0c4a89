"""A search through Whoosh's public API: the parsed query run with Searcher.search() inside the
reader's allowed documents (so totals, facets, snippets and suggestions only show what the
reader may read), spelling corrections, snippets."""
from __future__ import annotations

import heapq
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from math import log

from markupsafe import Markup, escape
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query import And, AndMaybe, Every, Or, Phrase, Query, Term

from .generations import FACET_FIELDS, IndexFiles, pairs
from .postings import term_docs
from .querying import PLAIN, clean, parse
from .snippets import candidate_words, highlight
from .spelling import corrections
from .text import fold

KEPT_DOCUMENTS = 3_000_000  # document numbers a generation keeps for terms
READERS_KEPT = 32  # readers' filters whose documents a generation keeps
SHORTLIST = 200  # documents that Whoosh scores (see Generation.shortlist)
COORDINATION = 0.3  # a document's score × (share of the query's clauses it matches) ** this
TIES_MEASURED = 2000  # documents tied at the cut of the short list whose length is read
FEW = 5  # when the typed words find fewer results than this, their correction is searched


@dataclass
class QueryOutcome:
    total: int
    hits: list = field(default_factory=list)  # (page_id, snippet, score)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None  # « Vouliez-vous dire … » (known to have readable results)
    corrected_from: str | None = None  # the typed query, when results are for its correction


class Generation:
    """What one searcher (one commit of the index) answers again and again: each reader's
    allowed documents, the documents of each word and of each facet value, the order by date."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._readable: dict[Query, set[int]] = {}
        self._kept: OrderedDict[Query, set[int]] = OrderedDict()  # documents of terms, oldest first
        self._kept_size = 0
        self._facets: dict[str, dict[str, set[int]]] | None = None
        self._updated: list | None = None
        self._live_docs: set[int] | None = None

    def _live(self) -> set[int]:
        """Every document of this commit that is not deleted."""
        if self._live_docs is None:
            self._live_docs = set(self.searcher.reader().all_doc_ids())
        return self._live_docs

    def docs(self, query: Query) -> set[int]:
        return set(self.searcher.docs_for_query(query))

    def allowed(self, readable: Query, filters: dict) -> set[int]:
        """Documents of `readable` (the reader's filter, wiki/policy.py) narrowed by the chosen
        facets. Shared between searches: never modified."""
        found = self._readable.get(readable)
        if found is None:
            if len(self._readable) >= READERS_KEPT:
                self._readable.clear()
            found = self._readable[readable] = self.matching(readable, self._live())
        for name, value in sorted(filters.items()):
            if value and name in FACET_FIELDS:
                found = found.intersection(self._facet_docs().get(name, {}).get(str(value), ()))
        return found

    def matching(self, query: Query, within: set[int]) -> set[int]:
        """The documents of `within` that match `query`, unscored: set operations on the
        documents of each term (kept), Whoosh's own matching for other kinds."""
        if isinstance(query, Term):
            return within.intersection(self._kept_docs(query))
        if isinstance(query, Phrase):  # every pair of neighbours (each pair, for a longer phrase)
            return self.matching(And([Term("pairs", pair) for pair in pairs(query.words)]), within)
        if isinstance(query, Or):
            return set().union(*(self.matching(child, within) for child in query.children()))
        if isinstance(query, And):
            for child in query.children():
                within = self.matching(child, within)
            return within
        if isinstance(query, AndMaybe):
            return self.matching(query.a, within)
        if isinstance(query, Every):
            return set(within)
        return within.intersection(self.docs(query))

    def shortlist(self, parsed, matched: set[int], size: int) -> dict[int, int]:
        """Document → how many of the query's clauses it matches, for the `size` documents of
        `matched` with the rarest words (the sum of the idf of their clauses), so that Whoosh
        scores these only rather than every document with a common word. Among documents
        that tie at the cut, the shorter ones (BM25 ranks them higher for the same words)."""
        total = self.searcher.doc_count_all()
        weight: dict[int, float] = dict.fromkeys(matched, 0.0)
        count: dict[int, int] = dict.fromkeys(matched, 0)
        for clause in parsed.clauses:
            docs = self.matching(clause.query, matched)
            idf = log(1 + (total - len(docs) + 0.5) / (len(docs) + 0.5))
            for docnum in docs:
                weight[docnum] += idf
                count[docnum] += 1
        if len(matched) > size:
            best = heapq.nlargest(size, weight, key=weight.__getitem__)
            cut = weight[best[-1]]
            chosen = [d for d in best if weight[d] > cut]
            tied = sorted(d for d, w in weight.items() if w == cut)[-TIES_MEASURED:]
            length = self.searcher.reader().doc_field_length
            # A page has its words in `text` (French) or in `plain` (other languages).
            chosen += sorted(tied, key=lambda d: length(d, "text") + length(d, "plain"))[:size - len(chosen)]
            count = {d: count[d] for d in chosen}
        return count

    def _kept_docs(self, query: Term) -> set[int]:
        """The documents of a term, the least recently used dropped beyond KEPT_DOCUMENTS."""
        docs = self._kept.get(query)
        if docs is not None:
            self._kept.move_to_end(query)
            return docs
        docs = term_docs(self.searcher, query.fieldname, query.text)
        self._kept[query] = docs
        self._kept_size += len(docs)
        while self._kept_size > KEPT_DOCUMENTS and len(self._kept) > 1:
            self._kept_size -= len(self._kept.pop(next(iter(self._kept))))
        return docs

    def newest(self, docs: set[int], start: int, count: int) -> list[int]:
        if self._updated is None:
            self._updated = list(self.searcher.reader().column_reader("updated"))
        updated = self._updated
        return sorted(docs, key=lambda d: (updated[d], d), reverse=True)[start:start + count]

    def _facet_docs(self) -> dict[str, dict[str, set[int]]]:
        if self._facets is None:
            reader = self.searcher.reader()
            self._facets = {name: {value: term_docs(self.searcher, name, value)
                                   for value in (term.decode("utf-8") for term in reader.lexicon(name))}
                            for name in FACET_FIELDS}
        return self._facets

    def facet_counts(self, matched: set[int]) -> dict[str, dict[str, int]]:
        """Facet field → {value: matched documents with it}, largest first."""
        counts = {}
        for name, values in self._facet_docs().items():
            found = ((value, len(docs.intersection(matched))) for value, docs in values.items())
            counts[name] = dict(sorted(((v, n) for v, n in found if n), key=lambda vn: (-vn[1], vn[0])))
        return counts


class SearchIndex(IndexFiles):
    def __init__(self, root: str, stemmer: str = "light"):
        super().__init__(root, stemmer)
        self._generation: Generation | None = None
        # Word as written → its index term (None for stop words), for snippets: French, and
        # as written for pages in other languages.
        self._index_terms = {
            analysis: lru_cache(maxsize=100_000)(lambda word, a=analyzer: next(iter(a.terms(word)), None))
            for analysis, analyzer in (("french", self.analyzer), ("plain", PLAIN))}

    def query(self, text: str, *, readable: Query, filters: dict, page: int, per_page: int, sort: str = "relevance",
              synonyms: list[list[str]] = (), correct: bool = True) -> QueryOutcome | None:
        """None when there is no index yet (being built)."""
        with self.searcher() as searcher:
            if searcher is None:
                return None
            if self._generation is None or self._generation.searcher is not searcher:
                self._generation = Generation(searcher)
            return self._search(self._generation, clean(text), readable, filters, page, per_page, sort, synonyms,
                                correct)

    def _search(self, generation: Generation, text: str, readable, filters, page, per_page, sort, synonyms, correct):
        allowed = generation.allowed(readable, filters)
        outcome = QueryOutcome(total=0)
        if not allowed:
            return outcome
        parsed = parse(text, self.analyzer, synonyms)
        query = parsed.query()
        matched = generation.matching(query, allowed)
        fixes = corrections(generation.searcher, parsed, allowed) if parsed.clauses else {}
        if fixes:
            outcome.suggestion = " ".join(fixes.get(w, w) for w in re.findall(r"\w+", fold(text)))
            if correct and len(matched) < FEW:
                corrected = parse(outcome.suggestion, self.analyzer, synonyms)
                better = generation.matching(corrected.query(), allowed)
                if len(better) > len(matched):
                    parsed, query, matched, outcome.corrected_from = corrected, corrected.query(), better, text
        outcome.total = len(matched)
        if not matched:
            return outcome
        start = (max(page, 1) - 1) * per_page
        if sort == "date" or not parsed.clauses:
            ranked = [(docnum, 0.0) for docnum in generation.newest(matched, start, per_page)]
        else:
            shortlist = generation.shortlist(parsed, matched, max(SHORTLIST, 2 * (start + per_page)))
            # limit=None: with a limit, whoosh-reloaded 2.7.5 reads the matches of this query
            # with all_ids() and then asks the matcher (left elsewhere) for their scores.
            results = generation.searcher.search(And([_scoring(query), Only(shortlist)]), limit=None)
            clauses = len(parsed.clauses)
            # The coordination factor: a document that matches more of the words comes first.
            scored = [(hit.docnum, hit.score * (shortlist[hit.docnum] / clauses) ** COORDINATION) for hit in results]
            ranked = sorted(scored, key=lambda ds: (-ds[1], ds[0]))[start:start + per_page]
        marks = {}  # analysis → (the query's terms, the words that may be them)
        for analysis, fields in (("french", ("text", "title")), ("plain", ("plain",))):
            terms = {t for name, t in query.iter_all_terms() if name in fields}
            marks[analysis] = terms, self._index_terms[analysis], candidate_words(terms)
        for docnum, score in ranked:
            stored = generation.searcher.stored_fields(docnum)
            in_body = marks["french" if stored.get("language", "fr") == "fr" else "plain"]
            snippet = (highlight(stored.get("body") or "", *in_body)
                       or highlight(stored.get("title") or "", *marks["french"])
                       or escape((stored.get("body") or "")[:200]))
            outcome.hits.append((int(stored["page_id"]), Markup(snippet), round(score or 0, 3)))
        outcome.facets = generation.facet_counts(matched)
        return outcome


def _scoring(query: Query) -> Query:
    """The query that ranks documents already matched: a phrase scores as its words (Whoosh
    sums its words' scores too) without reading their positions again."""
    if isinstance(query, Phrase):
        return And([Term(query.fieldname, word, boost=query.boost) for word in query.words])
    return query.apply(_scoring)


class Only(Query):
    """Exactly the documents of a set, adding nothing to scores. ANDed with a query, it makes
    Whoosh skip to these documents instead of visiting every document the query matches."""

    def __init__(self, docs: set[int]):
        self.docs_set = frozenset(docs)

    def __eq__(self, other):
        return type(other) is type(self) and other.docs_set == self.docs_set

    def __hash__(self):
        return hash(self.docs_set)

    def estimate_size(self, ixreader):
        return len(self.docs_set)

    estimate_min_size = estimate_size

    def matcher(self, searcher, context=None):
        offset = next(offset for leaf, offset in searcher.get_parent().leaf_searchers() if leaf is searcher)
        ids = sorted(d - offset for d in self.docs_set if offset <= d < offset + searcher.doc_count_all())
        return ListMatcher(ids, weights=[0.0] * len(ids)) if ids else NullMatcher()
