#!/usr/bin/env python
"""Edit storm: many people saving the same pages at once, through gunicorn, over the API.

    python bench/edit_storm.py [--seconds 30] [--clients 8] [--pages 3] [--workers 4]
                               [--readers 1] [--seed 1] [--keep]
                               [--database-url postgresql+psycopg://…/empty_db]

1. Setup (not measured): a temporary data folder, `flask --app wiki init`, one contributor
   per client (Nord and Sud alternately) with `flask --app wiki user add` and an API token
   from `flask --app wiki token create`; then gunicorn with `--workers` sync workers on
   127.0.0.1 (`python -m gunicorn -w 4 -b 127.0.0.1:PORT 'wiki:create_app()'`), and
   `--pages` shared pages created over the API. Each page has one section per client and a
   shared "Journal commun" section at its end.
2. Storm: `--clients` threads (urllib, loopback only, no proxy) save for `--seconds`. A save
   is: GET /api/v1/pages/{slug}, add one line with the client's unique marker
   (`tempete<client>x<n>`), PUT /api/v1/pages/{slug} with `base_revision`. Two saves out of
   three add the line at the end of the client's own section (concurrent saves touch
   different lines: the server merges them), one out of three at the end of the shared
   journal (concurrent saves touch the same place: 409, the client re-reads and tries
   again with the same marker until it is accepted or time is up). `--readers` more threads
   read pages and search meanwhile, to see what the storm costs readers.
3. Checks: every accepted save's marker is in the final text of its page; each page has
   1 + (accepted saves that created a revision) revisions in GET /pages/{slug}/revisions;
   GET /api/v1/search?q=<last marker of the page> finds the page (within 10 s).

Prints a summary table. Exit code 0 when there is no 5xx, no transport error and nothing
lost, else 1 (the tail of gunicorn's log is printed when a 5xx or error happened). gunicorn
is stopped and the temporary folder removed (unless --keep).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PASSWORD = "Tempete-de-modifs-2026-bench!"
MARKER = re.compile(r"\btempete\d+x\d+\b")
JOURNAL = "## Journal commun"
# No proxy, even if http_proxy is set: everything stays on the loopback interface.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of the storm (default 30)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent saving clients (default 8)")
    parser.add_argument("--pages", type=int, default=3, help="shared pages (default 3)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--readers", type=int, default=1, help="threads reading and searching meanwhile (default 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="",
                        help="an empty database to use instead of SQLite in the temporary folder "
                             "(e.g. postgresql+psycopg://wiki@127.0.0.1/storm)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and gunicorn's log")
    return parser.parse_args()


# HTTP ------------------------------------------------------------------------

class Api:
    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}/api/v1"

    def call(self, method: str, path: str, token: str | None = None, body: dict | None = None,
             timeout: float = 60) -> tuple[int, dict | None, float]:
        """(status, JSON answer or None, seconds); status 0 on a transport error."""
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        started = time.perf_counter()
        try:
            with OPENER.open(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (OSError, urllib.error.URLError) as exc:
            return 0, {"error": type(exc).__name__, "message": str(exc)}, time.perf_counter() - started
        elapsed = time.perf_counter() - started
        try:
            return status, json.loads(raw or b"null"), elapsed
        except ValueError:
            return status, None, elapsed


# Setup -----------------------------------------------------------------------

def flask(env: dict, *args: str) -> str:
    result = subprocess.run([PY, "-m", "flask", "--app", "wiki", *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stderr or result.stdout}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_accounts(env: dict, clients: int) -> list[str]:
    """One contributor per client, Nord and Sud alternately; returns their API tokens."""
    def account(n: int) -> str:
        email = f"client{n}@tempete.example"
        flask(env, "user", "add", email, "--name", f"Client {n}", "--side", "nord" if n % 2 == 0 else "sud",
              "--role", "contributeur")
        return flask(env, "token", "create", email).strip().split()[-1]

    with ThreadPoolExecutor(4) as pool:  # the CLI writes concurrently too
        return list(pool.map(account, range(clients)))


def start_gunicorn(env: dict, port: int, workers: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")
    proc = subprocess.Popen([PY, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "wiki:create_app()"],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    api = Api(port)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()[-2000:]}")
        status, _, _ = api.call("GET", "/openapi.json", timeout=5)
        if status == 200:
            return proc
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def initial_body(page_no: int, clients: int) -> str:
    sections = [f"Page partagée n° {page_no + 1}, écrite par tout le monde en même temps.", ""]
    for n in range(clients):
        sections += [f"## Poste {n}", "", f"- ouverture du poste {n}", ""]
    sections += [JOURNAL, "", "- ouverture du journal"]
    return "\n".join(sections) + "\n"


def add_line(body: str, client: int, marker: str, shared: bool) -> str:
    """The body with one more line, at the end of the client's section or of the journal."""
    lines = body.rstrip("\n").split("\n")
    line = f"- {marker} (client {client})"
    if shared:
        return "\n".join([*lines, line]) + "\n"
    start = lines.index(f"## Poste {client}")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return "\n".join([*lines[:end], line, *lines[end:]]) + "\n"


# Storm -----------------------------------------------------------------------

@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)
    accepted: dict = field(default_factory=lambda: defaultdict(list))  # slug -> [(marker, created)]
    uncertain: dict = field(default_factory=lambda: defaultdict(list))  # slug -> markers (transport errors)
    latency: dict = field(default_factory=lambda: defaultdict(list))
    problems: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.counts[key] += n

    def timed(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            if status >= 500:
                self.counts["5xx"] += 1
            elif status == 0:
                self.counts["errors"] += 1

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 10:
                self.problems.append(text)


def saver(api: Api, token: str, client: int, slugs: list[str], deadline: float, seed: int, tally: Tally) -> None:
    rng = Random(seed * 1000 + client)
    n = 0
    while time.monotonic() < deadline:
        slug, marker, shared = rng.choice(slugs), f"tempete{client}x{n}", n % 3 == 2
        n += 1
        while time.monotonic() < deadline:
            status, page, seconds = api.call("GET", f"/pages/{urllib.parse.quote(slug)}", token)
            tally.timed("GET page (saver)", status, seconds)
            if status != 200:
                tally.count("other 4xx" if 400 <= status < 500 else "failed reads")
                tally.problem(f"GET {slug} -> {status} {page}")
                break
            body = add_line(page["body"], client, marker, shared)
            status, answer, seconds = api.call("PUT", f"/pages/{urllib.parse.quote(slug)}", token,
                                               {"body": body, "base_revision": page["revision"], "summary": marker})
            tally.timed("PUT page", status, seconds)
            if status == 200:
                with tally.lock:
                    tally.counts["accepted"] += 1
                    tally.counts["merged"] += bool(answer.get("merged"))
                    tally.counts["unchanged"] += not answer.get("changed")
                    tally.accepted[slug].append((marker, bool(answer.get("changed"))))
                break
            if status == 409:
                tally.count("conflicts (409)")
                continue  # re-read and try again with the same marker
            if status == 0:
                with tally.lock:
                    tally.uncertain[slug].append(marker)  # the server may have saved it
            elif 400 <= status < 500:
                tally.count("other 4xx")
            tally.problem(f"PUT {slug} -> {status} {answer}")
            break


def reader(api: Api, token: str, slugs: list[str], deadline: float, tally: Tally) -> None:
    n = 0
    while time.monotonic() < deadline:
        slug = slugs[n % len(slugs)]
        status, _, seconds = api.call("GET", f"/pages/{urllib.parse.quote(slug)}", token)
        tally.timed("GET page (reader)", status, seconds)
        status, _, seconds = api.call("GET", "/search?q=journal+poste&page=1", token)
        tally.timed("GET search (reader)", status, seconds)
        if status >= 500 or status == 0:
            tally.problem(f"search -> {status}")
        n += 1


# Checks ------------------------------------------------------------------------

def verify(api: Api, token: str, slugs: list[str], tally: Tally) -> list[tuple[str, int, int, int, int, int, str]]:
    """Per page: (slug, accepted, markers found, lost, revisions, revisions expected, search)."""
    rows = []
    for slug in slugs:
        quoted = urllib.parse.quote(slug)
        status, page, _ = api.call("GET", f"/pages/{quoted}", token)
        found = set(MARKER.findall(page["body"])) if status == 200 else set()
        accepted = tally.accepted[slug]
        lost = [m for m, _ in accepted if m not in found]
        status, history, _ = api.call("GET", f"/pages/{quoted}/revisions", token)
        revisions = len(history["revisions"]) if status == 200 else -1
        expected = 1 + sum(created for _, created in accepted)
        uncertain = sum(m in found for m in tally.uncertain[slug])  # saved although the client saw an error
        search = "no save"
        if accepted:
            last = accepted[-1][0]
            search = "not found"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                status, result, _ = api.call("GET", f"/search?q={last}", token)
                if status == 200 and slug in {r["slug"] for r in result["results"]}:
                    search = f"found {last}"
                    break
                time.sleep(0.25)
        rows.append((slug, len(accepted), len(found & {m for m, _ in accepted}), len(lost), revisions,
                     expected + uncertain, search))
    return rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    line = lambda row: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths), *map(line, cells[1:])])


def main() -> int:
    args = parse_args()
    data = Path(tempfile.mkdtemp(prefix="edit-storm-"))
    env = dict(os.environ, WIKI_DATA_DIR=str(data), WIKI_SECRET_KEY=secrets.token_hex(32), WIKI_PASSWORD=PASSWORD)
    env.pop("WIKI_DATABASE_URL", None)
    if args.database_url:
        env["WIKI_DATABASE_URL"] = args.database_url
    proc = None
    log_path = data / "gunicorn.log"
    print(f"$ python bench/edit_storm.py --seconds {args.seconds:g} --clients {args.clients} --pages {args.pages} "
          f"--workers {args.workers} --readers {args.readers} --seed {args.seed}"
          + (f" --database-url {args.database_url}" if args.database_url else ""))
    try:
        started = time.monotonic()
        flask(env, "init")
        tokens = make_accounts(env, args.clients)
        port = free_port()
        proc = start_gunicorn(env, port, args.workers, log_path)
        api = Api(port)
        slugs = []
        for k in range(args.pages):
            status, answer, _ = api.call("POST", "/pages", tokens[0], {
                "title": f"Tempête de modifications {k + 1}", "body": initial_body(k, args.clients),
                "visibility": "membres", "summary": "Création"})
            if status != 201:
                raise RuntimeError(f"POST /pages -> {status} {answer}")
            slugs.append(answer["slug"])
        database = "SQLite in " + str(data) if not args.database_url else args.database_url.split("://")[0]
        print(f"setup: {time.monotonic() - started:.1f} s ({database}, gunicorn -w {args.workers} "
              f"on 127.0.0.1:{port}, {args.clients} contributors, pages: {', '.join(slugs)})")

        tally = Tally()
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=saver, args=(api, tokens[c], c, slugs, deadline, args.seed, tally))
                   for c in range(args.clients)]
        threads += [threading.Thread(target=reader, args=(api, tokens[r % args.clients], slugs, deadline, tally))
                    for r in range(args.readers)]
        storm_started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        storm = time.monotonic() - storm_started
        rows = verify(api, tokens[0], slugs, tally)
    finally:
        stop(proc)
        log = log_path.read_text(errors="replace") if log_path.exists() else ""
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)

    counts = tally.counts
    lost = sum(r[3] for r in rows)
    bad_revisions = sum(r[4] != r[5] for r in rows)
    unsearchable = sum(r[6] == "not found" for r in rows)
    print(f"\nstorm: {storm:.1f} s, {args.clients} clients saving, {args.readers} reading\n")
    outcome = [["accepted saves", counts["accepted"]], ["  of which merged with another save", counts["merged"]],
               ["  of which changed nothing", counts["unchanged"]], ["conflicts (409, re-read and retried)",
               counts["conflicts (409)"]], ["other 4xx", counts["other 4xx"]], ["5xx", counts["5xx"]],
               ["transport errors", counts["errors"]], ["saves lost", lost],
               ["pages with a wrong revision count", bad_revisions], ["pages whose last save is unsearchable",
               unsearchable]]
    print(table(["outcome", "count"], outcome))
    print()
    print(table(["page", "accepted", "markers found", "lost", "revisions", "expected", "search"],
                [list(r) for r in rows]))
    print()
    print(table(["request", "n", "per s", "p50 ms", "p95 ms", "max ms"],
                [[kind, len(v), f"{len(v) / storm:.1f}", f"{statistics.median(v) * 1000:.0f}",
                  f"{percentile(v, 0.95) * 1000:.0f}", f"{max(v) * 1000:.0f}"]
                 for kind, v in sorted(tally.latency.items())]))
    failed = counts["5xx"] or counts["errors"] or lost or bad_revisions or unsearchable or not counts["accepted"]
    if tally.problems:
        print("\nfirst problems seen:\n  " + "\n  ".join(p[:300] for p in tally.problems))
    if counts["5xx"] or counts["errors"]:
        print("\ngunicorn log (tail):\n" + log[-4000:])
    print("\nresult: " + ("FAIL" if failed else "OK: no 5xx, no error, nothing lost"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
