"""Passerelle: the application factory (`create_app` is the only way to get an app)."""
from __future__ import annotations

from importlib import import_module

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import cli, errors, health, i18n, paths, request_log, robots, search, templating
from . import config as config_module
from .activity.views import bp as activity_bp
from .admin.views import bp as admin_bp
from .api import bp as api_bp
from .attachments.views import bp as attachments_bp
from .audit.views import bp as audit_bp
from .auth import login
from .auth.views import bp as auth_bp
from .agenda.views import bp as agenda_bp
from .cache import fragments
from .db_retry import IMMEDIATE
from .delivery import register_delivery
from .directory.views import bp as directory_bp
from .discussions.views import bp as discussions_bp
from .mail.views import bp as mail_bp
from .editor import bp as editor_bp
from .extensions import csrf, db, login_manager, migrate
from .funding.views import bp as funding_bp
from .news.views import bp as news_bp
from .models import MAX_ID
from .groups.views import bp as groups_bp
from .pages.views import bp as pages_bp
from .search.views import bp as search_bp
from .security import FixedMountPoint, register_security
from .sheets.views import bp as sheets_bp

BLUEPRINTS = (auth_bp, pages_bp, sheets_bp, groups_bp, directory_bp, admin_bp, audit_bp, search_bp, api_bp,
              editor_bp, attachments_bp, activity_bp, discussions_bp, mail_bp, agenda_bp, funding_bp, news_bp,
              i18n.bp, health.bp, robots.bp)

def create_app(config: dict | None = None) -> Flask:
    overrides = dict(config or {})
    config_module.read_dotenv()
    data_dir = config_module.data_dir_from(overrides)
    app = Flask(__name__, instance_path=str(data_dir), instance_relative_config=True,
                template_folder=str(paths.TEMPLATES), static_folder=str(paths.STATIC))
    app.config.from_object(config_module.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    config_module.load_environment(app.config)
    app.config.update(overrides)
    config_module.fill_derived(app.config, data_dir)
    app.json.sort_keys = False  # JSON keys in the order we build them (readable API answers)

    trust_proxies(app)
    app.url_map.converters["int"] = RowIdConverter
    register_extensions(app)
    register_blueprints(app)
    cli.register(app)
    templating.register(app)
    errors.register_error_handlers(app)
    register_delivery(app)  # before security: its after_request runs after the security headers
    register_security(app)
    request_log.init_app(app)
    fragments.init_app(app)  # last: it copies the template globals registered above
    return app


class RowIdConverter(IntegerConverter):
    """`<int:…>` in routes: a number beyond a database id reads as 0, which names no row (404),
    instead of overflowing the driver (500). (A converter that refuses it would make Werkzeug
    answer 405 to a POST or PUT of the same address.)"""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


def trust_proxies(app: Flask) -> None:
    """Behind a reverse proxy, read the client's address and scheme from its headers; the mount
    point comes from configuration only."""
    app.wsgi_app = FixedMountPoint(app.wsgi_app, app.config["SCRIPT_NAME"])
    proxies = int(app.config["PROXIES"] or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


MODEL_MODULES = ("activity", "agenda", "attachments", "audit", "auth", "cache", "directory", "discussions", "funding",
                 "groups", "mail", "news", "pages", "search", "sheets")


def register_extensions(app: Flask) -> None:
    for feature in MODEL_MODULES:  # every table known to the metadata (migrations, create_all)
        import_module(f".{feature}.models", __name__)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(paths.MIGRATIONS))
    csrf.init_app(app)
    login_manager.init_app(app)
    login.configure(login_manager)
    i18n.init_app(app)
    search.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)


def _tune_sqlite(app: Flask) -> None:
    """WAL, a busy timeout, and BEGIN IMMEDIATE for the units of work that save pages.

    Transactions come in two kinds (PostgreSQL needs neither listener):

    - A unit of work (`wiki.db_retry.unit_of_work`, used by the page-saving services)
      starts with BEGIN IMMEDIATE: it waits (busy timeout) to be the only writer, then
      reads and writes with nobody saving in between, and commits. Retries on busy.
    - Every other transaction keeps pysqlite's own handling: SELECTs run outside any
      transaction and pysqlite emits BEGIN just before the first INSERT/UPDATE/DELETE.
      Read-only requests therefore never take the write lock (WAL: they never wait), and
      the occasional write in other code (an API token's last use, the HTML cache of a
      revision, account changes) starts from no transaction, so it waits its turn under
      the busy timeout. We deliberately do not use the `isolation_level = None` + "BEGIN"
      recipe for these: a deferred transaction that has read and then writes fails at
      once with "database is locked" when another worker wrote in between (SQLite cannot
      upgrade a stale snapshot and skips the busy handler), and making every transaction
      IMMEDIATE would serialize all reads, search included, behind the write lock.

    pysqlite lets an explicit BEGIN IMMEDIATE through (a BEGIN is not a DML statement, so
    it adds none of its own) and then commits or rolls back that transaction normally."""
    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

        @event.listens_for(db.engine, "begin")
        def on_begin(connection):
            if connection.get_execution_options().get(IMMEDIATE):
                connection.exec_driver_sql("BEGIN IMMEDIATE")


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
