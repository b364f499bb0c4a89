#!/usr/bin/env python
"""Page speed: what a reader waits for, served by gunicorn, beside a minimal Flask app.

    python bench/pages.py [--sheets 10000] [--seconds 10] [--clients 8] [--workers 2]
                          [--seed 1] [--data DIR] [--keep]

1. Setup (not measured): a temporary data folder (or --data, reused when it already holds
   a wiki made by this script), `flask --app wiki init`, then `--sheets` experience sheets
   written in bulk (the rows the services write: pages, revisions, change feed; text from
   bench/search_corpus.py), its groups and people (a coordinator and 8 contributors per side,
   the measured member), and `flask --app wiki search reindex`.
   About 30 % of the sheets are public, 60 % for members, 10 % for a group.
2. Queries per request, in-process (Flask test client, SQLAlchemy event count): the cost
   a request pays in the database, for each measured address.
3. Load: gunicorn with `--workers` sync workers on 127.0.0.1, then `--clients` threads in a
   closed loop (each sends its next request when the previous answer has arrived; http.client,
   gzip accepted like a browser) for `--seconds` per address: a sheet view (rotating over 100
   readable sheets), the home page, a group page, a search; as a visitor and as a logged-in
   member (logged in through the form, session cookie reused). Each address is first warmed
   up under the same load for 2 s (so every worker has served it), as a running wiki is. The
   same load is applied to a minimal Flask app returning a 5 KB page, on the same gunicorn
   settings, right before each address (both servers stay up): this machine's speed drifts
   during a run, so each ratio compares two measurements taken together.

Prints one table: requests/s, p50 and p95 in ms, server CPU ms per request (gunicorn workers'
user + system time from /proc), and the ratio of each to the minimal app measured with it
(the first line: all the minimal app's runs together).
Targets (issue 14): a sheet view >= 50 % of the minimal app's throughput for a visitor, >= 20 %
for a member; every p95 <= 100 ms with 8 clients at 10,000 sheets. The clients run on the same machine as
the server and share its cores: compare ratios, not absolute figures, across machines.
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import search_corpus as corpus_mod  # noqa: E402  (bench/search_corpus.py)

PY = sys.executable
PASSWORD = "Vitesse-des-pages-2026-bench!"
MEMBER_EMAIL = "awa.traore@bench.example"
SECRET = "bench-pages-secret-key-not-for-production"
MARKER = "bench-pages.json"  # in the data folder: what this script generated there
ROTATION = 100
BATCH = 2000
GROUP_KEYS = ("eau", "sante")  # the member belongs to these groups


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), -(-len(ordered) * q // 100)))
    return ordered[int(rank) - 1]


def environment(data_dir: str) -> dict:
    env = dict(os.environ, WIKI_DATA_DIR=data_dir, WIKI_SECRET_KEY=SECRET, PYTHONPATH=str(ROOT))
    for name in ("WIKI_DATABASE_URL", "http_proxy", "HTTP_PROXY"):
        env.pop(name, None)
    return env


# 1. Data --------------------------------------------------------------------------

def populate(data_dir: str, sheets: int, seed: int) -> dict:
    """Bulk rows, as the services would write them (pages, revisions, page_changes)."""
    from sqlalchemy import insert

    from wiki import create_app
    from wiki.extensions import db
    from wiki.markup import slugify
    from wiki.pages.models import Page, PageChange, Revision

    rng = random.Random(seed)
    corpus = corpus_mod.Corpus(rng)
    app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": SECRET})
    started = time.perf_counter()
    with app.app_context():
        people = corpus_mod.add_groups_and_people(corpus, rng, MEMBER_EMAIL, GROUP_KEYS, PASSWORD)
        authors, side_of, group_ids = people.authors, people.side_of, people.group_ids
        epoch = datetime(2012, 1, 1, tzinfo=timezone.utc)
        span = int((datetime(2025, 6, 30, tzinfo=timezone.utc) - epoch).total_seconds())
        used: set[str] = set()
        pages, revisions, changes = [], [], []
        revision_id = 0
        public, members = [], []

        def flush():
            db.session.execute(insert(Page), pages)
            db.session.execute(insert(Revision), revisions)
            db.session.execute(insert(PageChange), changes)
            db.session.commit()
            pages.clear(), revisions.clear(), changes.clear()

        for page_id in range(1, sheets + 1):
            doc = corpus.sheet()
            author = rng.choice(authors["nord" if rng.random() < 0.55 else "sud"])
            roll = rng.random()
            visibility = "public" if roll < 0.30 else "membres" if roll < 0.90 else "groupe"
            group_id = None
            if visibility == "groupe" or (doc.group_key and rng.random() < 0.3):
                group_id = group_ids.get(doc.group_key or "", rng.choice(list(group_ids.values())))
            status = "validee" if rng.random() < 0.2 else "brouillon" if rng.random() < 0.04 else "publiee"
            created = epoch + timedelta(seconds=rng.randrange(span))
            updated = min(created + timedelta(days=rng.randint(0, 400)), epoch + timedelta(seconds=span))
            base = slugify(doc.title) or "fiche"
            slug, n = base, 1
            while slug in used:  # as pages/services.py::_unique_slug does
                n += 1
                slug = f"{base[:75]}-{n}"
            used.add(slug)
            n_revisions = 1 if rng.random() < 0.75 else 2
            for number in range(1, n_revisions + 1):
                revision_id += 1
                at = created if number == 1 else updated
                revisions.append(dict(id=revision_id, page_id=page_id, number=number,
                                      base_number=number - 1 or None, title=doc.title, body=doc.body,
                                      fields=doc.fields, themes=doc.themes, author_id=author,
                                      author_side=side_of[author],
                                      summary="Création" if number == 1 else "Compléments",
                                      created_at=at, html=None, html_version=None,
                                      visibility=visibility, group_id=group_id))
                changes.append(dict(page_id=page_id, created_at=at))
            pages.append(dict(id=page_id, slug=slug, title=doc.title, kind="fiche", visibility=visibility,
                              group_id=group_id, themes=doc.themes, current_revision_id=revision_id,
                              is_deleted=False, status=status, origin_side=side_of[author],
                              validated_by_id=None, validated_at=None, created_at=created, updated_at=updated))
            if status != "brouillon":
                if visibility == "public":
                    public.append(slug)
                elif visibility == "membres":
                    members.append(slug)
            if len(pages) >= BATCH:
                flush()
                log(f"data: {page_id:,}/{sheets:,} sheets")
        if pages:
            flush()
        info = {"sheets": sheets, "seed": seed, "public": rng.sample(public, min(ROTATION, len(public))),
                "members": rng.sample(members + public, min(ROTATION, len(members + public))),
                "group": slugify(corpus_mod.GROUPS[GROUP_KEYS[0]])}
        db.session.remove()
        db.engine.dispose()
    log(f"data: {sheets:,} sheets in {time.perf_counter() - started:.0f} s")
    return info


def prepare(data_dir: str, sheets: int, seed: int) -> dict:
    marker = Path(data_dir) / MARKER
    env = environment(data_dir)
    # Always: creates the database, or brings a reused one up to the current migrations.
    subprocess.run([PY, "-m", "flask", "--app", "wiki", "init"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if marker.exists():
        info = json.loads(marker.read_text())
        if info["sheets"] == sheets and info["seed"] == seed:
            log(f"reusing the wiki in {data_dir}")
            return info
        sys.exit(f"{data_dir} holds another bench wiki ({info['sheets']} sheets, seed {info['seed']})")
    info = populate(data_dir, sheets, seed)
    started = time.perf_counter()
    subprocess.run([PY, "-m", "flask", "--app", "wiki", "search", "reindex"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    log(f"search index: {time.perf_counter() - started:.0f} s")
    marker.write_text(json.dumps(info))
    return info


# 2. Queries per request (in-process) --------------------------------------------------

def count_queries(data_dir: str, targets: dict[str, list[str]]) -> dict[tuple[str, str], float]:
    """Mean SQL statements per request for each (address label, who)."""
    from sqlalchemy import event

    from wiki import create_app
    from wiki.extensions import db

    app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": SECRET, "SEARCH_CATCH_UP_INTERVAL": 0})
    counter = {"n": 0}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: counter.__setitem__("n", counter["n"] + 1))
    results = {}
    for who in ("visiteur", "membre"):
        client = app.test_client()
        if who == "membre":
            page = client.get("/connexion").text
            token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
            client.post("/connexion", data={"email": MEMBER_EMAIL, "password": PASSWORD, "csrf_token": token})
        for label, paths in targets[who].items():
            sample = paths[:10]
            for path in sample:
                client.get(path)  # warm, as under load (HTML of the revision, fragments, theme list...)
            counter["n"] = 0
            for path in sample:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            results[(label, who)] = counter["n"] / len(sample)
    with app.app_context():
        db.engine.dispose()
    return results


# 3. Load ----------------------------------------------------------------------------

def minimal_app():
    """What a page could cost at best on this machine: Flask returning 5 KB of HTML."""
    from flask import Flask

    app = Flask("minimal")
    page = "<!doctype html><title>x</title>" + "<p>" + "Passerelle, savoirs partagés. " * 166 + "</p>"

    @app.route("/")
    def index():
        return page

    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, app_spec: str, workers: int, env: dict, log_path: Path):
        self.port = free_port()
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--pythonpath",
             f"{ROOT},{BENCH}", "--log-level", "warning", app_spec],
            env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"gunicorn exited; see {log_path}")
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not start; see {log_path}")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the workers so far (Linux /proc): what each request cost
        the server, whatever else the machine was doing."""
        total, tick = 0, os.sysconf("SC_CLK_TCK")
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid:  # ppid: a worker of this master
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


class Client:
    """One keep-alive connection (gunicorn's sync workers close it: http.client reopens)."""

    def __init__(self, port: int, cookie: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html"}
        if cookie:
            self.headers["Cookie"] = cookie

    def get(self, path: str) -> tuple[int, bytes, http.client.HTTPResponse]:
        for attempt in (1, 2):
            try:
                self.connection.request("GET", path, headers=self.headers)
                response = self.connection.getresponse()
                return response.status, response.read(), response
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def post_form(self, path: str, data: dict) -> http.client.HTTPResponse:
        headers = dict(self.headers, **{"Content-Type": "application/x-www-form-urlencoded"})
        self.connection.request("POST", path, body=urllib.parse.urlencode(data), headers=headers)
        response = self.connection.getresponse()
        response.read()
        return response


def log_in(port: int) -> str:
    """The session cookie of the member, logged in through the form as a browser does: the
    redirect after the login is followed and the cookies it sets are kept (the login starts a
    new session; its first page stores the new form-token secret in it. A client that kept the
    login answer's cookie only would have every page store a new secret and send a cookie)."""
    client = Client(port)
    jar: dict[str, str] = {}

    def keep_cookies(response) -> None:
        jar.update(c.split(";", 1)[0].split("=", 1) for c in response.headers.get_all("Set-Cookie") or [])
        client.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())

    status, body, response = client.get("/connexion")
    keep_cookies(response)
    html = gzip.decompress(body).decode() if response.headers.get("Content-Encoding") == "gzip" else body.decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
    response = client.post_form("/connexion", {"email": MEMBER_EMAIL, "password": PASSWORD, "csrf_token": token})
    if response.status != 302:
        raise SystemExit(f"login failed: {response.status}")
    keep_cookies(response)
    status, _, response = client.get(urllib.parse.urlsplit(response.headers["Location"]).path or "/")
    if status != 200:
        raise SystemExit(f"the page after the login answered {status}")
    keep_cookies(response)
    return client.headers["Cookie"]


SHEET_TARGETS = {"visiteur": 50, "membre": 20}  # % of the minimal app's requests/s

@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    bytes: int = 0
    cpu: float = 0.0  # server CPU seconds spent during the run

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / len(self.latencies) if self.latencies else float("nan")

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def ms(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000

    @classmethod
    def pooled(cls, runs: list["Result"]) -> "Result":
        return cls([t for r in runs for t in r.latencies], sum(r.errors for r in runs),
                   sum(r.seconds for r in runs), sum(r.bytes for r in runs), sum(r.cpu for r in runs))


WARM_UP_SECONDS = 2.0


def load(server: Server, paths: list[str], clients: int, seconds: float, cookie: str = "") -> Result:
    """Warm-up under the same load (so that every worker has served every address: a single
    sequential pass often lands on one worker only), then the measured run."""
    closed_loop(server, paths, clients, min(WARM_UP_SECONDS, seconds), cookie)
    return closed_loop(server, paths, clients, seconds, cookie)


def closed_loop(server: Server, paths: list[str], clients: int, seconds: float, cookie: str) -> Result:
    port = server.port
    result = Result()
    lock = threading.Lock()
    start_line = threading.Barrier(clients + 1)

    def run(offset: int) -> None:
        client = Client(port, cookie)
        mine, errors, size = [], 0, 0
        n = offset
        start_line.wait()
        end = time.perf_counter() + seconds
        while True:
            started = time.perf_counter()
            if started >= end:
                break
            try:
                status, body, _ = client.get(paths[n % len(paths)])
                if status != 200:
                    errors += 1
                size += len(body)
            except OSError:
                errors += 1
            mine.append(time.perf_counter() - started)
            n += 1
        with lock:
            result.latencies.extend(mine)
            result.errors += errors
            result.bytes += size

    threads = [threading.Thread(target=run, args=(i * 7,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    cpu_before = server.cpu_seconds()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    result.cpu = server.cpu_seconds() - cpu_before
    return result


# Report ------------------------------------------------------------------------------

def report(args, rows: list[tuple[str, str, Result, float | None, Result]]) -> None:
    print()
    print(f"bench/pages.py — {args.sheets:,} sheets, gunicorn {args.workers} sync workers, {args.clients} clients "
          f"(closed loop, gzip accepted), {args.seconds:g} s per address, {os.cpu_count()} CPUs shared with the "
          "clients")
    head = (f"{'address':<14} {'who':<9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'KB/req':>7} {'SQL/req':>7} "
            f"{'CPU ms':>6} {'err':>4} │ {'min req/s':>9} {'min p50':>7} {'min p95':>7} {'min CPU':>7} │ "
            f"{'req/s %':>7} {'p50 ×':>6} {'p95 ×':>6} {'CPU %':>6}  targets")
    print(head)
    print("─" * len(head))

    def line(label, who, r: Result, queries, minimal: Result):
        ratio = 100 * r.rps / minimal.rps if minimal.rps else float("nan")
        checks = []
        if label != "minimal":
            checks.append("p95 ok" if r.ms(95) <= 100 else "P95 > 100 ms")
            if label == "sheet":
                floor = SHEET_TARGETS[who]
                checks.append("rps ok" if ratio >= floor else f"RPS < {floor} %")
        kb = r.bytes / len(r.latencies) / 1024 if r.latencies else 0
        q = f"{queries:7.1f}" if queries is not None else f"{'':>7}"
        cpu_ratio = 100 * minimal.cpu_ms / r.cpu_ms if r.cpu_ms else float("nan")
        print(f"{label:<14} {who:<9} {r.rps:7.0f} {r.ms(50):7.1f} {r.ms(95):7.1f} {kb:7.1f} {q} {r.cpu_ms:6.2f} "
              f"{r.errors:>4} │ {minimal.rps:9.0f} {minimal.ms(50):7.1f} {minimal.ms(95):7.1f} {minimal.cpu_ms:7.2f} │ "
              f"{ratio:6.1f}% {r.ms(50) / minimal.ms(50):6.1f} {r.ms(95) / minimal.ms(95):6.1f} {cpu_ratio:5.1f}%  "
              f"{', '.join(checks)}")

    minimal = Result.pooled([row[4] for row in rows])
    line("minimal", "-", minimal, None, minimal)
    for label, who, r, queries, paired in rows:
        line(label, who, r, queries, paired)
    print("CPU ms: server (gunicorn workers) CPU time per request; CPU % = the minimal app's CPU ms / this "
          "one's,\nthe throughput ratio the server alone would reach on idle cores (robust to other load).")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sheets", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default="", help="data folder to use (kept; reused when made by this script)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument("--only", default="", help="comma-separated address labels to measure (sheet,home,group,search)")
    args = parser.parse_args(argv)

    data_dir = args.data or tempfile.mkdtemp(prefix="bench-pages-")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    servers: list[Server] = []
    try:
        info = prepare(data_dir, args.sheets, args.seed)
        addresses = {
            "sheet": {"visiteur": [f"/p/{s}" for s in info["public"]],
                      "membre": [f"/p/{s}" for s in info["members"]]},
            "home": {"visiteur": ["/"], "membre": ["/"]},
            "group": {"visiteur": [f"/groupes/{info['group']}"], "membre": [f"/groupes/{info['group']}"]},
            "search": {who: [f"/recherche?q={urllib.parse.quote(q)}" for q in
                             ("forage", "puits Ségou", "formation des femmes", "cantine scolaire", "maraîchage")]
                       for who in ("visiteur", "membre")},
        }
        if args.only:
            addresses = {k: v for k, v in addresses.items() if k in args.only.split(",")}
        targets = {who: {label: paths[who] for label, paths in addresses.items()} for who in ("visiteur", "membre")}
        log("counting SQL statements per request (in-process)")
        queries = count_queries(data_dir, targets)

        env = environment(data_dir)
        log_path = Path(data_dir) / "gunicorn.log"
        minimal_server = Server("pages:minimal_app()", args.workers, env, log_path)
        servers.append(minimal_server)
        server = Server("wiki:create_app()", args.workers, env, log_path)
        servers.append(server)
        cookie = log_in(server.port)
        rows = []
        for label, paths in addresses.items():
            for who in ("visiteur", "membre"):
                log(f"minimal Flask app, then {label} as {who}")
                minimal = load(minimal_server, ["/"], args.clients, args.seconds)
                result = load(server, paths[who], args.clients, args.seconds,
                              cookie if who == "membre" else "")
                rows.append((label, who, result, queries.get((label, who)), minimal))
        report(args, rows)
        return 0
    finally:
        for server in servers:
            server.stop()
        if not args.data and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        elif not args.data:
            log(f"data kept in {data_dir}")


if __name__ == "__main__":
    sys.exit(main())
