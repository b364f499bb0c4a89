"""Parts of members' pages kept between requests, that cannot leak by construction.

`shared(name, key, reader, render)` keeps what `render(reader, env)` returns for every reader
with the same values of the reader attributes that the rendering actually read (as MediaWiki's
parser cache records which user options a rendering used). The rendering gets a reader that
records what it is asked, and renders templates from `env`, an environment whose globals are
the few known to say nothing about the person (SHARED_GLOBALS); every other one (the current
user, the session, the request, form tokens, flashed messages, rights) is a stand-in that
records its use. A rendering that used anything personal, or the reader's
id, is returned but never kept. Keys: the fragment's name, what the caller names (a revision
id…), the values read, and the data version (wiki/cache/version.py).

`memo(name, compute)` keeps small data every page shows (theme names) until the next write.
"""
from __future__ import annotations

import contextvars
import dataclasses
import threading
import time
from collections import OrderedDict
from typing import Callable, TypeVar

from flask import current_app
from jinja2 import Environment
from markupsafe import Markup

from ..policy import Reader
from ..i18n import language
from . import version

T = TypeVar("T")
TTL = 60.0  # seconds; a backstop only: every write replaces the data version
MAX_ENTRIES = 4000  # pieces of pages, a few KB each
EXTENSION_KEY = "wiki_fragments"
PERSONAL_ATTRIBUTES = frozenset({"user_id"})  # of a Reader: one person's, never shared
# Template globals that depend on nothing personal; any other is a stand-in in shared renderings.
SHARED_GLOBALS = frozenset({"url_for", "site_links", "range", "dict", "lipsum", "cycler", "joiner", "namespace",
                            "gettext", "ngettext", "pgettext", "npgettext", "_", "languages", "language"})
_READER_FIELDS = frozenset(f.name for f in dataclasses.fields(Reader))
_recording: contextvars.ContextVar[_Recording | None] = contextvars.ContextVar("wiki_fragment_recording",
                                                                              default=None)


class _Recording:
    def __init__(self):
        self.read: set[str] = set()
        self.personal = False


class RecordingReader(Reader):
    """A copy of a Reader that notes which of its attributes are read."""

    def __init__(self, reader: Reader, recording: _Recording):
        for name in _READER_FIELDS:
            object.__setattr__(self, name, getattr(reader, name))
        object.__setattr__(self, "_recording", recording)

    def __getattribute__(self, name):
        if name in _READER_FIELDS:
            recording = object.__getattribute__(self, "_recording")
            if name in PERSONAL_ATTRIBUTES:
                recording.personal = True
            else:
                recording.read.add(name)
        return object.__getattribute__(self, name)


class _Personal:
    """Stands for a personal template global in shared renderings: any use of it marks the
    rendering as personal (not kept) and gives an empty value."""

    def __init__(self, name: str):
        self._name = name

    def _used(self):
        recording = _recording.get()
        if recording is not None:
            recording.personal = True
        return self

    def __getattr__(self, _name):
        return self._used()

    def __call__(self, *_args, **_kwargs):
        return self._used()

    def __getitem__(self, _key):
        return self._used()

    def __contains__(self, _item):
        self._used()
        return False

    def __bool__(self):
        self._used()
        return False

    def __iter__(self):
        self._used()
        return iter(())

    def __str__(self):
        self._used()
        return ""

    def __html__(self):
        return str(self)


class Fragments:
    def __init__(self, env: Environment):
        self.env = env
        self.entries: OrderedDict = OrderedDict()
        self.read_by: dict[tuple, frozenset[str]] = {}  # (name, key) → reader attributes its renderings read
        self.memos: dict[str, tuple[str, object]] = {}
        self.lock = threading.Lock()

    def get(self, full_key, data_version: str):
        kept = self.entries.get(full_key)
        if kept is None or kept[0] != data_version or time.monotonic() - kept[1] > TTL:
            return None
        return kept

    def put(self, full_key, data_version: str, value) -> None:
        with self.lock:
            self.entries[full_key] = (data_version, time.monotonic(), value)
            self.entries.move_to_end(full_key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


def _store() -> Fragments:
    return current_app.extensions[EXTENSION_KEY]


def _full_key(name: str, key: tuple, reader: Reader, attributes: frozenset[str]) -> tuple:
    """The interface language is part of every key: the same fragment reads differently in each."""
    return (name, key, language(), tuple((attribute, getattr(reader, attribute)) for attribute in sorted(attributes)))


def shared(name: str, key: tuple, reader: Reader, render: Callable[[Reader, Environment], T]) -> T:
    """render(reader, env), kept for every reader who gives the same answers to what it read.
    `key` names the objects rendered (besides the database, which the data version covers)."""
    store, data_version = _store(), version.current()
    outer = _recording.get()  # a shared rendering inside another: the outer one learns what this one read
    attributes = store.read_by.get((name, key), frozenset())
    kept = store.get(_full_key(name, key, reader, attributes), data_version)
    if kept is not None:
        if outer is not None:
            outer.read |= attributes
        return kept[2]
    recording = _Recording()
    token = _recording.set(recording)
    try:
        value = render(RecordingReader(reader, recording), store.env)
    finally:
        _recording.reset(token)
    if outer is not None:
        outer.read |= recording.read
        outer.personal = outer.personal or recording.personal
    if recording.personal:
        return value
    # Readers that differ in what this rendering read get entries of their own from now on.
    attributes = attributes | recording.read
    if len(store.read_by) > MAX_ENTRIES:  # what was read is learnt again on the next rendering
        store.read_by.clear()
    store.read_by[(name, key)] = attributes
    store.put(_full_key(name, key, reader, attributes), data_version, value)
    return value


def render(env: Environment, template: str, **context) -> Markup:
    """A template of the shared environment, as Markup."""
    return Markup(env.get_template(template).render(**context))


def memo(name: str, compute: Callable[[], T]) -> T:
    """compute(), kept until the data version changes: small data every page shows."""
    store, data_version = _store(), version.current()
    kept = store.memos.get(name)
    if kept is not None and kept[0] == data_version:
        return kept[1]
    value = compute()
    store.memos[name] = (data_version, value)
    return value


def init_app(app) -> None:
    """After the template globals are registered: the shared environment keeps SHARED_GLOBALS
    and puts a stand-in for every other one."""
    env = app.jinja_env.overlay(cache_size=400)  # its own template cache: templates bound to its globals
    personal = (set(app.jinja_env.globals) - SHARED_GLOBALS) | {"current_user"}  # a context processor's
    env.globals = {name: value for name, value in app.jinja_env.globals.items() if name in SHARED_GLOBALS}
    env.globals.update({name: _Personal(name) for name in personal})
    app.extensions[EXTENSION_KEY] = Fragments(env)
