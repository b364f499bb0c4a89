"""Backups of a running wiki, and restoring one into an empty data folder.

A backup is a folder::

    manifest.json   date, database kind, schema revision (alembic_version), row counts, contents
    wiki.sqlite     SQLite: a consistent copy made with SQLite's online backup API
    wiki.pgdump     PostgreSQL: `pg_dump --format=custom` (restored with pg_restore)
    uploads/        copy of the uploads folder (UPLOADS_DIR), when it exists
    config.py       the data folder's config.py with every secret-looking setting removed

Never in it: `secret_key` (back it up apart, or let a new one be generated: everyone is
logged out) and the search index (derived from the database, rebuilt by restore).
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from . import search
from .cache import version
from .extensions import db

FORMAT = 1
SQLITE_FILE = "wiki.sqlite"
PG_FILE = "wiki.pgdump"
MANIFEST = "manifest.json"
COUNTED_TABLES = {"pages": "pages", "revisions": "page_revisions", "users": "users", "groups": "groups"}
# Settings that must not leave the server in a backup (compared with the upper-cased name).
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|(^|_)KEY(_|$)|DATABASE_UR[IL]")
URL_WITH_PASSWORD = re.compile(r"://[^/@\s:]*:[^/@\s]+@")


class BackupError(Exception):
    """A refusal or failure, with a French message for the command line."""


# Backup ----------------------------------------------------------------------

def backup_data(dest: Path) -> dict:
    """Copy the live wiki into `dest` (a new or empty folder); returns the manifest."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} existe déjà et n'est pas un dossier vide ; choisissez un nouveau dossier.")
    created = not dest.exists()
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(dest, 0o700)  # the copy holds password hashes and account data
    try:
        manifest = _backup_into(dest)
    except BaseException:
        if created:
            shutil.rmtree(dest, ignore_errors=True)
        else:
            for child in dest.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return manifest


def _backup_into(dest: Path) -> dict:
    url = db.engine.url
    data_dir = Path(current_app.config["DATA_DIR"])
    manifest: dict = {"format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    if url.get_backend_name() == "sqlite":
        copy = dest / SQLITE_FILE
        _copy_sqlite(_sqlite_path(url), copy)
        revision, counts = _describe_sqlite(copy)
        manifest.update(database="sqlite", database_file=SQLITE_FILE)
    elif url.get_backend_name() == "postgresql":
        _dump_postgresql(url, dest / PG_FILE)
        revision, counts = _describe_live()  # pg_dump has its own snapshot: counts may differ by a few saves
        manifest.update(database="postgresql", database_file=PG_FILE)
    else:
        raise BackupError(f"Base de données non prise en charge pour la sauvegarde : {url.get_backend_name()}.")
    manifest.update(schema_revision=revision, counts=counts)
    uploads = Path(current_app.config["UPLOADS_DIR"])
    manifest["uploads"] = uploads.is_dir()
    if uploads.is_dir():
        shutil.copytree(uploads, dest / "uploads")
        manifest["upload_files"] = sum(1 for p in (dest / "uploads").rglob("*") if p.is_file())
    config = data_dir / "config.py"
    manifest["config"] = config.is_file()
    if config.is_file():
        cleaned, removed = config_without_secrets(config.read_text(encoding="utf-8"))
        (dest / "config.py").write_text(cleaned, encoding="utf-8")
        manifest["config_removed_settings"] = removed
    manifest["not_included"] = ["secret_key", "search-index"]
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("Seule une base SQLite dans un fichier peut être sauvegardée.")
    return Path(url.database)


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup API, in one step: it copies one consistent state of the
    database (WAL included) while the wiki keeps reading and writing."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if check != "ok":
        raise BackupError(f"La copie de la base est incohérente ({check}) ; rien n'est sauvegardé.")


def _describe_sqlite(path: Path) -> tuple[str | None, dict[str, int]]:
    """Schema revision and row counts of a SQLite copy."""
    con = sqlite3.connect(path)
    try:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        counts = {key: con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # names from COUNTED_TABLES
                  for key, table in COUNTED_TABLES.items() if table in tables}
    finally:
        con.close()
    return revision, counts


def _describe_live() -> tuple[str | None, dict[str, int]]:
    tables = set(inspect(db.engine).get_table_names())
    revision = None
    if "alembic_version" in tables:
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    counts = {key: db.session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() or 0  # our own names
              for key, table in COUNTED_TABLES.items() if table in tables}
    db.session.rollback()
    return revision, counts


def config_without_secrets(source: str) -> tuple[str, list[str]]:
    """The config file's text with secret-looking assignments (SECRET_KEY, passwords,
    tokens, database URLs, anything holding user:password@) replaced by a comment."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise BackupError(f"config.py illisible ({exc.msg}, ligne {exc.lineno}) ; corrigez-le avant de sauvegarder.") \
            from None
    lines = source.splitlines(keepends=True)
    removed: list[str] = []
    for node in reversed(tree.body):
        names = _assigned_names(node)
        segment = "".join(lines[node.lineno - 1:node.end_lineno])
        if names and (any(SECRET_NAME.search(n.upper()) for n in names) or URL_WITH_PASSWORD.search(segment)):
            indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)
            lines[node.lineno - 1:node.end_lineno] = [
                f"{indent}# {', '.join(names)} : retiré de la sauvegarde (secret), à remettre à la main.\n"]
            removed[:0] = names
        elif not names and URL_WITH_PASSWORD.search(segment):
            raise BackupError("config.py contient un mot de passe hors d'une affectation simple ; "
                              "déplacez-le dans une variable d'environnement avant de sauvegarder.")
    return "".join(lines), removed


def _assigned_names(node: ast.stmt) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
    names = []
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                names.append(sub.id)
            elif isinstance(sub, ast.Attribute):
                names.append(sub.attr)
            elif isinstance(sub, ast.Subscript) and isinstance(sub.slice, ast.Constant):
                names.append(str(sub.slice.value))
    return names


# PostgreSQL: pg_dump / pg_restore (not run by the test suite: it needs a server) -----

def _libpq(url: URL) -> tuple[str, dict]:
    """A libpq connection URL without the password, and an environment carrying it
    (a password on the command line would show in `ps`)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run_pg(tool: str, args: list[str], env: dict) -> None:
    exe = shutil.which(tool)
    if exe is None:
        raise BackupError(f"{tool} est introuvable : installez le client PostgreSQL (paquet postgresql-client).")
    result = subprocess.run([exe, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} a échoué : {result.stderr.strip()[-1000:]}")


def _dump_postgresql(url: URL, target: Path) -> None:
    dsn, env = _libpq(url)
    _run_pg("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", str(target), "--dbname", dsn],
            env)


def _restore_postgresql(url: URL, dump: Path) -> None:
    dsn, env = _libpq(url)
    db.session.remove()
    db.engine.dispose()  # pg_restore --clean must not wait for our own idle connections
    _run_pg("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
                           "--single-transaction", "--dbname", dsn, str(dump)], env)


# Restore ---------------------------------------------------------------------

def restore_data(src: Path) -> dict:
    """Restore a backup folder into this app's (empty) data folder and database, then
    rebuild the search index. Returns the backup's manifest."""
    src = Path(src)
    manifest = _read_manifest(src)
    url = db.engine.url
    backend = url.get_backend_name()
    if manifest.get("database") != backend:
        raise BackupError(f"Cette sauvegarde vient de {manifest.get('database')} ; la base visée est {backend}.")
    if _count_pages() > 0:
        raise BackupError("La base visée contient déjà des pages : la restauration se fait dans un wiki vide "
                          "(nouveau dossier de données, base vide).")
    uploads = Path(current_app.config["UPLOADS_DIR"])
    if manifest.get("uploads") and uploads.exists() and any(uploads.iterdir()):
        raise BackupError(f"{uploads} n'est pas vide : la restauration se fait dans un dossier de données vide.")
    if backend == "sqlite":
        _restore_sqlite(src / SQLITE_FILE, _sqlite_path(url))
    else:
        _restore_postgresql(url, src / PG_FILE)
    if manifest.get("uploads"):
        shutil.copytree(src / "uploads", uploads, dirs_exist_ok=True)
    _upgrade_schema(manifest.get("schema_revision"))
    version.invalidate()  # running workers must not serve visitors the pages from before
    if search.reindex() < 0:
        raise BackupError("Base restaurée, mais l'index de recherche est déjà en reconstruction ailleurs : "
                          "lancez « flask --app wiki search reindex » ensuite.")
    return manifest


def _read_manifest(src: Path) -> dict:
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{src} n'est pas une sauvegarde Passerelle (pas de {MANIFEST}).") from None
    except ValueError:
        raise BackupError(f"{src / MANIFEST} est illisible.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format de sauvegarde inconnu : {manifest.get('format')}.")
    if not (src / manifest.get("database_file", "")).is_file():
        raise BackupError(f"Fichier de base absent de la sauvegarde : {manifest.get('database_file')}.")
    return manifest


def _count_pages() -> int:
    try:
        if not inspect(db.engine).has_table("pages"):
            return 0
        return db.session.scalar(text("SELECT count(*) FROM pages")) or 0
    finally:
        db.session.remove()


def _restore_sqlite(copy: Path, target: Path) -> None:
    """The backup API again, the other way: it replaces the target database's content
    properly even when the file exists (created by `init`) or is open elsewhere."""
    db.session.remove()
    db.engine.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _upgrade_schema(revision: str | None) -> None:
    """A backup made by an older version gets the newer migrations, as `init` would."""
    if revision is None:  # a database made without Alembic (tests): nothing to upgrade
        return
    try:
        upgrade(directory=current_app.extensions["migrate"].directory)
    except Exception as exc:
        raise BackupError(f"Base restaurée (révision {revision}) mais la mise à jour du schéma a échoué : {exc}. "
                          "Utilisez une version de Passerelle qui connaît cette révision.") from exc
