"""The Whoosh index: French analysis, the permission filter inside the query, one writer at
a time (never blocking a request for long), generations swapped atomically on rebuild.

Only this module imports whoosh."""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape
from whoosh import highlight, index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.lang import stopwords_for_language
from whoosh.qparser import (AndGroup, BoostPlugin, FieldsPlugin, MultifieldParser, OrGroup, PlusMinusPlugin,
                            RangePlugin, SingleQuotePlugin, WildcardPlugin)
from whoosh.query import And, Every, Or, Term
from whoosh.support.charset import accent_map

from .text import fold, light_stem

MAX_QUERY_LENGTH = 500
FACET_FIELDS = ("kind", "themes", "region", "group", "sides", "years")
TEXT_FIELDS = ("title", "identity", "body", "people")
SPELLING_FIELDS = ("title", "identity", "body")
# Bump when the schema or analysis changes: the index is then rebuilt by itself.
SCHEMA_VERSION = "4"


def _fold_all(words) -> frozenset[str]:
    return frozenset(w.translate(accent_map) for w in words)


# Elided articles and pronouns (l', d', qu'…) split off by the tokenizer and dropped.
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "lorsqu", "puisqu", "jusqu", "quoiqu"}
# Snowball's French list misses a few very common words.
STOP_WORDS = _fold_all(stopwords_for_language("fr")) | ELISIONS | {"les", "ils", "elles", "leurs", "cet", "cette"}



def french_analyzer(stemmer: str):
    """Same analysis at index and query time; accents folded before stemming so that
    « maternité » and « maternite » meet. `stemmer`: "snowball" or "light" (plurals only)."""
    stem = StemFilter(lang="fr") if stemmer == "snowball" else StemFilter(stemfn=light_stem)
    return (RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(stoplist=STOP_WORDS, minsize=1) | stem)


def make_schema(stemmer: str) -> Schema:
    french = french_analyzer(stemmer)
    return Schema(
        page_id=ID(stored=True, unique=True),
        slug=STORED,
        title=TEXT(analyzer=french, stored=True, field_boost=3.0, spelling=True),
        identity=TEXT(analyzer=french, field_boost=2.0, spelling=True),  # summary, place, partners, themes
        body=TEXT(analyzer=french, stored=True, spelling=True),
        people=TEXT(analyzer=french),  # authors' names: findable, not shown in snippets
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
        self._filter_owner, self._filters = None, {}  # allowed documents per scope, per searcher

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
        """The cached searcher, moved to the newest commit (reopened if that fails)."""
        if self._searcher is not None:
            try:
                return self._searcher.refresh()
            except Exception:  # e.g. segments merged away by another process's writer
                self._close_searcher()
        return ix.searcher()

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

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
                            writer.update_document(**_fields(doc))
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
        writer = ix.writer(limitmb=128, procs=1)
        count = 0
        for doc in docs:
            writer.add_document(**_fields(doc))
            count += 1
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

    def query(self, text: str, *, scope, filters: dict, page: int, per_page: int, sort: str = "relevance",
              synonyms: list[list[str]] = ()) -> QueryOutcome | None:
        """None when there is no index yet (being built)."""
        with self._lock:
            ix = self._open()
            if ix is None:
                return None
            self._searcher = self._fresh_searcher(ix)
            allowed = self._allowed_docs(scope, filters)
            search = _Search(self._searcher, ix.schema, allowed, sort, synonyms)
            search.facet_values = self._facet_values()
            return search.run(text, page, per_page)

    def _facet_values(self) -> dict:
        if self._filter_owner is not self._searcher:
            self._filter_owner, self._filters = self._searcher, {}
        if "facets" not in self._filters:
            self._filters["facets"] = facet_values(self._searcher.reader())
        return self._filters["facets"]

    def _allowed_docs(self, scope, filters: dict) -> set[int]:
        """Documents this reader may see (narrowed by the chosen facets), computed once per
        searcher and scope: rebuilding the filter on every search was most of its cost."""
        narrowed = tuple(sorted((k, str(v)) for k, v in filters.items() if v and k in FACET_FIELDS))
        key = (scope.everything, scope.member, tuple(sorted(scope.group_ids)), scope.user_id, narrowed)
        if self._filter_owner is not self._searcher:
            self._filter_owner, self._filters = self._searcher, {}
        allowed = self._filters.get(key)
        if allowed is None:
            if len(self._filters) > 256:
                self._filters = {"facets": self._filters["facets"]} if "facets" in self._filters else {}
            query = _scope_query(scope)
            if narrowed:
                query = And([query, *(Term(k, v) for k, v in narrowed)])
            # Never an empty set: Whoosh reads an empty filter as "no filter" and would show
            # everything. -1 is no document, so {-1} lets nothing through.
            allowed = self._filters[key] = set(self._searcher.docs_for_query(query)) or {-1}
        return allowed


class _Search:
    def __init__(self, searcher, schema, allowed: set[int], sort, synonyms):
        self.searcher, self.schema, self.synonyms = searcher, schema, synonyms
        self.filter = allowed  # document numbers: the permission filter runs inside the query
        self.sort = sort

    def run(self, text: str, page: int, per_page: int) -> QueryOutcome:
        text = _clean(text)
        results = self._search(text, AndGroup, page, per_page)
        outcome = QueryOutcome(total=0, hits=[], facets={})
        if results.total == 0 and text:
            suggestion = self._suggest(text)
            if suggestion:  # a typo: show what the corrected words find
                results = self._search(suggestion, AndGroup, page, per_page)
                outcome.corrected_from, text = text, suggestion
            elif len(text.split()) > 1:
                results = self._search(text, OrGroup, page, per_page)
                outcome.used_or = results.total > 0
        elif text:
            outcome.suggestion = self._suggest(text, only_unknown=True)
        outcome.total = results.total
        outcome.hits = [(int(hit["page_id"]), _snippet(hit), round(hit.score or 0, 3)) for hit in results]
        if results.total:
            # All matches (not only this page), limited to what the reader may see.
            matched = set(results.results.docs()) & self.filter
            outcome.facets = {name: _counts(self.facet_values[name], matched) for name in FACET_FIELDS}
        return outcome

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

    def _search(self, text: str, group, page: int, per_page: int):
        sortedby = {"sortedby": "updated", "reverse": True} if self.sort == "date" or not text else {}
        return self.searcher.search_page(self._parse(text, group), max(page, 1), pagelen=per_page,
                                         filter=self.filter, terms=True, **sortedby)

    def _count(self, text: str) -> int:
        return len(self.searcher.search(self._parse(text, AndGroup), limit=1, filter=self.filter))

    def _known(self, word: str) -> bool:
        reader = self.searcher.reader()
        return any((f"spell_{field}", word) in reader for field in SPELLING_FIELDS)

    def _suggest(self, text: str, only_unknown: bool = False) -> str | None:
        """Replace unknown words by close words of the index, if the result has readable hits.

        Candidates come from the whole vocabulary, so each is checked inside the reader's
        scope: a word found only on a page they cannot read is never suggested."""
        words = re.findall(r"\w+", fold(text))
        corrected, changed = [], False
        for word in words:
            if len(word) < 4 or word in STOP_WORDS or self._known(word) or word.isdigit():
                corrected.append(word)
                continue
            candidates = {c for field in SPELLING_FIELDS
                          for c in self.searcher.corrector(field).suggest(word, limit=5, maxdist=2)}
            replacement = next((c for c in sorted(candidates, key=lambda c: (_distance(word, c), c))
                                if self._count(c)), None)
            corrected.append(replacement or word)
            changed = changed or replacement is not None
        if not changed:
            return None
        suggestion = " ".join(corrected)
        return suggestion if self._count(suggestion) else None


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
    from .thesaurus import expand
    return expand(text, synonyms) if synonyms else text


def _scope_query(scope):
    """The roles table as an index query (same rules as permissions.readable_pages_clause)."""
    if scope.everything:
        return Every()
    allowed = [Term("visibility", "public")]
    if scope.member:
        allowed.append(Term("visibility", "membres"))
        allowed.extend(And([Term("visibility", "groupe"), Term("group", str(g))]) for g in scope.group_ids)
    published = [Term("status", "publiee"), Term("status", "validee")]
    if scope.user_id is not None:
        published.append(Term("authors", str(scope.user_id)))
    return And([Or(allowed), Or(published)])


def _counts(values_of: dict[int, tuple[str, ...]], matched: set[int]) -> dict[str, int]:
    """Facet value → number of matched documents, largest first."""
    counts: dict[str, int] = {}
    for docnum in matched:
        for value in values_of.get(docnum, ()):
            counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def facet_values(reader) -> dict[str, dict[int, tuple[str, ...]]]:
    """For each facet field, document → its values, read once from the postings of a searcher
    (Whoosh's own facet categorizers rebuilt this on every search)."""
    maps = {}
    for name in FACET_FIELDS:
        values_of: dict[int, list[str]] = {}
        for term in reader.lexicon(name):
            value = term.decode("utf-8")
            for docnum in reader.postings(name, term).all_ids():
                values_of.setdefault(docnum, []).append(value)
        maps[name] = {docnum: tuple(values) for docnum, values in values_of.items()}
    return maps


def _fields(doc) -> dict:
    return dict(page_id=str(doc.page_id), slug=doc.slug, title=doc.title, identity=doc.identity, body=doc.body,
                people=doc.people, kind=doc.kind, visibility=doc.visibility, group=doc.group,
                themes=",".join(doc.themes), region=doc.region, sides=",".join(doc.sides),
                years=",".join(str(y) for y in doc.years), status=doc.status,
                authors=",".join(str(i) for i in doc.author_ids), updated=doc.updated)


class _EscapingFormatter(highlight.Formatter):
    """Escapes the text and wraps matched words in <mark>: snippets are safe HTML."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"

    def _text(self, text):
        return str(escape(text))


def _snippet(hit) -> Markup:
    hit.results.fragmenter = highlight.ContextFragmenter(maxchars=200, surround=60)
    hit.results.formatter = _EscapingFormatter()
    snippet = hit.highlights("body", top=2) or hit.highlights("title")
    return Markup(snippet) if snippet else escape((hit.get("body") or "")[:200])
