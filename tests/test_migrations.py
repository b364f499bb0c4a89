"""`flask --app wiki init` builds the schema through Alembic, and it matches the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from wiki import create_app
from wiki.extensions import db


def test_init_upgrades_empty_database_to_models(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path)})
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = [d for d in compare_metadata(context, db.metadata)
                       if not (d[0] == "remove_table" and d[1].name == "alembic_version")]
    assert differences == []
    again = app.test_cli_runner().invoke(args=["init"])  # idempotent
    assert again.exit_code == 0, again.output
