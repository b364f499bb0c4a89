#!/usr/bin/env python
"""Search performance bench: indexing speed, query latency, save latency, index size, memory.

    python bench/search.py [--docs 10000] [--queries 200] [--saves 50] [--seed 1]
                           [--profile index|queries|saves] [--corpus DIR] [--keep] [--strict]

1. Data (not measured): in a child process, a fresh app in a temporary folder gets `--docs`
   realistic French documents (bench/search_corpus.py): ~80 % experience sheets with their
   fields, ~20 % plain pages; visibility mostly "membres", some "public", some "groupe" (five
   thematic groups); authors of both sides, 1 to 2 revisions each. Rows (Page, Revision and a
   PageChange per revision, as pages/services.py writes them) are inserted in batches with
   SQLAlchemy: the database load is not what is measured.
2. Bulk indexing: `wiki.search.reindex()`, the code path the app uses to build its index
   (documents from wiki/search/feed.py, written by wiki/search/generations.py).
3. Queries: `--queries` realistic queries (1–4 words, with and without accents, some typos,
   ~35 % narrowed by a facet, some sorted by date, a few facet-only browses) run through
   `wiki.search.search_pages(member, …, page=1, per_page=20)` as a contributor
   who belongs to two groups — catch-up check, permission filter and facet counts included —
   after three warm-up queries.
4. Saves: `--saves` edits through `wiki.pages.services.update_page` (each runs its index
   catch-up after the commit), then one search checks that the last saved text is found.

Prints the command, the corpus, the time of each phase and a table of the figures against the
targets (bulk indexing >= 150 docs/s, so that 100,000 documents index in about ten minutes;
query p95 <= 100 ms at 10,000 documents and <= 250 ms at 100,000; a save p50 <= 150 ms at 10,000). Peak memory is ru_maxrss of the measuring process
(the data generation runs in a child process and is reported apart). The temporary folder is
removed at the end unless --keep. Exit code 0 (1 with --strict when a target is missed, 2 on
error). Needs nothing beyond the project's own dependencies.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import os
import platform
import pstats
import random
import resource
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

import search_corpus as corpus_mod  # noqa: E402  (bench/search_corpus.py)

MEMBER_EMAIL = "awa.traore@bench.example"
# What is known so far, printed if the run is interrupted (SIGTERM, Ctrl-C).
PROGRESS: dict = {"phases": [], "query_ms": [], "save_ms": []}
MEMBER_GROUPS = ("eau", "sante")
BATCH = 2000


def app_config(tmpdir: str) -> dict:
    return {"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": tmpdir, "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def peak_rss_mib(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def rss_now() -> str:
    """Current resident memory, heap (anonymous) apart from mapped index files."""
    try:
        parts = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
                     if line.startswith(("RssAnon", "RssFile")))
        anon, files = (int(parts[k].split()[0]) / 1024 for k in ("RssAnon", "RssFile"))
        return f"anon {anon:,.0f} + files {files:,.0f} MiB"
    except (OSError, KeyError, ValueError):
        return "n/a"


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the index writer's processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), -(-len(ordered) * q // 100)))
    return ordered[int(rank) - 1]


# 1. Data (child process) ------------------------------------------------------------

def populate(tmpdir: str, docs: int, seed: int, stats_path: str) -> None:
    from sqlalchemy import insert

    from wiki import create_app
    from wiki.extensions import db
    from wiki.markup import slugify
    from wiki.pages.models import Page, PageChange, Revision
    from wiki.search.thesaurus import seed_thesaurus
    from wiki.sheets.themes import seed_themes

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is not for the child
    started = time.perf_counter()
    rng = random.Random(seed)
    corpus = corpus_mod.Corpus(rng)
    app = create_app(app_config(tmpdir))
    with app.app_context():
        db.create_all()
        seed_themes()
        seed_thesaurus()
        people = corpus_mod.add_groups_and_people(corpus, rng, MEMBER_EMAIL, MEMBER_GROUPS)
        authors, side_of, group_ids, member_id = people.authors, people.side_of, people.group_ids, people.member_id

        epoch = datetime(2012, 1, 1, tzinfo=timezone.utc)
        span = int((datetime(2025, 6, 30, tzinfo=timezone.utc) - epoch).total_seconds())
        slugs: dict[str, int] = {}
        used: set[str] = set()
        counts = {"fiche": 0, "page": 0, "membres": 0, "public": 0, "groupe": 0, "publiee": 0, "validee": 0,
                  "brouillon": 0, "revisions": 0, "chars": 0}
        revision_id, next_log = 0, max(BATCH, docs // 10)
        pages, revisions, changes = [], [], []

        def flush():
            db.session.execute(insert(Page), pages)
            db.session.execute(insert(Revision), revisions)
            db.session.execute(insert(PageChange), changes)
            db.session.commit()
            pages.clear(), revisions.clear(), changes.clear()

        for page_id in range(1, docs + 1):
            doc = corpus.sheet() if rng.random() < 0.8 else corpus.page()
            origin = "nord" if rng.random() < 0.55 else "sud"
            author = member_id if rng.random() < 0.03 else rng.choice(authors[origin])
            origin = side_of[author]
            roll = rng.random()
            visibility = "membres" if roll < 0.70 else "public" if roll < 0.90 else "groupe"
            group_id = None
            if visibility == "groupe":
                group_id = group_ids[doc.group_key] if doc.group_key else rng.choice(list(group_ids.values()))
            status, validator = "publiee", None
            if doc.kind == "fiche":
                roll = rng.random()
                if roll < 0.20:
                    status = "validee"
                    validator = rng.choice(authors["sud" if origin == "nord" else "nord"])
                elif roll < 0.24:
                    status = "brouillon"
            created = epoch + timedelta(seconds=rng.randrange(span))
            updated = min(created + timedelta(days=rng.randint(0, 400), seconds=rng.randrange(86400)),
                          epoch + timedelta(seconds=span))
            base = slugify(doc.title) or "page"
            n = slugs.get(base, 0)
            slug = base if n == 0 and base not in used else None
            while slug is None or slug in used:  # as pages/services.py::_unique_slug does
                n += 1
                slug = f"{base[:75]}-{n}" if n > 1 else base
            slugs[base] = n
            used.add(slug)
            n_revisions = 1 if rng.random() < 0.75 else 2
            for number in range(1, n_revisions + 1):
                revision_id += 1
                last = number == n_revisions
                fields = dict(doc.fields)
                if not last and doc.kind == "fiche":  # the first version lacked a section or two
                    for key in rng.sample([k for k in fields if k not in ("region", "town_fr", "period_start",
                                                                           "period_end")], 2):
                        fields.pop(key)
                rev_author = author if number == 1 else rng.choice(authors[rng.choice(("nord", "sud"))])
                at = created if number == 1 else updated
                revisions.append(dict(id=revision_id, page_id=page_id, number=number,
                                      base_number=number - 1 or None, title=doc.title, body=doc.body,
                                      fields=fields, themes=doc.themes, author_id=rev_author,
                                      author_side=side_of[rev_author],
                                      summary="Création" if number == 1 else "Compléments",
                                      created_at=at, html=None, html_version=None,
                                      visibility=visibility, group_id=group_id))
                changes.append(dict(page_id=page_id, created_at=at))
            pages.append(dict(id=page_id, slug=slug, title=doc.title, kind=doc.kind, visibility=visibility,
                              group_id=group_id, themes=doc.themes, current_revision_id=revision_id,
                              is_deleted=False, status=status, origin_side=origin, validated_by_id=validator,
                              validated_at=updated if validator else None, created_at=created, updated_at=updated))
            counts[doc.kind] += 1
            counts[visibility] += 1
            counts[status] += 1
            counts["revisions"] += n_revisions
            counts["chars"] += len(doc.title) + len(doc.body) + sum(
                len(v) if isinstance(v, str) else len(" ".join(map(str, v))) if isinstance(v, list) else 4
                for v in doc.fields.values())
            if len(pages) >= BATCH:
                flush()
                if page_id >= next_log:
                    log(f"data: {page_id:,}/{docs:,} documents ({time.perf_counter() - started:.0f} s)")
                    next_log += max(BATCH, docs // 10)
        if pages:
            flush()
        db.session.remove()
        db.engine.dispose()
    counts.update(seconds=time.perf_counter() - started, peak_rss_mib=peak_rss_mib(),
                  authors=sum(len(v) for v in authors.values()) + 1, groups=len(group_ids))
    Path(stats_path).write_text(json.dumps(counts))


# 2–4. Measures (this process) ---------------------------------------------------------

class Profiler:
    """cProfile around one phase when asked (--profile); prints the top functions."""

    def __init__(self, wanted: str | None):
        self.wanted, self.reports = wanted, []

    def run(self, phase: str, fn):
        if self.wanted != phase:
            return fn()
        profile = cProfile.Profile()
        try:
            return profile.runcall(fn)
        finally:
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order)
                stats.print_stats(30)
                self.reports.append(f"--- cProfile of phase «{phase}», top 30 by {order} ---\n"
                                    + out.getvalue().split("\n", 3)[-1])


def measure_indexing(search, feed, docs: int) -> dict:
    """reindex(), with the time spent building documents (database + feed._doc) told apart
    from the time Whoosh spends indexing them and committing."""
    original = feed.rebuild_docs
    split = {"build": 0.0, "docs": 0, "exhausted_at": None}
    step = max(1000, docs // 10)
    started = time.perf_counter()

    def timed_docs():
        source = original()
        while True:
            t = time.perf_counter()
            try:
                doc = next(source)
            except StopIteration:
                split["build"] += time.perf_counter() - t
                split["exhausted_at"] = time.perf_counter()
                return
            split["build"] += time.perf_counter() - t
            split["docs"] += 1
            PROGRESS["indexing"] = (split["docs"], time.perf_counter() - started)
            if split["docs"] % step == 0:
                log(f"indexing: {split['docs']:,} documents read and added "
                    f"({time.perf_counter() - started:.0f} s)")
            yield doc

    feed.rebuild_docs = timed_docs
    try:
        started = time.perf_counter()
        cpu = cpu_seconds()
        count = search.reindex()
        ended = time.perf_counter()
        cpu = cpu_seconds() - cpu
    finally:
        feed.rebuild_docs = original
    total = ended - started
    commit = ended - (split["exhausted_at"] or ended)
    return {"count": count, "seconds": total, "cpu": cpu, "build": split["build"], "commit": commit,
            "whoosh_add": total - split["build"] - commit}


def run_queries(search, scope, specs) -> list[dict]:
    for text, filters in (("forage", {}), ("maternité Ségou", {}), ("", {"themes": "sante"})):  # warm-up
        search.search_pages(scope, text, filters=filters, page=1, per_page=20)
    rows = []
    for n, spec in enumerate(specs, 1):
        t, cpu = time.perf_counter(), time.process_time()
        result = search.search_pages(scope, spec.text, filters=spec.filters, page=1, per_page=20, sort=spec.sort)
        ms = (time.perf_counter() - t) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        PROGRESS["query_ms"].append(ms)
        if n % 25 == 0 or n == len(specs):
            done = PROGRESS["query_ms"]
            log(f"queries: {n}/{len(specs)}, so far p50 {percentile(done, 50):.0f} ms, "
                f"p95 {percentile(done, 95):.0f} ms")
        rows.append({"spec": spec, "ms": ms, "cpu_ms": cpu_ms, "total": result.total,
                     "corrected": result.corrected_from is not None,
                     "complete": result.complete})
    return rows


def run_saves(search, member, count: int, seed: int) -> dict:
    from sqlalchemy import select

    from wiki.extensions import db
    from wiki.pages.models import Page
    from wiki.pages.services import update_page

    rng = random.Random(seed + 2)
    candidates = list(db.session.scalars(select(Page.id).where(Page.visibility.in_(("membres", "public")),
                                                               Page.status != "brouillon",
                                                               Page.is_deleted.is_(False)).order_by(Page.id)))
    chosen = rng.sample(candidates, min(count, len(candidates)))
    original_catch_up = search.catch_up
    catch_up_ms: list[float] = []

    def timed_catch_up(*args, **kwargs):
        t = time.perf_counter()
        try:
            return original_catch_up(*args, **kwargs)
        finally:
            catch_up_ms.append((time.perf_counter() - t) * 1000)

    save_ms, save_cpu_ms, codes = [], [], []
    search.catch_up = timed_catch_up  # wiki.pages.services calls search.catch_up after each commit
    try:
        for n, page_id in enumerate(chosen):
            page = db.session.get(Page, page_id)
            current = page.current
            code = f"BANC{seed}X{n:03d}"
            codes.append((page_id, code))
            sentence = (f"Mise à jour {n + 1} : la réunion bilan avec les partenaires a eu lieu, "
                        f"dossier {code}, la caisse d'entretien est à jour.")
            fields = dict(current.fields or {})
            body = current.body
            if page.kind == "fiche":
                fields["results"] = (fields.get("results", "") + " " + sentence).strip()
            else:
                body = (body + "\n\n" + sentence).strip()
            t, cpu = time.perf_counter(), time.process_time()
            update_page(page, author=member, base_revision=current.number, title=current.title, body=body,
                        fields=fields if page.kind == "fiche" else None, summary="Bilan annuel")
            save_ms.append((time.perf_counter() - t) * 1000)
            save_cpu_ms.append((time.process_time() - cpu) * 1000)
            PROGRESS["save_ms"].append(save_ms[-1])
            if (n + 1) % 10 == 0:
                log(f"saves: {n + 1}/{len(chosen)}, so far p50 {percentile(save_ms, 50):.0f} ms; "
                    f"peak RSS {peak_rss_mib():,.0f} MiB")
    finally:
        search.catch_up = original_catch_up
    # Is the last save findable at once?
    last_id, last_code = codes[-1]
    t = time.perf_counter()
    result = search.search_pages(member, last_code.lower(), page=1, per_page=20)
    check_ms = (time.perf_counter() - t) * 1000
    found = any(hit.page_id == last_id for hit in result.hits)
    return {"ms": save_ms, "cpu_ms": save_cpu_ms, "catch_up_ms": catch_up_ms, "found": found, "check_ms": check_ms,
            "check_query": last_code.lower(), "check_page": last_id, "check_total": result.total}


def measure(tmpdir: str, args, profiler: Profiler) -> dict:
    from sqlalchemy import select

    from wiki import create_app, search
    from wiki.auth.models import User
    from wiki.extensions import db
    from wiki.groups.models import GroupMember
    from wiki.search import feed

    app = create_app(app_config(tmpdir))
    out: dict = {"index_dir": Path(app.config["SEARCH_INDEX_DIR"]), "stemmer": app.config.get("SEARCH_STEMMER", "")}
    with app.app_context():
        try:
            member = db.session.scalar(select(User).where(User.email == MEMBER_EMAIL))
            member_groups = sorted(db.session.scalars(select(GroupMember.group_id)
                                                      .where(GroupMember.user_id == member.id)))
            scope = member
            rss_before = peak_rss_mib()

            log(f"indexing {args.docs:,} documents with wiki.search.reindex() …")
            out["index"] = profiler.run("index", lambda: measure_indexing(search, feed, args.docs))
            out["rss_after_index"] = peak_rss_mib()
            out["rss_now_index"] = rss_now()
            out["index_bytes"] = folder_bytes(out["index_dir"])
            ix = out["index"]
            PROGRESS["phases"].append(f"indexing {ix['seconds']:.1f} s ({ix['count'] / ix['seconds']:,.0f} docs/s; "
                                      f"index {mib(out['index_bytes'])}; peak RSS {out['rss_after_index']:,.0f} MiB)")
            log(f"indexed {ix['count']:,} documents in {ix['seconds']:.1f} s = {ix['count'] / ix['seconds']:,.0f} "
                f"docs/s; split: documents {ix['build']:.1f} s, Whoosh add {ix['whoosh_add']:.1f} s, "
                f"commit {ix['commit']:.1f} s; index {mib(out['index_bytes'])}")

            specs = corpus_mod.make_queries(random.Random(args.seed + 1), args.queries, member_groups)
            log(f"running {len(specs)} queries …")
            t = time.perf_counter()
            out["queries"] = profiler.run("queries", lambda: run_queries(search, scope, specs))
            out["queries_seconds"] = time.perf_counter() - t
            out["rss_after_queries"] = peak_rss_mib()
            out["rss_now_queries"] = rss_now()
            PROGRESS["phases"].append(f"{len(specs)} queries {out['queries_seconds']:.1f} s "
                                      f"(peak RSS {out['rss_after_queries']:,.0f} MiB)")

            if args.saves:
                log(f"{args.saves} saves through update_page …")
                t = time.perf_counter()
                out["saves"] = profiler.run("saves", lambda: run_saves(search, member, args.saves, args.seed))
                out["saves_seconds"] = time.perf_counter() - t
                out["rss_after_saves"] = peak_rss_mib()
                out["rss_now_saves"] = rss_now()
            out["index_bytes_end"] = folder_bytes(out["index_dir"])
            out["rss_before_index"] = rss_before
            out["rss_peak"] = peak_rss_mib()
            out["db_bytes"] = sum(p.stat().st_size for p in Path(tmpdir).glob("wiki.sqlite*"))
        finally:
            db.session.remove()
            db.engine.dispose()
    return out


# Report ---------------------------------------------------------------------------

def environment(stemmer: str) -> str:
    import sqlalchemy
    import whoosh
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "wiki"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        code = f"git {rev}" + (" + uncommitted changes under wiki/" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        code = "unknown"
    return (f"machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python "
            f"{platform.python_version()}, Whoosh {whoosh.versionstring()}, SQLAlchemy {sqlalchemy.__version__}, "
            f"SQLite {sqlite3.sqlite_version}; load average {os.getloadavg()[0]:.2f} at the end\n"
            f"code:    {code}; SEARCH_STEMMER={stemmer}")


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def report(args, argv, data: dict, out: dict, profiler: Profiler) -> bool:
    docs = args.docs
    p95_target = 100 if docs <= 10_000 else 250
    print("Passerelle search bench")
    print(f"command: python bench/search.py {' '.join(shlex.quote(a) for a in argv)}".rstrip())
    print(environment(out["stemmer"]))
    n = data["fiche"] + data["page"]
    print(f"corpus:  {n:,} documents: {data['fiche']:,} sheets, {data['page']:,} pages; visibility membres "
          f"{data['membres'] / n:.0%}, public {data['public'] / n:.0%}, groupe {data['groupe'] / n:.0%} "
          f"({data['groups']} groups);\n         status publiée {data['publiee']:,}, validée {data['validee']:,}, "
          f"brouillon {data['brouillon']:,}; {data['chars'] / n:,.0f} characters per document on average; "
          f"{data['revisions']:,} revisions; {data['authors']} authors")
    ix = out["index"]
    phases = [f"data generation {data['seconds']:.1f} s (not measured)",
              f"indexing {ix['seconds']:.1f} s (CPU {ix['cpu']:.1f} s)",
              f"{len(out['queries'])} queries {out['queries_seconds']:.1f} s"]
    if "saves" in out:
        phases.append(f"{len(out['saves']['ms'])} saves {out['saves_seconds']:.1f} s")
    print("phases:  " + ", ".join(phases))
    print(f"indexing split: building documents from the database (feed.rebuild_docs) {ix['build']:.1f} s "
          f"({ix['build'] / ix['seconds']:.0%}), Whoosh add_document {ix['whoosh_add']:.1f} s "
          f"({ix['whoosh_add'] / ix['seconds']:.0%}), Whoosh commit/merge {ix['commit']:.1f} s "
          f"({ix['commit'] / ix['seconds']:.0%})")

    rows: list[tuple[str, str, str, str]] = []
    met_all = True

    def row(name, value, target="", ok=None):
        nonlocal met_all
        if ok is False:
            met_all = False
        rows.append((name, value, target, "" if ok is None else ("yes" if ok else "NO")))

    rate = ix["count"] / ix["seconds"]
    row("bulk indexing", f"{rate:,.0f} docs/s", ">= 150 docs/s", rate >= 150)
    row("  per CPU second (all its processes)", f"{ix['count'] / ix['cpu']:,.0f} docs/s")
    times = [r["ms"] for r in out["queries"]]
    p50, p95, p99 = (percentile(times, q) for q in (50, 95, 99))
    row("query p50", f"{p50:.1f} ms")
    row("query p95", f"{p95:.1f} ms", f"<= {p95_target} ms at {docs:,}", p95 <= p95_target)
    row("query p99", f"{p99:.1f} ms")
    row("query max", f"{max(times):.1f} ms")
    cpu_times = [r["cpu_ms"] for r in out["queries"]]
    row("query CPU time p50 / p95", f"{percentile(cpu_times, 50):.1f} / {percentile(cpu_times, 95):.1f} ms")
    faceted = [r["ms"] for r in out["queries"] if r["spec"].filters]
    if faceted:
        fp95 = percentile(faceted, 95)
        row(f"query p95, with a facet filter ({len(faceted)})", f"{fp95:.1f} ms", f"<= {p95_target} ms",
            fp95 <= p95_target)
    if "saves" in out:
        saves = out["saves"]
        s50, s95 = percentile(saves["ms"], 50), percentile(saves["ms"], 95)
        note = "" if docs == 10_000 else " (set for 10,000)"
        row("single save p50 (update_page)", f"{s50:.1f} ms", f"<= 150 ms{note}", s50 <= 150)
        row("single save p95", f"{s95:.1f} ms")
        row("  save CPU time p50 / p95", f"{percentile(saves['cpu_ms'], 50):.1f} / "
                                          f"{percentile(saves['cpu_ms'], 95):.1f} ms")
        row("  of which index catch-up, p50", f"{percentile(saves['catch_up_ms'], 50):.1f} ms")
        row("  of which index catch-up, p95", f"{percentile(saves['catch_up_ms'], 95):.1f} ms")
        row("saved text found at once", f"{'yes' if saves['found'] else 'NO'} ({saves['check_ms']:.0f} ms)",
            "found", saves["found"])
    row("index size on disk", mib(out["index_bytes"]))
    if "index_bytes_end" in out and out["index_bytes_end"] != out["index_bytes"]:
        row("index size after the saves", mib(out["index_bytes_end"]))
    row("peak memory (ru_maxrss)", f"{out['rss_peak']:,.0f} MiB")
    row("  before indexing", f"{out['rss_before_index']:,.0f} MiB")
    row("  after indexing", f"{out['rss_after_index']:,.0f} MiB")
    row("  after queries", f"{out['rss_after_queries']:,.0f} MiB")
    if "rss_after_saves" in out:
        row("  after saves", f"{out['rss_after_saves']:,.0f} MiB")
    row("resident now, after indexing", out["rss_now_index"])
    row("resident now, after queries", out["rss_now_queries"])
    if "rss_now_saves" in out:
        row("resident now, after saves", out["rss_now_saves"])
    row("data generation child, peak", f"{data['peak_rss_mib']:,.0f} MiB")
    row("database size (SQLite)", mib(out["db_bytes"]))

    widths = [max(len(r[i]) for r in rows + [("measure", "value", "target", "met")]) for i in range(4)]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    print(line)
    print("| " + " | ".join(h.ljust(w) for h, w in zip(("measure", "value", "target", "met"), widths)) + " |")
    print(line)
    for r in rows:
        print("| " + " | ".join(c.ljust(w) if i != 1 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
              + " |")
    print(line)

    # Queries by kind, then the slowest ones.
    print("\nqueries by kind (a query may have several tags):")
    tags = sorted({t for r in out["queries"] for t in r["spec"].tags})
    print(f"  {'tag':<12} {'count':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'zero hits':>9}")
    for tag in tags + ["all"]:
        sel = [r for r in out["queries"] if tag == "all" or tag in r["spec"].tags]
        ms = [r["ms"] for r in sel]
        print(f"  {tag:<12} {len(sel):>5} {percentile(ms, 50):>8.1f} {percentile(ms, 95):>8.1f} {max(ms):>8.1f} "
              f"{sum(1 for r in sel if r['total'] == 0):>9}")
    corrected = sum(r["corrected"] for r in out["queries"])
    incomplete = sum(not r["complete"] for r in out["queries"])
    print(f"  corrected spelling: {corrected}, marked incomplete: {incomplete}")
    print("\nslowest queries:")
    for r in sorted(out["queries"], key=lambda r: -r["ms"])[:8]:
        spec = r["spec"]
        print(f"  {r['ms']:7.1f} ms  {spec.text!r:<44} filters={spec.filters} sort={spec.sort} "
              f"hits={r['total']}{' corrected' if r['corrected'] else ''}")
    if "saves" in out:
        s = out["saves"]
        print("\nsaves (ms, in order): " + " ".join(f"{v:.0f}" for v in s["ms"]))
        print(f"check: search {s['check_query']!r} as the member → {s['check_total']} hit(s), page "
              f"{s['check_page']} {'found' if s['found'] else 'NOT found'}")
    for text in profiler.reports:
        print("\n" + text)
    print("\nALL TARGETS MET" if met_all else "\nSOME TARGETS MISSED")
    return met_all


def print_partial(argv, exc, elapsed: float) -> None:
    print("Passerelle search bench — INTERRUPTED " f"({exc or 'Ctrl-C'}) after {elapsed:.0f} s")
    print(f"command: python bench/search.py {' '.join(shlex.quote(a) for a in argv)}".rstrip())
    print("completed phases: " + ("; ".join(PROGRESS["phases"]) or "none"))
    if "indexing" in PROGRESS and not any(p.startswith("indexing") for p in PROGRESS["phases"]):
        docs, seconds = PROGRESS["indexing"]
        print(f"indexing in progress: {docs:,} documents read and added in {seconds:.0f} s "
              f"({docs / seconds:,.0f} docs/s so far; Whoosh's final commit/merge not started or not finished)")
    for name, values in (("queries", PROGRESS["query_ms"]), ("saves", PROGRESS["save_ms"])):
        if values:
            print(f"{name} done: {len(values)}; p50 {percentile(values, 50):.1f} ms, p95 "
                  f"{percentile(values, 95):.1f} ms, p99 {percentile(values, 99):.1f} ms, max {max(values):.1f} ms")
    print(f"peak memory so far (ru_maxrss): {peak_rss_mib():,.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description="Search performance bench (see the module docstring).")
    parser.add_argument("--docs", type=int, default=10_000, help="documents to generate (default 10000)")
    parser.add_argument("--queries", type=int, default=200, help="measured queries (default 200)")
    parser.add_argument("--saves", type=int, default=50, help="measured saves (default 50; 0 to skip)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--profile", choices=("index", "queries", "saves"),
                        help="run cProfile around one phase and print the top functions (slows that phase)")
    parser.add_argument("--corpus", type=Path, help="keep the generated database in this folder and reuse it "
                        "(copied for each run) when it holds one for the same --docs and --seed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.docs < 100 or args.queries < 1:
        parser.error("--docs must be >= 100 and --queries >= 1")

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    tmpdir = tempfile.mkdtemp(prefix="passerelle-bench-search-")
    child = None
    started = time.perf_counter()
    try:
        stats_path = os.path.join(tmpdir, "bench-stats.json")
        # Kept per schema: a corpus made before a migration lacks its columns.
        schema = max(path.name.split("_")[0] for path in (ROOT / "migrations" / "versions").glob("[0-9]*.py"))
        corpus = args.corpus / f"docs{args.docs}-seed{args.seed}-schema{schema}" if args.corpus else None
        if corpus is None or not (corpus / "bench-stats.json").exists():
            log(f"data folder {tmpdir}; generating {args.docs:,} documents (child process) …")
            child = multiprocessing.get_context("fork").Process(target=populate,
                                                                 args=(tmpdir, args.docs, args.seed, stats_path))
            child.start()
            child.join()
            if child.exitcode != 0:
                raise RuntimeError(f"data generation failed (exit code {child.exitcode})")
            if corpus is not None:
                corpus.mkdir(parents=True, exist_ok=True)
                for item in [*Path(tmpdir).glob("wiki.sqlite*"), Path(stats_path)]:
                    shutil.copy2(item, corpus / item.name)
        else:
            log(f"data folder {tmpdir}; copying the corpus of {corpus} …")
            for item in corpus.iterdir():
                shutil.copy2(item, os.path.join(tmpdir, item.name))
        data = json.loads(Path(stats_path).read_text())
        log(f"data ready in {data['seconds']:.1f} s")
        PROGRESS["phases"].append(f"data generation {data['seconds']:.1f} s")
        profiler = Profiler(args.profile)
        out = measure(tmpdir, args, profiler)
        met = report(args, argv, data, out, profiler)
        return 0 if met or not args.strict else 1
    except KeyboardInterrupt as exc:
        print_partial(argv, exc, time.perf_counter() - started)
        return 2
    except Exception:
        traceback.print_exc()
        print("search bench failed (see above)", file=sys.stderr)
        return 2
    finally:
        if child is not None and child.is_alive():
            child.terminate()
            child.join()
        if args.keep:
            log(f"kept {tmpdir}")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
