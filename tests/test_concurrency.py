"""Saves at the same moment: write transactions, busy retries, double submissions, same titles."""
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from databases import sqlite_only
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from wiki import db_retry
from wiki.extensions import db
from wiki.pages.models import Page, Revision

from support import PASSWORD


def run_together(*calls):
    """Run the calls in threads released at the same instant; their results, in order.
    An exception in a thread is returned, not raised there (the test then fails on it)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except BaseException as exc:  # reported by the test, not lost in the thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for result in results:
        assert not isinstance(result, BaseException), repr(result)
    return results


def logged_in_client(app, email):
    client = app.test_client()
    response = client.post("/connexion", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(model.id)))


def database_path(app):
    with app.app_context():
        return db.engine.url.database


# Two people, one title -----------------------------------------------------------

def test_same_title_at_once_over_the_api_gives_one_page_and_one_409(app, make_user, token_for):
    tokens = [token_for(make_user("contributeur", side)) for side in ("nord", "sud")]
    for n in range(5):  # several rounds: the race must be lost cleanly every time
        title = f"Réunion du comité {n}"

        def post(token):
            def call():
                response = app.test_client().post("/api/v1/pages", json={"title": title, "body": "Ordre du jour."},
                                                  headers={"Authorization": f"Bearer {token}"})
                return response.status_code, response.get_json()
            return call

        answers = run_together(post(tokens[0]), post(tokens[1]))
        assert sorted(status for status, _ in answers) == [201, 409], answers
        refused = next(body for status, body in answers if status == 409)
        assert refused["error"] == "conflict"
        assert refused["message"] == f"Une page « {title} » existe déjà."
        assert refused["slug"] == f"reunion-du-comite-{n}"
    assert count(app, Page) == 5
    assert count(app, Revision) == 5


def test_same_title_at_once_in_the_forms_gives_one_page_and_a_clear_message(app, make_user, user_email):
    clients = [logged_in_client(app, user_email(make_user("contributeur", side))) for side in ("nord", "sud")]

    def create(client):
        return lambda: client.post("/pages/nouvelle", data={"title": "Forage de Kalaban", "body": "Premier jet.",
                                                            "visibility": "membres", "summary": ""})

    responses = run_together(*(create(c) for c in clients))
    locations = sorted(r.headers["Location"] for r in responses)
    assert [r.status_code for r in responses] == [302, 302]
    assert locations == ["/p/forage-de-kalaban", "/p/forage-de-kalaban/modifier"]
    second = clients[[r.headers["Location"] for r in responses].index("/p/forage-de-kalaban/modifier")]
    html = second.get("/p/forage-de-kalaban/modifier").text
    assert "Une page « Forage de Kalaban » existe déjà. Vous pouvez la compléter." in html
    assert count(app, Page) == 1


# Double submissions --------------------------------------------------------------

def test_double_click_on_save_makes_one_revision(app, client, auth, make_user):
    user = make_user()
    auth.login(user)
    client.post("/pages/nouvelle", data={"title": "Semences", "body": "Mil.", "visibility": "membres"})
    form = {"title": "Semences", "body": "Mil et sorgho.", "visibility": "membres", "summary": "ajout",
            "base_revision": "1"}
    first = client.post("/p/semences/modifier", data=form)
    again = client.post("/p/semences/modifier", data=form, follow_redirects=True)
    assert first.status_code == 302 and again.status_code == 200
    assert "Aucun changement à enregistrer." in again.text
    # Both submissions of one form reaching two workers at the same moment.
    form.update(body="Mil, sorgho et niébé.", base_revision="2")
    both = run_together(lambda: client.post("/p/semences/modifier", data=form),
                        lambda: client.post("/p/semences/modifier", data=form))
    assert [r.status_code for r in both] == [302, 302]
    with app.app_context():
        page = db.session.scalar(db.select(Page).where(Page.slug == "semences"))
        assert [r.number for r in page.revisions] == [1, 2, 3]
        assert page.current.body == "Mil, sorgho et niébé."


# Transactions -------------------------------------------------------------------

@sqlite_only("BEGIN IMMEDIATE is SQLite's write lock; PostgreSQL's saves rely on its unique revision numbers")
def test_saves_take_the_write_lock_first_and_reads_do_not(app, api, make_user):
    user = make_user()
    slug = api("POST", "/pages", user, json={"title": "Puits", "body": "Un."}).json["slug"]
    api("GET", f"/pages/{slug}", user)  # fills the HTML cache and the token's last use
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert api("GET", f"/pages/{slug}", user).status_code == 200
        assert not [s for s in statements if s.startswith("BEGIN")]
        assert api("PUT", f"/pages/{slug}", user, json={"body": "Deux.", "base_revision": 1}).status_code == 200
        assert statements.count("BEGIN IMMEDIATE") == 1
    finally:
        event.remove(engine, "before_cursor_execute", listener)


@sqlite_only("holds SQLite's file lock from another connection")
def test_a_writer_elsewhere_delays_saves_but_not_reads(app, client, make_user, token_for):
    headers = {"Authorization": f"Bearer {token_for(make_user())}"}
    slug = client.post("/api/v1/pages", json={"title": "Puits", "body": "Un."}, headers=headers).json["slug"]
    client.get(f"/api/v1/pages/{slug}", headers=headers)  # fills the HTML cache and the token's last use
    other = sqlite3.connect(database_path(app), check_same_thread=False)  # another process, holding the write lock
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert client.get(f"/api/v1/pages/{slug}", headers=headers).json["body"] == "Un."
        assert time.monotonic() - started < 1  # WAL: readers do not wait for the writer
        threading.Timer(0.5, other.rollback).start()
        started = time.monotonic()
        response = client.put(f"/api/v1/pages/{slug}", json={"body": "Deux.", "base_revision": 1}, headers=headers)
        assert response.status_code == 200, response.json
        assert time.monotonic() - started >= 0.4  # it waited for the lock instead of failing
    finally:
        time.sleep(0.6)
        other.close()
    assert client.get(f"/api/v1/pages/{slug}", headers=headers).json["body"] == "Deux."


def busy() -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


def test_unit_of_work_rolls_back_and_runs_again_when_busy(app, monkeypatch):
    from wiki.groups.models import Group

    monkeypatch.setattr(db_retry, "BACKOFF", 0.001)
    calls = []

    @db_retry.unit_of_work
    def save(fail_times: int):
        calls.append(1)
        db.session.add(Group(slug=f"g{fail_times}-{len(calls)}", name="Groupe"))
        db.session.flush()
        if len(calls) <= fail_times:
            raise busy()
        db.session.commit()
        return len(calls)

    with app.app_context():
        assert save(2) == 3  # two busy attempts, then success
        assert [g.slug for g in db.session.scalars(db.select(Group))] == ["g2-3"]  # the failed ones left nothing
        calls.clear()
        with pytest.raises(OperationalError):
            save(99)
        assert len(calls) == db_retry.ATTEMPTS  # bounded


def test_unit_of_work_does_not_retry_other_errors_or_after_commit(app, monkeypatch):
    from wiki.groups.models import Group

    monkeypatch.setattr(db_retry, "BACKOFF", 0.001)
    calls = []

    @db_retry.unit_of_work
    def broken():
        calls.append(1)
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: nulle_part"))

    @db_retry.unit_of_work
    def committed_then_busy():
        calls.append(1)
        db.session.add(Group(slug=f"h{len(calls)}", name="Groupe"))
        db.session.commit()
        raise busy()  # a failure after the commit must not save twice

    with app.app_context():
        with pytest.raises(OperationalError):
            broken()
        assert len(calls) == 1
        calls.clear()
        with pytest.raises(OperationalError):
            committed_then_busy()
        assert len(calls) == 1
        assert db.session.scalar(db.select(db.func.count(Group.id))) == 1


def test_is_busy_recognises_sqlite_and_postgresql_errors():
    class PgError(Exception):
        sqlstate = "40001"

    assert db_retry.is_busy(busy())
    assert db_retry.is_busy(OperationalError("x", {}, PgError()))
    assert not db_retry.is_busy(OperationalError("x", {}, sqlite3.OperationalError("disk I/O error")))


# Several processes --------------------------------------------------------------

EDITOR = """
import sys
from wiki import create_app
from wiki.auth.models import User
from wiki.extensions import db
from wiki.pages import services
from wiki.pages.models import Page
app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": sys.argv[1]})
me, saves = int(sys.argv[3]), int(sys.argv[4])
for n in range(saves):
    while True:  # read, think, save from that base: another process may save in between
        with app.app_context():
            page = db.session.scalar(db.select(Page).where(Page.slug == "journal"))
            base, lines = page.current.number, page.current.body.split("\\n")
            at = lines.index(f"## Poste {me}") + 1 + n
            lines.insert(at, f"note{me}x{n}")
            try:
                services.update_page(page, author=db.session.get(User, int(sys.argv[2])), base_revision=base,
                                     title=page.title, body="\\n".join(lines))
                break
            except services.EditConflict:
                continue
"""


def test_concurrent_editors_in_several_processes_lose_nothing(app, api, make_user):
    user = make_user()
    writers, saves = 3, 8
    body = "\n\n".join(f"## Poste {w}\n\n---" for w in range(writers))
    api("POST", "/pages", user, json={"title": "Journal", "body": body})
    processes = [subprocess.Popen([sys.executable, "-c", EDITOR, app.config["DATA_DIR"], str(user), str(w), str(saves)],
                                  stderr=subprocess.PIPE, text=True) for w in range(writers)]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    final = api("GET", "/pages/journal", user).json
    for w in range(writers):
        section = final["body"].split(f"## Poste {w}")[1].split("---")[0].split()
        assert section == [f"note{w}x{n}" for n in range(saves)], section
    assert final["revision"] == 1 + writers * saves
    assert len(api("GET", "/pages/journal/revisions", user).json["revisions"]) == 1 + writers * saves
