"""Browser tests: the app served by gunicorn on 127.0.0.1, driven through Debian's chromium.

One server per session, on a fresh data folder loaded with the demo content (`flask --app
wiki init` then `flask --app wiki demo`, as `./dev serve` does). Playwright drives the
system's chromium (`./dev test` installs the apt package): no browser is ever downloaded.

Fixtures: `server` (.url, .data_dir), `browser`, `context` (1280x800, fr-FR), `page`, and
`login(page, email, password="passerelle-demo")` which goes through the real login form.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from databases import ON_POSTGRESQL, fresh_database
from playwright.sync_api import sync_playwright
from servers import flask, gunicorn

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "passerelle-demo"
ARTEFACTS = ROOT / "build" / "e2e"  # gitignored


@dataclass
class Server:
    url: str
    data_dir: Path


@pytest.fixture
def database():
    """The browser tests share the session's server and its database (see `server`)."""


@pytest.fixture(scope="session")
def server():
    with ExitStack() as stack:
        database_url = stack.enter_context(fresh_database("server")) if ON_POSTGRESQL else None
        yield from _serve(database_url)


def _serve(database_url: str | None):
    data_dir = Path(tempfile.mkdtemp(prefix="passerelle-e2e-"))
    # Everything in the fresh folder (and its own database), whatever the developer's environment points at.
    env = {name: value for name, value in os.environ.items()
           if name not in ("WIKI_DATABASE_URL", "WIKI_SEARCH_INDEX_DIR", "WIKI_SECRET_KEY")}
    env["WIKI_DATA_DIR"] = str(data_dir)
    if database_url:
        env["WIKI_DATABASE_URL"] = database_url
    try:
        for command in ("init", "demo"):
            flask(command, env)
    except BaseException:
        shutil.rmtree(data_dir, ignore_errors=True)
        raise
    log = data_dir / "gunicorn.log"
    try:
        with gunicorn(env, log) as url:
            yield Server(url=url, data_dir=data_dir)
    finally:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)  # the server's log, kept for a failed run
        shutil.copyfile(log, ARTEFACTS / "gunicorn.log")
        shutil.rmtree(data_dir, ignore_errors=True)


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise RuntimeError("Debian's chromium is missing: `./dev test` installs it (apt-get install chromium).")
    return path


@pytest.fixture(scope="session")
def playwright():
    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
    yield browser
    browser.close()


CONTEXT_OPTIONS = dict(viewport={"width": 1280, "height": 800}, locale="fr-FR")


@pytest.fixture
def context(browser):
    context = browser.new_context(**CONTEXT_OPTIONS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def log_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base_url + "/connexion")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert "/connexion" not in page.url, f"login failed for {email}: still on {page.url}"


@pytest.fixture
def login(server):
    """login(page, email, password="passerelle-demo"): through the real form, waits for the redirect."""
    def do_login(page, email: str, password: str = DEMO_PASSWORD) -> None:
        log_in(page, server.url, email, password)
    return do_login


@pytest.fixture
def write_sheet(server):
    """write_sheet(page, title, region="Ségou", theme="Eau et assainissement", **fields) → the sheet's URL.

    Fills the new-sheet form of a logged-in page (title, one theme, the region, then any text
    field by its key, e.g. regard_nord="…") and saves it."""
    def write(page, title: str, *, region: str = "Ségou", theme: str = "Eau et assainissement", **fields) -> str:
        page.goto(server.url + "/fiches/nouvelle")
        page.fill("#title", title)
        page.get_by_label(theme, exact=True).check()
        page.select_option("#region", region)
        for key, value in fields.items():
            page.fill(f"#{key}", value)
        with page.expect_navigation():
            page.click("form.sheet-form .form-actions button[type=submit]")
        assert "/p/" in page.url, f"the sheet was not saved: {page.url}"
        return page.url
    return write


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js from the npm registry (pinned, integrity-checked, cached in .cache/)."""
    from axe import load_axe_source

    return load_axe_source()
