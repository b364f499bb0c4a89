"""`flask --app wiki …` commands. Bodies parse arguments and call services."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from . import search
from .auth import accounts, tokens
from .auth.models import Role, Side
from .backup import BackupError, backup_data, restore_data
from .demo import load_demo
from .errors import ValidationError
from .mail import outbox
from .mail.digests import send_digests
from .policy import SYSTEM
from .search.thesaurus import seed_thesaurus
from .sheets.themes import seed_themes

user_cli = AppGroup("user", help="Gérer les comptes.")
token_cli = AppGroup("token", help="Jetons d'API.")
search_cli = AppGroup("search", help="Index de recherche.")
digest_cli = AppGroup("digest", help="E-mails : la file d'envoi.")


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database (Alembic) and the search index."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    seed_themes()
    seed_thesaurus()
    search.catch_up()
    click.echo(f"Base de données et index prêts dans {current_app.config['DATA_DIR']}.")


@user_cli.command("add")
@click.argument("email")
@click.option("--name", required=True, help="Nom affiché.")
@click.option("--side", type=click.Choice([s.value for s in Side]), required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
def user_add(email: str, name: str, side: str, role: str):
    """Create an account (password from WIKI_PASSWORD or a prompt)."""
    password = os.environ.get("WIKI_PASSWORD") or click.prompt("Mot de passe", hide_input=True,
                                                               confirmation_prompt=True)
    try:
        user = accounts.create_user(email=email, name=name, side=side, role=role, password=password, by=SYSTEM)
    except ValidationError as exc:
        _fail(str(exc))
    click.echo(f"Compte créé : {user.email} ({user.role}, {user.side}).")


@token_cli.command("create")
@click.argument("email")
@click.option("--name", default="Ligne de commande", help="À quoi sert ce jeton.")
def token_create(email: str, name: str):
    """Print a new API token for that user."""
    user = accounts.get_user_by_email(email)
    if user is None:
        _fail(f"Aucun compte pour {email}.")
    click.echo(tokens.create_api_token(user, name))


@search_cli.command("reindex")
def search_reindex():
    """Rebuild the index from the database and swap it in."""
    count = search.reindex()  # waits for a rebuild already running, then builds afresh
    click.echo(f"Index reconstruit : {count} pages.")


@digest_cli.command("send")
def digest_send():
    """Queue the digests that are due, then send the queued e-mails (for cron: running it
    twice sends nothing twice)."""
    if not outbox.enabled():
        _fail("E-mail non configuré (WIKI_MAIL_URL).")
    digests = send_digests()
    try:
        sent, failed = outbox.send_due()
    except outbox.MailSettingsError:
        _fail("WIKI_MAIL_URL doit ressembler à smtp://utilisateur:motdepasse@serveur:587 "
              "ou smtps://utilisateur:motdepasse@serveur:465.")
    click.echo(f"Résumés préparés : {digests}. E-mails envoyés : {sent} ; en échec (réessayés plus tard) : {failed}.")


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo content (idempotent)."""
    created = load_demo()
    click.echo("Contenu de démonstration chargé." if created else "Contenu de démonstration déjà présent.")


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(dest: Path):
    """Copy the running wiki into DEST (a new folder): database, uploads, config.py
    without secrets, manifest.json. Never the secret key."""
    try:
        manifest = backup_data(dest)
    except BackupError as exc:
        _fail(str(exc))
    counts = manifest["counts"]
    click.echo(f"Sauvegarde faite dans {dest} : {counts.get('pages', 0)} pages, {counts.get('revisions', 0)} "
               f"versions, {counts.get('users', 0)} comptes (schéma {manifest['schema_revision'] or 'sans Alembic'}).")
    click.echo("La clé secrète n'y est pas : gardez-la à part, ou une nouvelle sera créée (tout le monde "
               "devra se reconnecter).")


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(src: Path):
    """Restore the backup SRC into an empty data folder and database, then rebuild the search index."""
    try:
        manifest = restore_data(src)
    except BackupError as exc:
        _fail(str(exc))
    counts = manifest["counts"]
    click.echo(f"Sauvegarde du {manifest['created_at']} restaurée dans {current_app.config['DATA_DIR']} : "
               f"{counts.get('pages', 0)} pages, {counts.get('users', 0)} comptes ; index de recherche reconstruit.")
    if manifest.get("config"):
        click.echo(f"Un config.py (sans ses secrets) est dans {src} : "
                   "recopiez-le dans le dossier de données si besoin.")


def register(app: Flask) -> None:
    for command in (init_command, user_cli, token_cli, search_cli, digest_cli, demo_command, backup_command,
                    restore_command):
        app.cli.add_command(command)
