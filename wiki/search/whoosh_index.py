"""The Whoosh index: French analysis, permission filter inside the query, one writer
at a time (non-blocking), and generations swapped atomically on rebuild."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from markupsafe import Markup, escape
from whoosh import highlight, index, sorting
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.lang import stopwords_for_language
from whoosh.qparser import (AndGroup, BoostPlugin, FieldsPlugin, MultifieldParser, OrGroup, RangePlugin,
                            WildcardPlugin)
from whoosh.query import And, Every, Or, Term
from whoosh.support.charset import accent_map

MAX_QUERY_LENGTH = 500
FACET_FIELDS = ("kind", "themes", "region", "group", "sides", "year")


def _fold(words) -> frozenset[str]:
    return frozenset(w.translate(accent_map) for w in words)


# Fold accents before stemming so that "maternité" and "maternite" meet.
FRENCH = (RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
          | StopFilter(stoplist=_fold(stopwords_for_language("fr")), minsize=2)
          | StemFilter(lang="fr"))

SCHEMA = Schema(
    page_id=ID(stored=True, unique=True),
    title=TEXT(analyzer=FRENCH, stored=True, field_boost=3.0),
    body=TEXT(analyzer=FRENCH, stored=True),
    people=TEXT(analyzer=FRENCH),  # authors and partner names: findable, not shown in snippets
    kind=ID(stored=True),
    visibility=ID,
    group=ID(stored=True),
    themes=KEYWORD(commas=True, stored=True),
    region=ID(stored=True),
    sides=KEYWORD(commas=True, stored=True),
    year=ID(stored=True),
    status=ID,
    authors=KEYWORD(commas=True),  # user ids, for drafts
    slug=STORED,
)


class WhooshIndex:
    def __init__(self, root: str):
        self.root = Path(root)

    # Generations: root/CURRENT names the live folder; a rebuild writes a new one.
    def _live_dir(self) -> Path | None:
        pointer = self.root / "CURRENT"
        if not pointer.exists():
            return None
        live = self.root / pointer.read_text().strip()
        return live if live.is_dir() else None

    def _open(self):
        live = self._live_dir()
        if live is None:
            return None
        try:
            return index.open_dir(str(live))
        except Exception:  # corrupt or half-written: treated as missing, rebuilt from the database
            return None

    def _state(self, live: Path) -> int:
        try:
            return int((live / "LAST_CHANGE").read_text())
        except (OSError, ValueError):
            return -1

    @staticmethod
    def _write_state(folder: Path, change_id: int) -> None:
        tmp = folder / f"LAST_CHANGE.{uuid.uuid4().hex}"
        tmp.write_text(str(change_id))
        os.replace(tmp, folder / "LAST_CHANGE")

    def catch_up(self, *, latest_change_id, changes_since, docs_for, all_docs) -> None:
        ix = self._open()
        if ix is None:
            self.rebuild(all_docs(), latest_change_id())
            return
        live = Path(ix.storage.folder)
        last = self._state(live)
        if last < 0:
            self.rebuild(all_docs(), latest_change_id())
            return
        if last >= latest_change_id():
            return
        try:
            writer = ix.writer(timeout=0)  # another process is writing: it will catch up
        except LockError:
            return
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
        self._write_state(live, last)

    def rebuild(self, docs, change_id: int) -> int:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{uuid.uuid4().hex[:12]}"
        folder = self.root / name
        folder.mkdir()
        ix = index.create_in(str(folder), SCHEMA)
        writer = ix.writer()
        count = 0
        for doc in docs:
            writer.add_document(**_fields(doc))
            count += 1
        writer.commit()
        self._write_state(folder, change_id)
        old = self._live_dir()
        tmp = self.root / f"CURRENT.{uuid.uuid4().hex}"
        tmp.write_text(name)
        os.replace(tmp, self.root / "CURRENT")  # the swap: readers see old or new, never half
        if old is not None and old != folder:
            shutil.rmtree(old, ignore_errors=True)
        return count

    def query(self, text: str, *, scope, filters: dict, page: int, per_page: int):
        from . import SearchHit, SearchPage

        ix = self._open()
        if ix is None:
            return SearchPage(total=0, hits=[], complete=False)
        text = (text or "").replace("\x00", " ")[:MAX_QUERY_LENGTH].strip()
        allowed = _scope_query(scope)
        narrowed = [Term(k, str(v)) for k, v in filters.items() if v and k in FACET_FIELDS]
        with ix.searcher() as searcher:
            used_or = False
            query = self._parse(ix, text, AndGroup)
            results = self._run(searcher, query, allowed, narrowed, page, per_page)
            if results.total == 0 and text and len(text.split()) > 1:
                query = self._parse(ix, text, OrGroup)
                results = self._run(searcher, query, allowed, narrowed, page, per_page)
                used_or = results.total > 0
            hits = [SearchHit(page_id=int(hit["page_id"]), snippet=_snippet(hit), score=round(hit.score, 3))
                    for hit in results]
            facets = {name: _counts(results.results.groups(name)) for name in FACET_FIELDS} if results.total else {}
            return SearchPage(total=results.total, hits=hits, facets=facets, used_or=used_or)

    @staticmethod
    def _parse(ix, text: str, group):
        if not text:
            return Every()
        parser = MultifieldParser(["title", "body", "people"], schema=ix.schema, group=group)
        for plugin in (FieldsPlugin, WildcardPlugin, BoostPlugin, RangePlugin):  # words only, no syntax traps
            parser.remove_plugin_class(plugin)
        try:
            return parser.parse(text)
        except Exception:  # any string is a query: fall back to its plain words
            return parser.parse(" ".join(w for w in text.replace('"', " ").split()))

    @staticmethod
    def _run(searcher, query, allowed, narrowed, page, per_page):
        facets = sorting.Facets()
        for name in FACET_FIELDS:
            facets.add_field(name, allow_overlap=name in ("themes", "sides"))
        flt = And([allowed, *narrowed]) if narrowed else allowed
        return searcher.search_page(query, max(page, 1), pagelen=per_page, filter=flt, groupedby=facets,
                                    terms=True)


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


def _counts(groups: dict) -> dict[str, int]:
    """Facet value → number of readable hits, largest first, empty values left out."""
    counts = {str(k): len(v) for k, v in groups.items() if k not in (None, "")}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _fields(doc) -> dict:
    return dict(page_id=str(doc.page_id), slug=doc.slug, title=doc.title, body=doc.body, people=doc.people,
                kind=doc.kind,
                visibility=doc.visibility, group=doc.group, themes=",".join(doc.themes),
                region=doc.region, sides=",".join(doc.sides), year=str(doc.year), status=doc.status,
                authors=",".join(str(i) for i in doc.author_ids))


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
