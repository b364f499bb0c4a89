"""The Whoosh index: French analysis, the permission filter inside the query, one writer at
a time (never blocking a request for long), generations swapped atomically on rebuild.

Only this module and whoosh_ranking.py (scores, phrase positions) import whoosh."""
from __future__ import annotations

import fcntl
import heapq
import itertools
import os
import re
import shutil
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache, reduce
from pathlib import Path

from markupsafe import Markup, escape
from whoosh import index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.idsets import DocIdSet
from whoosh.index import LockError
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.qparser import (AndGroup, BoostPlugin, FieldsPlugin, MultifieldParser, OrGroup, PlusMinusPlugin,
                            RangePlugin, SingleQuotePlugin, WildcardPlugin)
from whoosh.query import (And, AndMaybe, AndNot, DisjunctionMax, Every, Not, NullQuery, Or, Phrase, Query, Require,
                          Term)
from whoosh.support.charset import accent_map

from .text import fold, light_stem
from .thesaurus import expand
from .whoosh_ranking import Ranker, SegmentPostings, Unsupported, bitmap, phrase_docs, read_postings

MAX_QUERY_LENGTH = 500
FACET_FIELDS = ("kind", "themes", "region", "group", "sides", "years")
TEXT_FIELDS = ("title", "identity", "body", "people")
# Bump when the schema or analysis changes: the index is then rebuilt by itself.
SCHEMA_VERSION = "6"
# A rebuild indexes the spelling vocabulary of every VOCABULARY_BATCH pages in one extra
# document (page_id VOCABULARY_ID, never a result) rather than in each page's document.
VOCABULARY_ID, VOCABULARY_BATCH = "vocabulary", 2000
OUTCOMES_KEPT = 256  # answers kept per commit of the index
TERM_CACHE_SIZE = 4096  # document sets of recently used terms, each at most (documents / 8) bytes


def _fold_all(words) -> frozenset[str]:
    return frozenset(w.translate(accent_map) for w in words)


# Elided articles and pronouns (l', d', qu'…) split off by the tokenizer and dropped.
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "lorsqu", "puisqu", "jusqu", "quoiqu"}
# Snowball's French list misses a few very common words.
STOP_WORDS = _fold_all(stopwords_for_language("fr")) | ELISIONS | {"les", "ils", "elles", "leurs", "cet", "cette"}
_WORD, _WHOLE = re.compile(r"\w+"), re.compile(r".*", re.DOTALL)


@lru_cache(maxsize=None)
def _stemmer(name: str):
    """Word → stem, memoised (a wiki's vocabulary is a few tens of thousands of words)."""
    return lru_cache(maxsize=200_000)(stemmer_for_language("fr") if name == "snowball" else light_stem)


class FrenchAnalyzer(Tokenizer):
    """Same analysis at index and query time: words (\\w+), lower case, accents folded (so
    « maternité » and « maternite » meet), stop words and elisions dropped, then stemmed with
    `stemmer` ("snowball", or "light": plurals only). One pass: the equivalent chain of Whoosh
    filters cost a generator step per word and per filter, most of the indexing time.
    Positions count the words kept, as StopFilter numbers them."""

    is_morph = True

    def __init__(self, stemmer: str):
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


def spelling_words(analyzer: FrenchAnalyzer, doc) -> set[str]:
    """The words of a document's title, identity and body as the analyzer reads them before
    stemming: what spelling suggestions are made of."""
    return {token.text for token in analyzer(f"{doc.title}\n{doc.identity}\n{doc.body}", no_morph=True)}


def make_schema(stemmer: str) -> Schema:
    french = FrenchAnalyzer(stemmer)
    return Schema(
        page_id=ID(stored=True, unique=True),
        slug=STORED,
        title=TEXT(analyzer=french, stored=True, field_boost=3.0),
        identity=TEXT(analyzer=french, field_boost=2.0),  # summary, place, partners, themes
        body=TEXT(analyzer=french, stored=True),
        people=TEXT(analyzer=french),  # authors' names: findable, not shown in snippets
        # Spelling vocabulary (see spelling_words and VOCABULARY_ID). Scorable only so that it has
        # a lengths column: Whoosh looks for that file at every posting otherwise.
        words=KEYWORD(scorable=True),
        kind=ID(stored=True),
        visibility=ID,
        group=ID(stored=True),
        themes=KEYWORD(commas=True, stored=True),
        region=ID(stored=True),
        sides=KEYWORD(commas=True, stored=True),
        years=KEYWORD(commas=True, stored=True),
        status=ID,
        authors=KEYWORD(commas=True),  # user ids, for drafts
        updated=NUMERIC(stored=True, sortable=True),
    )


@dataclass
class QueryOutcome:
    total: int
    hits: list  # (page_id, snippet, score)
    facets: dict
    used_or: bool = False
    suggestion: str | None = None  # « Vouliez-vous dire … » (known to have readable results)
    corrected_from: str | None = None  # the typed query, when results are for its correction


class WhooshIndex:
    def __init__(self, root: str, stemmer: str = "snowball"):
        self.root = Path(root)
        self.schema = make_schema(stemmer)
        self.version = f"{SCHEMA_VERSION}-{stemmer}"
        self._lock = threading.Lock()  # one searcher per process, shared by its threads
        self._opened: tuple[Path, object] | None = None
        self._searcher = None
        self._views: _Views | None = None  # what is derived from the current searcher
        self._segment_docs = _SegmentDocs()  # shared by successive searchers
        self._postings = SegmentPostings()  # idem, for ranking
        self.analyzer = analyzer = self.schema["body"].analyzer
        # Word as written → its index term (None for stop words), for snippets.
        self._index_term = lru_cache(maxsize=100_000)(lambda word: next((t.text for t in analyzer(word)), None))

    # Generations: root/CURRENT names the live folder; a rebuild writes a new one beside it.
    def _live_dir(self) -> Path | None:
        try:
            live = self.root / (self.root / "CURRENT").read_text().strip()
        except OSError:
            return None
        return live if live.is_dir() and (live / "SCHEMA").exists() and \
            (live / "SCHEMA").read_text() == self.version else None

    def _open(self):
        live = self._live_dir()
        if live is None:
            return None
        if self._opened and self._opened[0] == live:
            return self._opened[1]
        try:
            ix = index.open_dir(str(live))
        except Exception:  # half-written or corrupt: treated as missing and rebuilt from the database
            return None
        self._close_searcher()
        self._opened = (live, ix)
        return ix

    def _fresh_searcher(self, ix):
        """The cached searcher while it shows the newest commit; else a searcher on a new reader,
        the superseded one being closed.

        Never Searcher.refresh(): in whoosh-reloaded 2.7.5 it hands the old reader to
        FileIndex._reader(reuse=…), which (1) appends the old reader's segments that the new
        commit no longer has (merged away: their documents, copied into the merged segment, are
        then counted twice) and (2) reuses the old reader of every segment still there, with
        that reader's deletion set (a document deleted or replaced since stays live). Segments
        were never released either: file handles and maps grew with every save.

        Closing at once is safe: this process uses its searcher only under self._lock (query()
        runs the whole search inside it and returns plain values), so no request still reads it."""
        if self._searcher is not None:
            try:
                if self._searcher.up_to_date():
                    return self._searcher
            except Exception:  # e.g. the index folder replaced or unreadable: reopen below
                pass
        searcher = ix.searcher()
        self._close_searcher()
        return searcher

    def _close_searcher(self) -> None:
        searcher, self._searcher, self._views = self._searcher, None, None
        if searcher is not None:
            try:
                searcher.close()
            except Exception:  # already closed (ReaderClosed) or its files gone: nothing left to free
                pass

    @staticmethod
    def _state(live: Path) -> int:
        try:
            return int((live / "LAST_CHANGE").read_text())
        except (OSError, ValueError):
            return -1

    @staticmethod
    def _write_file(folder: Path, name: str, text: str) -> None:
        tmp = folder / f"{name}.{uuid.uuid4().hex}"
        tmp.write_text(text)
        os.replace(tmp, folder / name)

    def needs_rebuild(self) -> bool:
        with self._lock:
            return self._open() is None or self._state(self._opened[0]) < 0

    def catch_up(self, *, latest_change_id: int, changes_since, docs_for, all_docs, wait: float = 0) -> bool:
        """Replay the change feed into the index. False when another process holds the writer
        (it will catch up itself) and we could not wait for it."""
        with self._lock:
            ix = self._open()
            if ix is None or self._state(self._opened[0]) < 0:
                return self.rebuild(all_docs, latest_change_id) >= 0
            live = self._opened[0]
            last = self._state(live)
            if last >= latest_change_id:
                return True
            try:
                writer = ix.writer(timeout=wait)
            except LockError:
                return False
            try:
                while True:
                    page_ids, newest = changes_since(last)
                    if not page_ids:
                        break
                    for page_id, doc in docs_for(page_ids).items():
                        if doc is None:
                            writer.delete_by_term("page_id", str(page_id))
                        else:
                            writer.update_document(**_fields(doc, spelling_words(self.analyzer, doc)))
                    last = newest
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            # After the commit: a crash before this line only makes the next run replay.
            self._write_file(live, "LAST_CHANGE", str(last))
            return True

    def rebuild(self, docs, change_id: int, wait: bool = False) -> int:
        """Build a new generation and make it live in one rename; readers never see half.
        Returns -1 when another rebuild is running and `wait` is False."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "rebuild.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return -1
            return self._build_generation(docs(), change_id)

    def _build_generation(self, docs, change_id: int) -> int:
        name = f"gen-{uuid.uuid4().hex[:12]}"
        folder = self.root / name
        folder.mkdir()
        ix = index.create_in(str(folder), self.schema)
        # A big rebuild (the CLI, a restore, the bench) uses two processes, each writing its own
        # segment. Forking is only safe in a process that runs no other thread: a web worker
        # (with its follower thread) builds alone.
        procs = min(2, os.cpu_count() or 1) if threading.active_count() == 1 else 1
        writer = ix.writer(limitmb=128, procs=procs, multisegment=procs > 1)
        count, vocabulary = 0, set()
        for doc in docs:
            writer.add_document(**_fields(doc))
            vocabulary |= spelling_words(self.analyzer, doc)
            count += 1
            if count % VOCABULARY_BATCH == 0:
                writer.add_document(page_id=VOCABULARY_ID, words=" ".join(vocabulary))
                vocabulary = set()
        if vocabulary:
            writer.add_document(page_id=VOCABULARY_ID, words=" ".join(vocabulary))
        writer.commit()
        self._write_file(folder, "LAST_CHANGE", str(change_id))
        self._write_file(folder, "SCHEMA", self.version)
        previous = self._live_dir()
        self._write_file(self.root, "CURRENT", name)
        # Keep the previous generation (a reader in another process may still be on it).
        for old in self.root.glob("gen-*"):
            if old not in (folder, previous):
                shutil.rmtree(old, ignore_errors=True)
        return count

    # Querying ---------------------------------------------------------------------

    def query(self, text: str, *, readable: Query, filters: dict, page: int, per_page: int, sort: str = "relevance",
              synonyms: list[list[str]] = ()) -> QueryOutcome | None:
        """None when there is no index yet (being built)."""
        with self._lock:
            ix = self._open()
            if ix is None:
                return None
            self._searcher = self._fresh_searcher(ix)
            if self._views is None or self._views.searcher is not self._searcher:
                self._views = _Views(self._searcher, self._segment_docs, self._postings)
            allowed = self._views.allowed(readable, filters)
            # Same commit, same readable documents, same question: same answer (popular searches
            # come back); kept until the next commit replaces the searcher and its views.
            key = (allowed, text, page, per_page, sort, tuple(map(tuple, synonyms)))
            outcome = self._views.outcomes.get(key)
            if outcome is None:
                outcome = _Search(self._views, ix.schema, allowed, sort, synonyms, self._index_term).run(
                    text, page, per_page)
                if len(self._views.outcomes) >= OUTCOMES_KEPT:
                    self._views.outcomes.pop(next(iter(self._views.outcomes)))
                self._views.outcomes[key] = outcome
            return outcome


class _SegmentDocs:
    """Documents of a term in a segment, as a bitmap: a Python int whose bit n is
    document n, so intersections, unions and counts run in C. Least recently used ones are
    dropped.

    Keyed by segment id alone, on purpose: a segment's postings never change once written;
    only its deletion set does (a save deletes the page's old document wherever it is, keeping
    the segment and its id). So these bitmaps hold deleted documents too, and outlive
    searchers; deletions are applied per searcher, from its own (fresh) reader, through
    _Views.live, which every result set is intersected with. Nothing that depends on the
    deletions may be cached here: it would be stale after the next save."""

    def __init__(self, size: int = TERM_CACHE_SIZE):
        self.size, self._cache = size, OrderedDict()

    def peek(self, segment, key) -> int | None:
        return self._cache.get((segment.segment_id(), key))

    def get(self, segment, key, compute) -> int:
        key = (segment.segment_id(), key)
        bits = self._cache.get(key)
        if bits is None:
            bits = self._cache[key] = compute()
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return bits


class _Views:
    """What one searcher (one commit of the index) answers again and again: the live documents,
    each reader's allowed documents, facet values, the order by date, all as bitmaps."""

    def __init__(self, searcher, segment_docs: _SegmentDocs, postings: SegmentPostings):
        self.searcher, self._segment_docs, self.postings = searcher, segment_docs, postings
        # Segment readers (an index without documents has none: its empty reader has no segment).
        self.leaves = [(leaf, offset) for leaf, offset in searcher.reader().leaf_readers()
                       if leaf.segment() is not None]
        # Documents not deleted in this commit (`present`); `live`: those that can be results.
        self.present = 0
        for leaf, offset in self.leaves:
            bits = (1 << leaf.doc_count_all()) - 1
            if leaf.has_deletions():
                bits &= ~bitmap(leaf.deleted_docs_set)
            self.present |= bits << offset
        self.has_deletions = any(leaf.has_deletions() for leaf, _ in self.leaves)
        self.live = self.present & ~self.term("page_id", VOCABULARY_ID)  # never a result
        self._allowed: dict[tuple, int] = {}
        self.outcomes: dict[tuple, QueryOutcome] = {}  # oldest first (see WhooshIndex.query)
        self._facets: dict[str, dict[str, int]] | None = None
        self._by_date: list[int] | None = None
        self._updated: list[int] = []

    def term(self, fieldname: str, text: str) -> int:
        bits = 0
        for leaf, offset in self.leaves:
            bits |= self._segment_term(leaf, fieldname, text) << offset
        return bits

    def _segment_term(self, leaf, fieldname: str, text: str) -> int:
        """The term's documents in one segment, deleted ones included (see live). Words are
        read once for matching and ranking: their postings stay in the ranking's cache."""
        def read() -> int:
            if fieldname in TEXT_FIELDS:
                return bitmap(self.postings.postings(leaf, fieldname, text)[0])
            return bitmap(read_postings(leaf, fieldname, text, weights=False)[0])

        return self._segment_docs.get(leaf.segment(), (fieldname, text), read)

    def phrase(self, query: Phrase, within: int) -> int:
        """Documents of `within` with the phrase. Word positions are read only for documents that
        have all its words; per segment, for all of them at once (and kept, as for terms) when
        `within` holds most of them: thesaurus phrases come back in query after query."""
        if not query.words:
            return 0
        if len(query.words) == 1:
            return self.term(query.fieldname, query.words[0]) & within
        key = ("phrase", query.fieldname, tuple(query.words), query.slop)
        found = 0
        for searcher, offset in self.searcher.leaf_searchers():
            segment = searcher.reader().segment()
            if segment is None:
                continue
            size = searcher.doc_count_all()
            local = (within >> offset) & ((1 << size) - 1)
            if not local:
                continue
            cached = self._segment_docs.peek(segment, key)
            if cached is None:
                words = [self._segment_term(searcher.reader(), query.fieldname, word) for word in query.words]
                candidates = reduce(int.__and__, words)
                if (candidates & local).bit_count() * 4 < candidates.bit_count():
                    found |= _positions_checked(query, searcher, offset, candidates & local) << offset
                    continue
                cached = self._segment_docs.get(segment, key,
                                                lambda: _positions_checked(query, searcher, offset, candidates))
            found |= (cached & local) << offset
        return found

    def docs(self, query, within: int = -1) -> int:
        """The documents of `within` (a bitmap; -1: all) matching `query`, unscored. Deleted
        documents are not removed: callers intersect with `live` or an allowed set."""
        kind = type(query)
        if kind is Term:
            return self.term(query.fieldname, query.text) & within
        if kind is Phrase:
            return self.phrase(query, within)
        if (kind is And or kind is Require) and query.children():
            for child in sorted(query.children(), key=_costly):  # phrases last, on fewer documents
                within = self.docs(child, within)
                if not within:
                    break
            return within
        if (kind is Or and not query.minmatch) or kind is DisjunctionMax:
            found = 0
            for child in sorted(query.children(), key=_costly):  # phrases only where still needed
                found |= self.docs(child, within & ~found)
            return found
        if kind is AndMaybe:
            return self.docs(query.a, within)
        if kind is AndNot:
            found = self.docs(query.a, within)
            return found & ~self.docs(query.b, found)
        if kind is Not:
            within &= self.live
            return within & ~self.docs(query.query, within)
        if kind is Every and not query.fieldname:
            return self.live & within
        if query is NullQuery:
            return 0
        return bitmap(self.searcher.docs_for_query(query)) & within  # other kinds, if the parser makes them

    def allowed(self, readable: Query, filters: dict) -> int:
        """Documents of `readable` (the reader's filter, wiki/policy.py), narrowed by the chosen
        facets. Never a stale or deleted document: `live` is part of it."""
        narrowed = tuple(sorted((k, str(v)) for k, v in filters.items() if v and k in FACET_FIELDS))
        key = (readable, narrowed)
        bits = self._allowed.get(key)
        if bits is None:
            if len(self._allowed) > 256:
                self._allowed.clear()
            bits = self.live & self.docs(readable)
            for name, value in narrowed:
                bits &= self.term(name, value)
            self._allowed[key] = bits
        return bits

    def facet_counts(self, matched: int) -> dict[str, dict[str, int]]:
        """Facet field → {value: matched documents with it}, largest first."""
        if self._facets is None:
            reader = self.searcher.reader()
            self._facets = {name: {term.decode("utf-8"): self.term(name, term.decode("utf-8"))
                                   for term in reader.lexicon(name)} for name in FACET_FIELDS}
        counts = {}
        for name, values in self._facets.items():
            found = ((value, (bits & matched).bit_count()) for value, bits in values.items())
            counts[name] = dict(sorted(((v, n) for v, n in found if n), key=lambda vn: (-vn[1], vn[0])))
        return counts

    def newest(self, matched: int, start: int, count: int) -> list[int]:
        """Documents of `matched`, newest first, from rank `start`."""
        if self._by_date is None:
            self._updated = list(self.searcher.reader().column_reader("updated"))
            # Newest first; at equal times the later written (higher number) first.
            self._by_date = [d for _, d in sorted(zip(self._updated, itertools.count()), reverse=True)]
        members = _Members(matched)
        if len(members) * 50 < len(self._by_date):  # few: sorting them beats walking every document
            updated = self._updated
            return sorted(members, key=lambda d: (updated[d], d), reverse=True)[start:start + count]
        return list(itertools.islice((d for d in self._by_date if d in members), start, start + count))


class _Members(DocIdSet):
    """A bitmap seen as a set of document numbers (for Whoosh's filters): lookups in a byte string."""

    def __init__(self, bits: int):
        self._bytes = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        self._count = bits.bit_count()

    def __contains__(self, docnum) -> bool:
        at = docnum >> 3
        return 0 <= at < len(self._bytes) and bool(self._bytes[at] >> (docnum & 7) & 1)

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        for at, byte in enumerate(self._bytes):
            if byte:
                yield from (at * 8 + bit for bit in range(8) if byte >> bit & 1)


def _positions_checked(query: Phrase, searcher, offset: int, candidates: int) -> int:
    """The documents of `candidates` (segment numbering; all have the phrase's words) where the
    words follow each other, in the segment of `searcher` (at `offset` in its parent)."""
    if not candidates:
        return 0
    if query.slop == 1:
        found = phrase_docs(searcher.reader(), query.fieldname, query.words, candidates)
        if found is not None:
            return found
    return bitmap(And([query, _Only(candidates << offset)]).docs(searcher))


class _Search:
    def __init__(self, views: _Views, schema, allowed: int, sort, synonyms, index_term):
        self.views, self.searcher, self.schema, self.synonyms = views, views.searcher, schema, synonyms
        self.allowed = allowed  # document bitmap: the permission filter applies to every count and hit
        self.sort = sort
        self.index_term = index_term

    def run(self, text: str, page: int, per_page: int) -> QueryOutcome:
        text = _clean(text)
        query = self._parse(text, AndGroup)
        matched = self.views.docs(query, self.allowed)
        outcome = QueryOutcome(total=0, hits=[], facets={})
        if not matched and text:
            suggestion = self._suggest(text)
            if suggestion:  # a typo: show what the corrected words find
                query = self._parse(suggestion, AndGroup)
                outcome.corrected_from = text
                matched = self.views.docs(query, self.allowed)
            elif len(text.split()) > 1:
                query = self._parse(text, OrGroup)
                matched = self.views.docs(query, self.allowed)
                outcome.used_or = bool(matched)
        elif text:
            outcome.suggestion = self._suggest(text, only_unknown=True)
        outcome.total = matched.bit_count()
        if not matched:
            return outcome
        start = (max(page, 1) - 1) * per_page
        if self.sort == "date" or not text:
            ranked = [(docnum, None) for docnum in self.views.newest(matched, start, per_page)]
        else:
            ranked = self._rank(query, matched, start + per_page)[start:]
        words = {t for field, t in query.iter_all_terms() if field in ("title", "body")}
        candidates = _candidate_words(words)
        for docnum, score in ranked:
            stored = self.searcher.stored_fields(docnum)
            snippet = (_highlight(stored.get("body") or "", words, self.index_term, candidates)
                       or _highlight(stored.get("title") or "", words, self.index_term, candidates)
                       or escape((stored.get("body") or "")[:200]))
            outcome.hits.append((int(stored["page_id"]), Markup(snippet), round(score or 0, 3)))
        # All matches (not only this page), limited to what the reader may see.
        outcome.facets = self.views.facet_counts(matched)
        return outcome

    def _rank(self, query, matched: int, count: int) -> list[tuple[int, float]]:
        """The `count` best (document, score) of `matched`, by Whoosh's BM25F scores."""
        scoring = _for_ranking(query)
        try:
            return Ranker(self.views).top(scoring, matched, count)
        except Unsupported:  # a query kind the parser does not make today: Whoosh scores it
            # limit=None: Whoosh 2.7.5's top-N collector can miss documents of later segments.
            results = self.searcher.search(scoring, filter=set(_Members(matched)), limit=None)
            return [(hit.docnum, hit.score) for hit in results][:count]

    def _parse(self, text: str, group):
        if not text:
            return Every()
        parser = MultifieldParser(list(TEXT_FIELDS), schema=self.schema, group=group)
        for plugin in (FieldsPlugin, WildcardPlugin, BoostPlugin, RangePlugin, SingleQuotePlugin, PlusMinusPlugin):
            parser.remove_plugin_class(plugin)  # words, phrases, parentheses and OR only: no syntax traps
        expanded = _expand(text, self.synonyms)
        try:
            query = parser.parse(expanded)
        except Exception:  # any string is a query: fall back to its plain words
            query = parser.parse(" ".join(re.findall(r"\w+", expanded)))
        return query

    def _count(self, text: str) -> int:
        return self.views.docs(self._parse(text, AndGroup), self.allowed).bit_count()

    def _known(self, reader, word: str) -> bool:
        """A spelling word of a document still in the index: the word lists keep the words of
        deleted documents until their segment is merged away."""
        if ("words", word) not in reader:
            return False
        return not self.views.has_deletions or bool(self.views.term("words", word) & self.views.present)

    def _suggest(self, text: str, only_unknown: bool = False) -> str | None:
        """Replace unknown words by close words of the index, if the result has readable hits.

        Candidates come from the whole vocabulary, so each is checked inside the reader's
        scope: a word found only on a page they cannot read is never suggested."""
        reader = self.searcher.reader()
        words = re.findall(r"\w+", fold(text))
        corrected, changed = [], False
        for word in words:
            if len(word) < 4 or word in STOP_WORDS or word.isdigit() or self._known(reader, word):
                corrected.append(word)
                continue
            # Segment by segment (their word lists are walked with an automaton, a multi-segment
            # reader compares every word); typos rarely touch the first letter: keeping it is cheaper.
            candidates = {c for leaf, _ in reader.leaf_readers()
                          for c in leaf.corrector("words").suggest(word, limit=5, maxdist=2, prefix=1)}
            replacement = next((c for c in sorted(candidates, key=lambda c: (_distance(word, c), c))
                                if self._count(c)), None)
            corrected.append(replacement or word)
            changed = changed or replacement is not None
        if not changed:
            return None
        suggestion = " ".join(corrected)
        return suggestion if self._count(suggestion) else None


def _for_ranking(query):
    """The query that scores the documents already found. Phrases become their words: Whoosh
    scores a phrase match as the sum of its words' scores, and checking word positions again
    for every candidate was most of the time of queries with a thesaurus phrase."""
    if isinstance(query, Phrase):
        return And([Term(query.fieldname, word, boost=query.boost) for word in query.words]).normalize()
    return query.apply(_for_ranking)


def _costly(query) -> bool:
    return any(isinstance(q, Phrase) for q in query.leaves()) if not query.is_leaf() else isinstance(query, Phrase)


class _Only(Query):
    """Exactly the documents of a bitmap, adding nothing to scores. ANDed with a query, it makes
    Whoosh visit (and score) only these documents instead of every document the query matches."""

    def __init__(self, bits: int):
        self.bits = bits

    def __eq__(self, other):
        return type(other) is type(self) and other.bits == self.bits

    def __hash__(self):
        return hash(self.bits)

    def estimate_size(self, ixreader):
        return self.bits.bit_count()

    estimate_min_size = estimate_size

    def matcher(self, searcher, context=None):
        offset = next(offset for leaf, offset in searcher.get_parent().leaf_searchers() if leaf is searcher)
        ids = list(_Members((self.bits >> offset) & ((1 << searcher.doc_count_all()) - 1)))
        return ListMatcher(ids, weights=[0.0] * len(ids)) if ids else NullMatcher()


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (words are short)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _clean(text: str) -> str:
    text = (text or "")[:MAX_QUERY_LENGTH]
    # NUL and other control characters, and apostrophes (elisions: « l'école » → « l école »).
    text = re.sub(r"[\x00-\x1f\x7f'’`]", " ", text)
    return " ".join(text.split())


def _expand(text: str, synonyms) -> str:
    return expand(text, synonyms) if synonyms else text


def _fields(doc, words: set[str] = frozenset()) -> dict:
    return dict(page_id=str(doc.page_id), slug=doc.slug, title=doc.title, identity=doc.identity, body=doc.body,
                people=doc.people, words=" ".join(words), kind=doc.kind, visibility=doc.visibility, group=doc.group,
                themes=",".join(doc.themes), region=doc.region, sides=",".join(doc.sides),
                years=",".join(str(y) for y in doc.years), status=doc.status,
                authors=",".join(str(i) for i in doc.author_ids), updated=doc.updated)


def _letter_forms() -> dict[str, str]:
    """Folded letter → a regex class of the letters that fold to it (« e » → [eéèêë…])."""
    forms: dict[str, set[str]] = {}
    for code, folded in accent_map.items():
        if len(folded) == 1:
            forms.setdefault(folded.lower(), {folded.lower()}).add(chr(code).lower())
    return {base: "[" + "".join(sorted(map(re.escape, chars))) + "]" for base, chars in forms.items()}


_LETTER_FORMS = _letter_forms()


def _candidate_words(terms: set[str]) -> re.Pattern:
    """Words of a text that may have one of `terms` (index terms) as their index term: those
    starting like the term (a stem begins like its word), whatever their accents or case. Only
    these go through the analyzer: running it on every word of every shown text was most of the
    time of snippets."""
    prefixes = sorted({"".join(_LETTER_FORMS.get(c, re.escape(c)) for c in term[:3]) for term in terms if term})
    return re.compile(rf"\b(?:{'|'.join(prefixes)})\w*", re.IGNORECASE) if prefixes else re.compile(r"(?!)")


def _highlight(text: str, terms: set[str], index_term, candidates: re.Pattern | None = None, maxchars: int = 200,
               surround: int = 60, top: int = 2) -> str | None:
    """Escaped extracts of `text` around the words that match `terms` (index terms), in
    <mark>; the `top` passages with the most distinct matched words, in text order."""
    candidates = candidates or _candidate_words(terms)
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
