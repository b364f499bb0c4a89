"""Configuration defaults. Layers, lowest first: these defaults, the data folder's
`config.py`, `WIKI_*` environment variables (and `.env`'s), then the mapping given to create_app()."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv


class Defaults:
    # Folder holding the database, the search index and uploads (WIKI_DATA_DIR).
    DATA_DIR = "./instance"
    # SQLAlchemy URL (WIKI_DATABASE_URL); empty means SQLite in DATA_DIR.
    SQLALCHEMY_DATABASE_URI = ""
    # Signing key (WIKI_SECRET_KEY); generated and stored in DATA_DIR when absent.
    SECRET_KEY = ""
    # Whoosh index folder; empty means DATA_DIR/search-index.
    SEARCH_INDEX_DIR = ""
    # Attached files (WIKI_UPLOADS_DIR); empty means <data dir>/uploads. With several servers,
    # a folder every one of them mounts (NFS, a shared volume): the database names the files.
    UPLOADS_DIR = ""
    # argon2id cost: 3 passes over 64 MiB with 4 lanes (RFC 9106's "second recommended", low-memory
    # profile, and argon2-cffi's default). The OWASP Password Storage Cheat Sheet asks for at least
    # m=19 MiB, t=2, p=1 (or an equivalent trade: m=46 MiB t=1, m=12 MiB t=3, m=9 MiB t=4, m=7 MiB
    # t=5, all with p=1). These values are above that floor on memory and on passes, and a check
    # still takes about 0.15 s on a 2-core server: no reason to go down to the minimum. Memory is
    # 64 MiB per password check in progress (a sync gunicorn worker runs one at a time). Hashes
    # made with other values are upgraded at the next login.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536  # KiB
    ARGON2_PARALLELISM = 4
    # Login throttling, shared by every worker through the login_failures table: an account
    # (normalised email, known or not) or an address is refused (429) once it has this many failures
    # within LOGIN_FAILURE_WINDOW. A successful login clears the account's failures. 0 disables a limit.
    # Behind a reverse proxy, the address is the proxy's unless the app trusts X-Forwarded-For.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    # Two-factor login: coordinators must enable it before anything else (off by default).
    REQUIRE_2FA_FOR_COORDINATORS = False
    # Time allowed between the password step and the code step of a two-factor login.
    LOGIN_SECOND_STEP_TIMEOUT = timedelta(minutes=5)
    # Issuer shown by authenticator applications next to the account.
    TOTP_ISSUER = "Passerelle"
    # Login sessions end after this long without a request (not for "rester connecté" sessions,
    # which the absolute limit below bounds)...
    SESSION_IDLE_TIMEOUT = timedelta(hours=8)
    # ...and, whatever the activity, this long after the login (REMEMBER_COOKIE_DURATION for
    # "rester connecté").
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    # Form tokens live as long as the session they are bound to (whose timeouts above bound
    # them): Flask-WTF's default hour refused the save of a partner who wrote for longer, and
    # without JavaScript the text was lost.
    WTF_CSRF_TIME_LIMIT = None
    # How long an invitation link stays valid.
    INVITATION_VALIDITY = timedelta(days=7)
    # Largest accepted request body (bytes); the upload routes take ATTACHMENT_MAX_BYTES instead.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Attachments: largest file (bytes), largest photo (pixels, checked before decoding; PNG
    # and WebP at most attachments.images.WHOLE_DECODE_MAX_PIXELS), and
    # largest uncompressed content of an office document (they are ZIP archives).
    ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    # Optional e-mail (README « E-mail »): smtp://user:password@host:587 (STARTTLS) or
    # smtps://…:465 (TLS from the start); empty: no e-mail, links are passed by hand.
    MAIL_URL = ""
    MAIL_FROM = ""
    BASE_URL = ""  # https://wiki.example.org: absolute links in e-mails
    ATTACHMENT_MAX_PIXELS = 40_000_000
    ATTACHMENT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
    # Bounds on user input.
    MAX_TITLE_LENGTH = 200
    MAX_BODY_LENGTH = 200_000
    MAX_SUMMARY_LENGTH = 300
    # French stemming: "snowball" (full) or "light" (plurals and feminines only); see bench/.
    SEARCH_STEMMER = "light"
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust
    # (WIKI_PROXIES): login throttling and the audit log then see the real client address.
    PROXIES = 0
    # The path the wiki is served under ("" at the root, "/wiki" behind a proxy that mounts it
    # there): from configuration only, never from a request (see security.FixedMountPoint).
    SCRIPT_NAME = ""
    # Each process re-reads the change feed this often (seconds; 0: only on saves and searches).
    SEARCH_CATCH_UP_INTERVAL = 2
    # Items per page in listings.
    PER_PAGE = 30
    # Cookies: never readable from scripts, not sent on cross-site POSTs.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # Served over HTTPS (WIKI_HTTPS=1 sets the three): cookies only over HTTPS, and
    # Strict-Transport-Security. Off by default so a plain-HTTP test install still works.
    HTTPS = False
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


# Variables whose name is not WIKI_ + the key, and those read as plain text (never as JSON:
# a secret or a path that happens to look like a number stays a string).
ENVIRONMENT = {
    "WIKI_DATA_DIR": "DATA_DIR",
    "WIKI_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "WIKI_SECRET_KEY": "SECRET_KEY",
    "WIKI_SEARCH_INDEX_DIR": "SEARCH_INDEX_DIR",
    "WIKI_UPLOADS_DIR": "UPLOADS_DIR",
    "WIKI_MAIL_URL": "MAIL_URL",
    "WIKI_MAIL_FROM": "MAIL_FROM",
    "WIKI_BASE_URL": "BASE_URL",
}


def read_dotenv() -> None:
    """`.env` in the working directory, as the `flask` command reads it (gunicorn does not):
    its variables never replace those of the environment; FLASK_SKIP_DOTENV=1 skips it."""
    path = Path.cwd() / ".env"
    if path.is_file() and os.environ.get("FLASK_SKIP_DOTENV", "").lower() not in ("1", "true", "yes"):
        load_dotenv(path, override=False)


def data_dir_from(overrides: dict) -> Path:
    """The data folder must be known before the app exists (it is the instance path)."""
    raw = overrides.get("DATA_DIR") or os.environ.get("WIKI_DATA_DIR") or Defaults.DATA_DIR
    path = Path(raw).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


# Flags: "1" (or "true", "yes", "on") sets every listed key to True, "0" (or "false", ...) to False.
ENVIRONMENT_FLAGS = {
    "WIKI_HTTPS": ("HTTPS", "SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"),
}


def load_environment(config) -> None:
    """Every setting from WIKI_<KEY> (Flask's from_prefixed_env: values that parse as JSON are
    numbers, booleans or lists; durations are given in seconds), then the named variables."""
    config.from_prefixed_env("WIKI")
    for key, default in vars(Defaults).items():
        if isinstance(default, timedelta) and isinstance(config.get(key), (int, float)) \
                and not isinstance(config.get(key), bool):
            config[key] = timedelta(seconds=config[key])
    for env_name, key in ENVIRONMENT.items():
        if os.environ.get(env_name):
            config[key] = os.environ[env_name]
    for env_name, keys in ENVIRONMENT_FLAGS.items():
        value = os.environ.get(env_name, "").strip().lower()
        if value in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            for key in keys:
                config[key] = value in ("1", "true", "yes", "on")


def fill_derived(config, data_dir: Path) -> None:
    """Point the empty defaults into the data folder."""
    config["DATA_DIR"] = str(data_dir)
    if not config["SQLALCHEMY_DATABASE_URI"]:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{data_dir / 'wiki.sqlite'}"
    if not config["SEARCH_INDEX_DIR"]:
        config["SEARCH_INDEX_DIR"] = str(data_dir / "search-index")
    if not config["UPLOADS_DIR"]:
        config["UPLOADS_DIR"] = str(data_dir / "uploads")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = stored_secret_key(data_dir)


def stored_secret_key(data_dir: Path) -> str:
    """Read the generated key, creating it once (0600) so every worker shares it."""
    path = data_dir / "secret_key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker created it first
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()
