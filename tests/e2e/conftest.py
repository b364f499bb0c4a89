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
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # gunicorn and flask of the same environment as pytest
DEMO_PASSWORD = "passerelle-demo"
START_TIMEOUT = 30  # seconds for gunicorn to answer
ARTEFACTS = ROOT / "build" / "e2e"  # gitignored


@dataclass
class Server:
    url: str
    data_dir: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (code {process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/connexion", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {url} within {START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server():
    data_dir = Path(tempfile.mkdtemp(prefix="passerelle-e2e-"))
    # Everything in the fresh folder, whatever the developer's environment points at.
    env = {name: value for name, value in os.environ.items()
           if name not in ("WIKI_DATABASE_URL", "WIKI_SEARCH_INDEX_DIR", "WIKI_SECRET_KEY")}
    env["WIKI_DATA_DIR"] = str(data_dir)
    try:
        for command in ("init", "demo"):
            subprocess.run([_tool("flask"), "--app", "wiki", command], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
    except BaseException:
        shutil.rmtree(data_dir, ignore_errors=True)
        raise
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = data_dir / "gunicorn.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen([_tool("gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                                    "--access-logfile", "-", "wiki:create_app()"],
                                   cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(url, process, log)
        yield Server(url=url, data_dir=data_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
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
