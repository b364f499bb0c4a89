"""`flask --app wiki backup` while the wiki is in use, and `restore` into an empty data folder."""
import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from databases import sqlite_only

from wiki.cache import version
from wiki import create_app
from wiki.auth import accounts
from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.groups.models import GroupMember
from wiki.pages import services as pages
from wiki.pages.models import Page, PageAlias, Revision
from wiki.policy import SYSTEM

SECRET = "cle-secrete-a-ne-jamais-copier-8c1f"
WRITER_TITLE = "Note écrite pendant la sauvegarde"



def data_version(app) -> str:
    with app.app_context():
        token = version.current()
        db.engine.dispose()  # the restore replaces the database file
        return token

def fresh_app(data_dir: Path, database: str | None = None):
    """A new app on `data_dir`, and on `database` when given (else the test's database)."""
    return create_app({"TESTING": True, "SECRET_KEY": "une-autre-cle", "DATA_DIR": str(data_dir),
                       "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1,
                       **({"SQLALCHEMY_DATABASE_URI": database} if database else {})})


@pytest.fixture
def wiki_in_use(app, make_user, token_for):
    """Users of both sides, a group with an animator, pages of every visibility with several
    revisions, a draft sheet, a validated sheet, a renamed page, a deleted page, uploads, config.py."""
    ids = {"coord": make_user("coordinateur", "nord"), "nord": make_user("contributeur", "nord"),
           "sud": make_user("contributeur", "sud", groups_=("eau",)), "lecteur": make_user("lecteur", "nord"),
           "parti": make_user("contributeur", "sud")}
    token = token_for(ids["lecteur"])
    with app.app_context():
        user = {key: db.session.get(User, value) for key, value in ids.items()}
        eau = groups.find_group("eau")
        groups.add_member(eau, user["nord"], animator=True, by=SYSTEM)
        accounts.update_user(user["parti"], by=user["coord"], is_enabled=False)
        public = pages.create_page(author=user["coord"], title="Présentation du réseau", visibility="public",
                                   body="Le réseau relie la Bourgogne et le Mali.")
        pages.update_page(public, author=user["nord"], base_revision=1, title=public.title,
                          body="Le réseau relie la Bourgogne et le Mali depuis 2015.", summary="date")
        members = pages.create_page(author=user["sud"], title="Maraîchage à Kati", body="Oignons et échalotes.")
        pages.update_page(members, author=user["nord"], base_revision=1, title=members.title,
                          body="Oignons, échalotes et tomates.")
        pages.update_page(members, author=user["sud"], base_revision=2, title="Maraîchage à Kati (2024)",
                          body="Oignons, échalotes et tomates ; puits maraîcher.")  # renamed: an alias
        pages.create_page(author=user["sud"], title="Réunion du groupe eau", visibility="groupe", group=eau,
                          body="Compte rendu confidentiel : forage de Tiécourabougou.")
        pages.create_page(author=user["sud"], title="Forage de Kalaban", kind="fiche", themes=["eau"],
                          status="brouillon", fields={"region": "Koulikoro", "regard_sud": "Vu du Sud."})
        sheet = pages.create_page(author=user["nord"], title="Cantine scolaire de Ségou", kind="fiche",
                                  themes=["education"], fields={"region": "Ségou", "period_start": 2019,
                                                                "partners_nord": ["Comité de Joigny"]})
        pages.validate_sheet(sheet, by=user["sud"])
        gone = pages.create_page(author=user["nord"], title="Brouillon abandonné", body="À jeter.")
        pages.set_deleted(gone, True, by=user["coord"])
    data = Path(app.config["DATA_DIR"])
    (data / "uploads" / "maraichage").mkdir(parents=True)
    (data / "uploads" / "maraichage" / "photo.jpg").write_bytes(b"\xff\xd8 pas vraiment une photo")
    (data / "secret_key").write_text(SECRET)
    (data / "config.py").write_text(f'SECRET_KEY = "{SECRET}"\nPER_PAGE = 25\n'
                                    f'MAIL_URL = "smtp://relais:{SECRET}@mail.example.org"\n')
    return ids, token


def snapshot(app) -> dict:
    """Everything a restore must bring back, keyed by stable names rather than row ids."""
    with app.app_context():
        email = lambda user: user.email if user else None  # noqa: E731
        return {
            "pages": {p.slug: (p.title, p.kind, p.visibility, p.group.slug if p.group else None, p.status,
                               p.is_deleted, p.origin_side, p.themes, email(p.validated_by), p.current.number,
                               p.created_at, p.updated_at) for p in db.session.scalars(db.select(Page))},
            "revisions": {(r.page.slug, r.number): (r.title, r.body, r.fields, r.themes, email(r.author),
                                                     r.author_side, r.summary, r.base_number, r.created_at)
                          for r in db.session.scalars(db.select(Revision))},
            "users": {u.email: (u.name, u.role, u.side, u.is_enabled, u.password_hash, u.created_at)
                      for u in db.session.scalars(db.select(User))},
            "members": {(m.group.slug, m.user.email, m.is_animator)
                        for m in db.session.scalars(db.select(GroupMember))},
            "aliases": {a.slug: a.page.slug for a in db.session.scalars(db.select(PageAlias))},
        }


class Writer(threading.Thread):
    """Someone saving pages, one after the other, for as long as the backup runs."""

    def __init__(self, app, author_id: int):
        super().__init__()
        self.app, self.author_id, self.saved, self.error = app, author_id, 0, None
        self.stop = threading.Event()

    def run(self):
        try:
            while not self.stop.is_set():
                with self.app.app_context():
                    pages.create_page(author=db.session.get(User, self.author_id), title=f"{WRITER_TITLE} {self.saved}",
                                      body=f"Texte {self.saved}.")
                self.saved += 1
        except BaseException as exc:  # reported by the test
            self.error = exc

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 30
        while self.saved < count:
            assert self.error is None and time.monotonic() < deadline, self.error
            time.sleep(0.01)


@sqlite_only("reads the copied SQLite file; PostgreSQL's pg_dump is one snapshot by design")
def test_backup_while_writing_then_restore_gives_the_same_wiki(app, runner, wiki_in_use, tmp_path):
    ids, token = wiki_in_use
    dest = tmp_path / "sauvegardes" / "2026-03-01"
    writer = Writer(app, ids["nord"])
    writer.start()
    try:
        writer.wait_for(3)
        result = runner.invoke(args=["backup", str(dest)])
        during = writer.saved
        writer.wait_for(during + 3)  # still writing after the copy
    finally:
        writer.stop.set()
        writer.join()
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert "Sauvegarde faite" in result.output

    # The copy is one consistent state: each page's current revision is its newest, and the
    # pages saved meanwhile are a prefix of the writer's sequence (nothing half-saved).
    copy = sqlite3.connect(dest / "wiki.sqlite")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    broken = copy.execute("""SELECT p.slug FROM pages p LEFT JOIN page_revisions r ON r.id = p.current_revision_id
                             WHERE r.id IS NULL OR r.page_id != p.id OR r.number !=
                               (SELECT max(number) FROM page_revisions WHERE page_id = p.id)""").fetchall()
    assert broken == []
    written = {row[0] for row in copy.execute("SELECT title FROM pages WHERE title LIKE ?", (WRITER_TITLE + "%",))}
    copied = len(written)
    assert written == {f"{WRITER_TITLE} {n}" for n in range(copied)} and 3 <= copied <= writer.saved
    counts = {table: copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("pages", "page_revisions", "users")}
    copy.close()

    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["database"] == "sqlite" and manifest["schema_revision"] is None  # create_all, no Alembic
    assert manifest["counts"] == {"pages": counts["pages"], "revisions": counts["page_revisions"],
                                  "users": counts["users"], "groups": 1}
    assert manifest["created_at"] and manifest["uploads"] is True and manifest["config"] is True
    assert sorted(p.name for p in dest.iterdir()) == ["config.py", "manifest.json", "uploads", "wiki.sqlite"]
    assert (dest / "uploads" / "maraichage" / "photo.jpg").read_bytes() == b"\xff\xd8 pas vraiment une photo"
    config = (dest / "config.py").read_text()
    assert "PER_PAGE = 25" in config and "SECRET_KEY" in config  # named in a comment, value gone
    for path in dest.rglob("*"):  # never the secret, in any file
        assert not path.is_file() or SECRET.encode() not in path.read_bytes(), path

    # Restore into a fresh data folder with a new app.
    restored_app = fresh_app(tmp_path / "restauree")
    result = restored_app.test_cli_runner().invoke(args=["restore", str(dest)])
    assert result.exit_code == 0, result.output
    # A new data version, not the copied one: running workers drop visitors' cached pages.
    assert data_version(restored_app) not in ("", data_version(app))
    assert "index de recherche reconstruit" in result.output
    before, after = snapshot(app), snapshot(restored_app)
    kept = set(after["pages"])
    assert {slug for slug in before["pages"] if not before["pages"][slug][0].startswith(WRITER_TITLE)} <= kept
    assert len(kept) == len(before["pages"]) - (writer.saved - copied)
    assert after["pages"] == {slug: row for slug, row in before["pages"].items() if slug in kept}
    assert after["revisions"] == {key: row for key, row in before["revisions"].items() if key[0] in kept}
    assert after["users"] == before["users"]
    assert after["members"] == before["members"]
    assert after["aliases"] == before["aliases"]
    assert (tmp_path / "restauree" / "uploads" / "maraichage" / "photo.jpg").is_file()
    assert not (tmp_path / "restauree" / "secret_key").exists()

    # Search works on the restored wiki, permissions included; API tokens still work.
    client = restored_app.test_client()
    reader = {"Authorization": f"Bearer {token}"}
    hits = client.get("/api/v1/search?q=échalotes", headers=reader).json
    assert [r["slug"] for r in hits["results"]] == ["maraichage-a-kati-2024"]
    assert client.get("/api/v1/search?q=Tiécourabougou", headers=reader).json["total"] == 0  # group page
    assert client.get("/api/v1/search?q=réseau").json["total"] == 1  # the public page, anonymously
    assert client.get("/api/v1/pages/maraichage-a-kati", headers=reader).status_code in (200, 301, 308)
    with restored_app.app_context():
        db.engine.dispose()


def test_backup_refuses_a_folder_in_use_and_restore_a_wiki_with_pages(app, runner, wiki_in_use, tmp_path):
    busy = tmp_path / "occupe"
    busy.mkdir()
    (busy / "autre.txt").write_text("déjà là")
    result = runner.invoke(args=["backup", str(busy)])
    assert result.exit_code != 0 and "n'est pas un dossier vide" in result.output
    assert sorted(p.name for p in busy.iterdir()) == ["autre.txt"]
    dest = tmp_path / "copie"
    assert runner.invoke(args=["backup", str(dest)]).exit_code == 0
    before = snapshot(app)
    result = runner.invoke(args=["restore", str(dest)])  # into the wiki it came from: has pages
    assert result.exit_code != 0 and "contient déjà des pages" in result.output
    assert snapshot(app) == before
    result = runner.invoke(args=["restore", str(tmp_path / "occupe")])
    assert result.exit_code != 0 and "pas une sauvegarde Passerelle" in result.output


def test_backup_and_restore_of_a_migrated_database(tmp_path, another_database):
    """A wiki set up with `init` (Alembic): the manifest names its schema revision, and the
    restore target may itself have been initialised already (no pages yet)."""
    source = fresh_app(tmp_path / "source")
    assert source.test_cli_runner().invoke(args=["init"]).exit_code == 0
    with source.app_context():
        author = accounts.create_user(email="awa@example.ml", name="Awa", side="sud", role="contributeur",
                                      password="mot-de-passe-solide", by=SYSTEM)
        pages.create_page(author=author, title="Banque de céréales", body="Stock de mil à Djenné.")
        head = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
    result = source.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["schema_revision"] == head
    target = fresh_app(tmp_path / "cible", another_database)
    assert target.test_cli_runner().invoke(args=["init"]).exit_code == 0
    result = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert target.test_client().get("/api/v1/search?q=mil").json["total"] == 0  # membres page, anonymous
    with target.app_context():
        assert [p.slug for p in db.session.scalars(db.select(Page))] == ["banque-de-cereales"]
        assert accounts.authenticate("awa@example.ml", "mot-de-passe-solide") is not None
        db.engine.dispose()
    with source.app_context():
        db.engine.dispose()


def test_config_without_secrets():
    from wiki.backup import config_without_secrets

    cleaned, removed = config_without_secrets(
        'PER_PAGE = 10\nSECRET_KEY = (\n    "abc"\n)\nSQLALCHEMY_DATABASE_URI = "postgresql://wiki:pw@db/wiki"\n'
        'SEARCH_STEMMER = "light"\nJSON_SORT_KEYS = False\nOTHER = {"url": "https://u:p@h"}\n')
    assert removed == ["SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "OTHER"]
    assert "abc" not in cleaned and "pw@" not in cleaned and "u:p@" not in cleaned
    assert "PER_PAGE = 10" in cleaned and 'SEARCH_STEMMER = "light"' in cleaned and "JSON_SORT_KEYS" in cleaned
