"""`flask --app wiki init` builds the schema through Alembic, it matches the models, and it
upgrades a wiki with content from the previous schema."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

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


def test_upgrade_from_the_previous_schema_keeps_the_data(tmp_path):
    """A wiki full of content on the schema of the previous release (0009: no member language)
    is upgraded by `init` with nothing lost, and ends at the models' schema."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path)})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0
    counted = ("users", "pages", "page_revisions", "groups", "organisations", "attachments", "page_changes")

    def counts():
        with app.app_context():
            return {table: db.session.scalar(db.text(f"SELECT count(*) FROM {table}")) for table in counted}

    before = counts()
    assert before["pages"] > 10 and before["page_revisions"] > before["pages"]
    result = runner.invoke(args=["db", "downgrade", "0009"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
        columns = {column["name"] for column in db.inspect(db.engine).get_columns("users")}
    assert "language" not in columns and counts() == before
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert counts() == before
    with app.app_context():  # revisions saved before 0012 take their page's audience of today
        assert db.session.scalar(db.text(
            "SELECT count(*) FROM page_revisions r JOIN pages p ON p.id = r.page_id WHERE r.visibility != "
            "p.visibility OR coalesce(r.group_id, 0) != coalesce(p.group_id, 0)")) == 0
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        assert [d for d in compare_metadata(context, db.metadata)
                if not (d[0] == "remove_table" and d[1].name == "alembic_version")] == []
    assert app.test_client().get("/p/accueil").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_foreign_keys_are_enforced_again_after_a_migration(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path)})
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    with app.app_context():
        if db.engine.dialect.name == "sqlite":  # the same pooled connection the migration used
            assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1
        with pytest.raises(IntegrityError):
            db.session.execute(db.text("INSERT INTO page_aliases (slug, page_id) VALUES ('nulle-part', 999)"))
            db.session.commit()
        db.session.rollback()
        db.engine.dispose()
