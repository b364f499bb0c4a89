"""The `passerelle` console script: `passerelle init` is `flask --app wiki init`."""
from flask.cli import FlaskGroup

from . import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help="Passerelle : les commandes de `flask --app wiki`.")()
