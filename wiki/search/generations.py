"""The index on disk: its schema, one writer at a time (never blocking a request for long), the
change feed replayed into it, and generations swapped atomically on rebuild."""
from __future__ import annotations

import fcntl
import os
import shutil
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

from whoosh import index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError

from .analysis import FrenchAnalyzer

PLAIN = FrenchAnalyzer("none")
from .ranking import Weighting

# Bump when the schema or analysis changes: the index is then rebuilt by itself.
SCHEMA_VERSION = "10"
# Searched fields and their weight. `text` holds every word of the page (title, summary, place,
# partners, themes, body, authors) with one length, as BM25 expects; the title is searched
# again, so that it weighs more; `prefixes` holds the same words cut to their first letters.
# A page in another language than French has its words in `plain` instead, not stemmed
# (Pages.language; French endings and prefixes would join unrelated words there). No field
# keeps positions: a phrase is found by `pairs`, each two neighbouring terms of the page (see
# searching.py), as set operations rather than Whoosh's reading of positions document by document.
FIELD_BOOSTS = {"text": 1.0, "title": 0.3, "prefixes": 1.5, "plain": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)
FACET_FIELDS = ("kind", "themes", "region", "group", "sides", "years")


def make_schema(stemmer: str) -> Schema:
    french = FrenchAnalyzer(stemmer)
    return Schema(
        page_id=ID(stored=True, unique=True),
        slug=STORED,
        text=TEXT(analyzer=french, phrase=False, field_boost=FIELD_BOOSTS["text"]),
        prefixes=TEXT(analyzer=FrenchAnalyzer("prefix"), phrase=False, field_boost=FIELD_BOOSTS["prefixes"]),
        plain=TEXT(analyzer=PLAIN, phrase=False, field_boost=FIELD_BOOSTS["plain"]),
        pairs=KEYWORD,  # "a+b" for neighbouring terms a, b of `text` or `plain`
        language=STORED,
        title=TEXT(analyzer=french, phrase=False, stored=True, field_boost=FIELD_BOOSTS["title"]),
        body=STORED,  # for snippets
        words=KEYWORD,  # the words as written, folded: the spelling vocabulary
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


def fields_of(doc, analyzer: FrenchAnalyzer) -> dict:
    """A SearchDoc as the schema's fields."""
    words = analyzer.words(f"{doc.title}\n{doc.identity}\n{doc.body}")
    text = "\n".join((doc.title, doc.identity, doc.body, doc.people))
    french = doc.language == "fr"
    terms = (analyzer if french else PLAIN).terms(text)
    return dict(page_id=str(doc.page_id), slug=doc.slug, title=doc.title, body=doc.body, language=doc.language,
                text=text if french else "", prefixes=text if french else "", plain="" if french else text,
                pairs=" ".join(pairs(terms)),
                words=" ".join(sorted(words)), kind=doc.kind, visibility=doc.visibility,
                group=doc.group, themes=",".join(doc.themes), region=doc.region, sides=",".join(doc.sides),
                years=",".join(str(y) for y in doc.years), status=doc.status,
                authors=",".join(str(i) for i in doc.author_ids), updated=doc.updated)


def pairs(terms: list[str]) -> list[str]:
    """Each two neighbouring terms (stop words apart), as `pairs` holds them."""
    return [f"{a}+{b}" for a, b in zip(terms, terms[1:])]


class IndexFiles:
    """root/CURRENT names the live generation (a folder); a rebuild writes a new one beside it.
    Each live folder says which change of the feed it holds (LAST_CHANGE) and its SCHEMA."""

    def __init__(self, root: str, stemmer: str = "light"):
        self.root = Path(root)
        self.schema = make_schema(stemmer)
        self.analyzer: FrenchAnalyzer = self.schema["text"].analyzer
        self.version = f"{SCHEMA_VERSION}-{stemmer}"
        self._lock = threading.Lock()  # one searcher per process, shared by its threads
        self._opened: tuple[Path, object] | None = None
        self._searcher = None

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

    @contextmanager
    def searcher(self):
        """The searcher of the newest commit (None while there is no index), for the duration of
        the block; the process's threads take turns."""
        with self._lock:
            ix = self._open()
            yield None if ix is None else self._fresh_searcher(ix)

    def _fresh_searcher(self, ix):
        """The kept searcher while it shows the newest commit; else a searcher on a new reader,
        the superseded one being closed.

        Never Searcher.refresh(): in whoosh-reloaded 2.7.5 it hands the old reader to
        FileIndex._reader(reuse=…), which keeps segments merged away (their documents then
        count twice) and the old deletion sets (a replaced document stays live), and never
        releases file handles. Closing at once is safe: searchers are only used under _lock."""
        if self._searcher is not None:
            try:
                if self._searcher.up_to_date():
                    return self._searcher
            except Exception:  # e.g. the index folder replaced or unreadable: reopen below
                pass
        self._close_searcher()
        self._searcher = ix.searcher(weighting=Weighting())
        return self._searcher

    def _close_searcher(self) -> None:
        searcher, self._searcher = self._searcher, None
        if searcher is not None:
            try:
                searcher.close()
            except Exception:  # already closed or its files gone: nothing left to free
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

    def replayed_change(self) -> int:
        """The newest change of the feed in the live index (-1: no usable index)."""
        with self._lock:
            return -1 if self._open() is None else self._state(self._opened[0])

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
                            writer.update_document(**fields_of(doc, self.analyzer))
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
        count = 0
        for doc in docs:
            writer.add_document(**fields_of(doc, self.analyzer))
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
