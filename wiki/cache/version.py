"""The data version: what every kept page and fragment is stored under.

A token in the database (table data_version), so that every worker and every machine that
shares the database agrees on it. The unit of work says when it changes: the session notes
that a flush or an ORM statement wrote to a model that pages show, and replaces the token in
the same transaction, just before its commit. A model whose writes no page shows (login
sessions, failed logins, the audit log, API token use) sets `affects_pages = False`.

Readers read the token once per request, before any other row: whatever they render is at
least as new as the token they store it under, so nothing stale is ever served (at worst
something is stored under a token already replaced, and never read)."""
from __future__ import annotations

import uuid

from flask import has_request_context, request
from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from .models import DataVersion

_WROTE = "wiki.data_version.wrote"  # session.info: this transaction changed something readers see
_REPLACED = "wiki.data_version.replaced"  # session.info: this commit replaced the token
_REQUEST_KEY = "wiki.data_version"  # in the WSGI environ: read once per request
# Read on every request: a Core statement built once costs a fraction of an ORM select.
_READ = select(DataVersion.__table__.c.token).where(DataVersion.__table__.c.id == 1)


def _affects_pages(model) -> bool:
    return getattr(model, "affects_pages", True)


def _changed_what_pages_show(instance) -> bool:
    """An update of a row's cache columns only (`cache_columns`, e.g. a revision's rendered
    HTML, filled on a first view) changes nothing a reader sees."""
    cache_columns = getattr(type(instance), "cache_columns", frozenset())
    state = inspect(instance)
    return any(attribute.history.has_changes() for attribute in state.attrs if attribute.key not in cache_columns)


@event.listens_for(Session, "after_flush")
def _note_flush(session, _context):  # the lists and histories still show what was flushed
    if any(_affects_pages(type(instance)) for instance in (*session.new, *session.deleted)) or any(
            _affects_pages(type(instance)) and _changed_what_pages_show(instance) for instance in session.dirty):
        session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state):
    """Bulk insert, update or delete statements (`session.execute(update(Model)…)`)."""
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is None or _affects_pages(mapper.class_):
            state.session.info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _replace_on_commit(session):
    session.flush()  # what is still pending counts too
    if session.info.pop(_WROTE, False):
        _replace(session)
        session.info[_REPLACED] = True


@event.listens_for(Session, "after_commit")
def _forget_request_version(session):
    # What the writing request renders after its write is stored under the new token.
    if session.info.pop(_REPLACED, False) and has_request_context():
        request.environ.pop(_REQUEST_KEY, None)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session):
    session.info.pop(_WROTE, None)
    session.info.pop(_REPLACED, None)


def _replace(session) -> None:
    token = uuid.uuid4().hex
    if session.execute(update(DataVersion).where(DataVersion.id == 1).values(token=token)).rowcount == 0:
        session.execute(insert(DataVersion).values(id=1, token=token))


def current() -> str:
    """The data version, read once per request (kept in the request's environ, not in `g`:
    an app context may outlive many requests)."""
    if has_request_context():
        version = request.environ.get(_REQUEST_KEY)
        if version is None:
            version = request.environ[_REQUEST_KEY] = _read()
        return version
    return _read()


def _read() -> str:
    return db.session.connection().execute(_READ).scalar() or ""


def invalidate() -> None:
    """For changes made outside the ORM's unit of work (a restored database)."""
    _replace(db.session)
    db.session.commit()
