"""Write transactions: one unit of work takes the write lock first, and runs again when the
database says it is busy.

SQLite allows one writer at a time. A page save reads (current revision, slug taken?) and
then writes; if those reads happened before the write lock was taken, another worker may
save in between. So a unit of work starts its transaction with BEGIN IMMEDIATE (see
`wiki._tune_sqlite`): it waits, up to the busy timeout, until it is the only writer, and
everything it reads stays true until it commits. If the wait still ends in "database is
locked" (SQLite) or a serialization failure or deadlock (PostgreSQL), everything is rolled
back and the unit of work runs again from the start, a bounded number of times.

Usage, on a public service that commits once at its end::

    @unit_of_work
    def update_page(page, ...): ...
"""
from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .extensions import db

ATTEMPTS = 3
BACKOFF = 0.05  # seconds before the second attempt; doubled each time, with jitter
# Execution option read by the SQLite `begin` listener in wiki/__init__.py.
IMMEDIATE = "passerelle_begin_immediate"

_ACTIVE = "passerelle_unit_of_work"  # keys in Session.info
_COMMITTED = "passerelle_unit_committed"
# SQLITE_BUSY, SQLITE_LOCKED (primary result codes); PostgreSQL serialization failure, deadlock.
_SQLITE_BUSY_CODES = {5, 6}
_PG_RETRY_STATES = {"40001", "40P01"}

T = TypeVar("T")


def is_busy(exc: OperationalError) -> bool:
    """True when the database refused because someone else was writing: worth a new try."""
    orig = exc.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _SQLITE_BUSY_CODES
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state:
        return state in _PG_RETRY_STATES
    text = str(orig).lower()
    return "database is locked" in text or "database is busy" in text


def unit_of_work(fn: Callable[..., T]) -> Callable[..., T]:
    """Run `fn` in its own write transaction, again (after a rollback) when the database is busy.

    The session's current transaction is committed first: it only holds what the caller
    read (or changed, which the service's own commit would have saved anyway), and a
    transaction that has already read cannot become a writer without risking an immediate
    "database is locked". Objects the caller holds are expired and reload inside the new
    transaction, so the service sees the newest rows. Nested units (revert_page calls
    update_page) join the outer one. A unit that already committed is never run again."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        session = db.session()  # this thread's Session (the scoped proxy lacks in_transaction)
        if session.info.get(_ACTIVE):
            return fn(*args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            session.info[_ACTIVE], session.info[_COMMITTED] = True, False
            try:
                if session.in_transaction():
                    session.commit()
                session.info[_COMMITTED] = False
                session.connection(execution_options={IMMEDIATE: True})  # BEGIN IMMEDIATE on SQLite
                result = fn(*args, **kwargs)
                if session.in_transaction():  # nothing to save: release the write lock now
                    session.commit()
                return result
            except OperationalError as exc:
                session.rollback()
                if not is_busy(exc) or session.info[_COMMITTED] or attempt == ATTEMPTS:
                    raise
            except BaseException:
                session.rollback()  # never keep the write lock after a refusal (PageExists, EditConflict…)
                raise
            finally:
                session.info.pop(_ACTIVE, None)
                session.info.pop(_COMMITTED, None)
            time.sleep(BACKOFF * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    return run


@event.listens_for(Session, "after_commit")
def _remember_commit(session: Session) -> None:
    if _ACTIVE in session.info:
        session.info[_COMMITTED] = True
