"""The weight and speed budget of a sheet, measured from the browser's own network log.

- bytes: the sum of `encodedDataLength` (headers and body as received, i.e. on the wire) of
  every request, from Chromium's DevTools protocol (Network.loadingFinished / loadingFailed);
- time: a 2G link emulated by Network.emulateNetworkConditions (400 ms latency, 250 kbit/s
  down, 100 kbit/s up), first contentful paint and load event from the Performance API.

A "first visit" is a logged-in member with an empty cache (a fresh browser context given the
session cookie), the service worker it installs included (its two scripts, fetched outside the
page's log, are counted from their size on the wire); a "repeat visit" comes back to the sheet
in the same context later on. Online, the worker lets pages come from the network, so the
page's log holds them.
The figures are written to build/e2e/budget.json for the record.
"""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from wiki.demo_content import AMINATA, T_WELL
from wiki.markup import slugify

FIRST_VISIT_BYTES = 45 * 1024
REPEAT_VISIT_BYTES = 12 * 1024
SLOW_2G = {"offline": False, "latency": 400, "downloadThroughput": 250_000 / 8, "uploadThroughput": 100_000 / 8}
FIRST_PAINT_S, FIRST_LOAD_S, REPEAT_LOAD_S = 2.5, 3.0, 1.0
SHEET = f"/p/{slugify(T_WELL)}"
ARTEFACTS = Path(__file__).resolve().parents[2] / "build" / "e2e"
FIGURES: dict[str, dict] = {}


@pytest.fixture(scope="module", autouse=True)
def record_figures():
    yield
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "budget.json").write_text(json.dumps(FIGURES, indent=2, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def member_state(browser, server):
    """Session cookies of a Sud member, gathered in a throw-away context (its cache is not reused)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url + "/connexion")
        page.fill("input[name=email]", AMINATA)
        page.fill("input[name=password]", "passerelle-demo")
        with page.expect_navigation():
            page.click("form.stacked button[type=submit]")
        assert "/connexion" not in page.url
        return context.storage_state()
    finally:
        context.close()


class NetworkLog:
    """Requests seen by Chromium for one page, with their size on the wire."""

    def __init__(self, context, page):
        self.session = context.new_cdp_session(page)
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.cached: set[str] = set()
        self.session.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        self.session.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.session.on("Network.loadingFinished", lambda e: self.sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        self.session.on("Network.loadingFailed", lambda e: self.sizes.setdefault(e["requestId"], 0))
        self.session.send("Network.enable")

    def emulate(self, conditions: dict) -> None:
        self.session.send("Network.emulateNetworkConditions", conditions)

    def reset(self) -> None:
        self.urls.clear(), self.sizes.clear(), self.cached.clear()

    def settle(self, page) -> None:
        """Wait until every request seen has finished (the protocol's events come a little later)."""
        page.wait_for_load_state("load")
        for _ in range(50):
            if set(self.urls) <= set(self.sizes):
                return
            page.wait_for_timeout(100)

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def table(self) -> list[tuple[str, int]]:
        return [(self.urls.get(rid, "?"), size) for rid, size in self.sizes.items()]

    def close(self) -> None:
        self.session.detach()


def wire_size(url: str) -> int:
    """Bytes of a response as sent (gzip accepted): what the service worker's own scripts cost,
    which Chromium fetches for the worker, outside the page's network log."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        body = response.read()  # urllib does not decompress: these are the bytes on the wire
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + sum(
            len(name) + len(value) + 4 for name, value in response.getheaders()) + 2
    return head + len(body)


def timings(page) -> dict:
    return page.evaluate("""() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const nav = performance.getEntriesByType('navigation')[0];
        return {fcp: paint ? paint.startTime / 1000 : null, load: nav.loadEventEnd / 1000,
                html_bytes: nav.encodedBodySize};
    }""")


def visit(page, log: NetworkLog, url: str) -> None:
    log.reset()
    page.goto(url, wait_until="load")
    log.settle(page)


def _other_hosts(log: NetworkLog, base: str) -> list[str]:
    ours = urlsplit(base).netloc
    return [url for url in log.urls.values() if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).netloc != ours]


def test_sheet_bytes_on_the_wire(browser, server, member_state):
    context = browser.new_context(storage_state=member_state, viewport={"width": 360, "height": 740},
                                  locale="fr-FR")
    try:
        page = context.new_page()
        log = NetworkLog(context, page)
        visit(page, log, server.url + SHEET)
        assert page.locator("h1").inner_text() == T_WELL  # really the sheet, not the login page
        assert page.locator("#nouvelles .news-item").count() >= 2  # with its news timeline
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # installed on this first visit
        worker = [(server.url + path, wire_size(server.url + path)) for path in ("/sw.js", "/static/js/outbox-core.js")]
        first, first_table = log.total + sum(size for _url, size in worker), log.table() + worker
        foreign = _other_hosts(log, server.url)

        page.goto(server.url + "/")  # elsewhere in the wiki, then back to the sheet
        visit(page, log, server.url + SHEET)
        repeat, repeat_table = log.total, log.table()
        foreign += _other_hosts(log, server.url)
        log.close()
    finally:
        context.close()
    FIGURES["bytes"] = {"first_visit": first, "repeat_visit": repeat,
                        "first_requests": first_table, "repeat_requests": repeat_table}
    print(f"\nsheet on the wire: first visit {first} B, repeat visit {repeat} B")
    assert not foreign, f"requests to other hosts: {foreign}"
    assert first <= FIRST_VISIT_BYTES, f"first visit: {first} B > {FIRST_VISIT_BYTES} B: {first_table}"
    assert repeat <= REPEAT_VISIT_BYTES, f"repeat visit: {repeat} B > {REPEAT_VISIT_BYTES} B: {repeat_table}"


def test_sheet_on_a_2g_link(browser, server, member_state):
    context = browser.new_context(storage_state=member_state, viewport={"width": 360, "height": 740},
                                  locale="fr-FR")
    try:
        page = context.new_page()
        log = NetworkLog(context, page)
        log.emulate(SLOW_2G)
        visit(page, log, server.url + SHEET)
        assert page.locator("h1").inner_text() == T_WELL
        first = timings(page)
        page.goto(server.url + "/")
        visit(page, log, server.url + SHEET)
        repeat = timings(page)
        log.close()
    finally:
        context.close()
    FIGURES["2g"] = {"first_visit": first, "repeat_visit": repeat}
    print(f"\nsheet on 2G: first visit {first}, repeat visit {repeat}")
    assert first["fcp"] is not None and first["fcp"] <= FIRST_PAINT_S, f"first visit: {first}"
    assert first["load"] <= FIRST_LOAD_S, f"first visit: {first}"
    assert repeat["load"] <= REPEAT_LOAD_S, f"repeat visit: {repeat}"
