#!/usr/bin/env python
"""Search quality bench: Passerelle's search against a plain SQLite FTS5 baseline.

    python bench/search_quality.py [--all] [--k 5] [--data bench/data/search_eval.json]

Builds a fresh app in a temporary folder, creates a member and the experience sheets of
bench/data/search_eval.json through the normal services (visibility "membres"), runs every
query through wiki.search.search_readable as that member, and scores the top k:

- recall@k: relevant sheets (grade >= 1) found in the top k / all relevant sheets;
- MRR@k: 1 / rank of the first relevant sheet in the top k (0 when none);
- nDCG@k: gains are the grades (2 = exactly what is sought, 1 = related), discount
  1 / log2(rank + 1), divided by the DCG of the grades sorted best first.

The same data goes into an in-memory SQLite FTS5 table (title, body), body being the sheet's
text and the text of its fields (partners included), tokenizer unicode61 with diacritics
removed, ranked by bm25(); each query becomes its words, quoted, joined by OR.

Prints a metric table, then one block per query where Passerelle's nDCG@k < 0.5 (all queries
with --all). Always exits 0 and removes its temporary folder. No network, no extra dependency.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path
from wiki.policy import SYSTEM

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT / "bench" / "data" / "search_eval.json"
PASSWORD = "banc-d-essai-recherche"


# Metrics ------------------------------------------------------------------------

def recall_at(ranked: list[str], grades: dict[str, int], k: int) -> float:
    relevant = {d for d, g in grades.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def rr_at(ranked: list[str], grades: dict[str, int], k: int) -> float:
    for rank, doc in enumerate(ranked[:k], start=1):
        if grades.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int) -> float:
    dcg = sum(grades.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranked[:k], start=1))
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def score(ranked: list[str], grades: dict[str, int], k: int) -> dict[str, float]:
    return {"recall": recall_at(ranked, grades, k), "mrr": rr_at(ranked, grades, k),
            "ndcg": ndcg_at(ranked, grades, k)}


# Data ---------------------------------------------------------------------------

def load(path: Path) -> tuple[list[dict], list[dict]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    sheets, queries = data["sheets"], data["queries"]
    ids = {s["id"] for s in sheets}
    for q in queries:
        unknown = set(q["relevant"]) - ids
        if unknown:
            raise ValueError(f"query {q['id']} grades unknown sheets: {sorted(unknown)}")
    return sheets, queries


def sheet_text(sheet: dict) -> str:
    """The sheet's free text and the text of its fields (partner lists included, years left out)."""
    parts = [sheet.get("body", "")]
    for value in sheet.get("fields", {}).values():
        if isinstance(value, list):
            parts.append(" ; ".join(value))
        elif isinstance(value, str):
            parts.append(value)
    return "\n".join(p for p in parts if p)


# Passerelle ---------------------------------------------------------------------

def run_passerelle(sheets: list[dict], queries: list[dict], tmpdir: str, k: int,
                   stemmer: str = "snowball") -> dict[str, dict]:
    """query id → {"ranked": [sheet ids], "info": flags of the SearchPage}."""
    from wiki import create_app, search
    from wiki.auth.accounts import create_user
    from wiki.extensions import db
    from wiki.pages.services import create_page
    from wiki.search.thesaurus import seed_thesaurus
    from wiki.sheets.themes import seed_themes

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": tmpdir, "SEARCH_STEMMER": stemmer,
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1})
    out: dict[str, dict] = {}
    with app.app_context():
        try:
            db.create_all()
            seed_themes()  # as `flask --app wiki init` does
            seed_thesaurus()
            # An index that exists before the first save: saves then catch up in the foreground.
            search.reindex()
            member = create_user(email="membre@example.org", name="Awa Diarra", side="sud", role="contributeur",
                                 password=PASSWORD, by=SYSTEM)
            sheet_of: dict[int, str] = {}
            for sheet in sheets:
                page = create_page(author=member, title=sheet["title"], body=sheet.get("body", ""), kind="fiche",
                                   visibility="membres", themes=sheet["themes"], fields=sheet["fields"])
                sheet_of[page.id] = sheet["id"]
            _wait_for_index(search, member, len(sheets))
            for q in queries:
                result, pairs = search.search_readable(member, q["query"], filters={}, page=1, per_page=20)
                info = {name: getattr(result, name) for name in ("total", "used_or", "complete", "suggestion",
                                                                  "corrected_from")
                        if getattr(result, name, None) not in (None, False)}
                out[q["id"]] = {"ranked": [sheet_of.get(page.id, f"page{page.id}") for page, _hit in pairs][:k],
                                "info": info}
        finally:
            db.session.remove()
            db.engine.dispose()
    return out


def _wait_for_index(search, member, expected: int) -> None:
    """Make sure every sheet is in the index before measuring (the index catches up by itself)."""
    for _attempt in range(20):
        search.catch_up()
        result, _pairs = search.search_readable(member, "", filters={}, page=1, per_page=1)
        if result.total >= expected and getattr(result, "complete", True):
            return
        time.sleep(0.25)
    print(f"warning: the index holds {result.total} of {expected} sheets; scores may be low", file=sys.stderr)


# FTS5 baseline ------------------------------------------------------------------

def fts5_query(text: str) -> str:
    return " OR ".join('"' + word.replace('"', '""') + '"' for word in text.split())


def run_fts5(sheets: list[dict], queries: list[dict], k: int) -> dict[str, dict]:
    con = sqlite3.connect(":memory:")
    try:
        con.execute('CREATE VIRTUAL TABLE sheets USING fts5(title, body, tokenize="unicode61 remove_diacritics 2")')
        con.executemany("INSERT INTO sheets(rowid, title, body) VALUES (?, ?, ?)",
                        [(n, s["title"], sheet_text(s)) for n, s in enumerate(sheets, start=1)])
        out = {}
        for q in queries:
            match = fts5_query(q["query"])
            rows = []
            if match:
                try:
                    rows = con.execute("SELECT rowid FROM sheets WHERE sheets MATCH ? ORDER BY bm25(sheets) LIMIT ?",
                                       (match, k)).fetchall()
                except sqlite3.OperationalError:
                    rows = []
            out[q["id"]] = {"ranked": [sheets[rowid - 1]["id"] for (rowid,) in rows], "info": {}}
        return out
    finally:
        con.close()


# Report -------------------------------------------------------------------------

def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def report(sheets, queries, systems: dict[str, dict], k: int, show_all: bool) -> None:
    title_of = {s["id"]: s["title"] for s in sheets}
    scores = {name: {q["id"]: score(runs[q["id"]]["ranked"], q["relevant"], k) for q in queries}
              for name, runs in systems.items()}
    names = list(systems)
    print(f"Search quality: {len(sheets)} sheets, {len(queries)} queries, top {k}\n")
    header = f"{'metric':<10} | " + " | ".join(f"{n:>10}" for n in names)
    print(header)
    print("-" * len(header))
    for key, label in (("recall", f"recall@{k}"), ("mrr", f"MRR@{k}"), ("ndcg", f"nDCG@{k}")):
        print(f"{label:<10} | " + " | ".join(f"{mean([s[key] for s in scores[n].values()]):>10.3f}" for n in names))
    empty = {n: sum(1 for q in queries if not systems[n][q["id"]]["ranked"]) for n in names}
    print(f"{'no result':<10} | " + " | ".join(f"{empty[n]:>10}" for n in names))

    main = names[0]
    shown = [q for q in queries if show_all or scores[main][q["id"]]["ndcg"] < 0.5]
    shown.sort(key=lambda q: (scores[main][q["id"]]["ndcg"], q["id"]))
    if not shown:
        return
    print(f"\nQueries where {main}'s nDCG@{k} < 0.5 ({len(shown)}), worst first:" if not show_all
          else "\nAll queries, worst first:")
    for q in shown:
        line = "  ".join(f"{n} nDCG {scores[n][q['id']]['ndcg']:.2f}" for n in names)
        print(f"\n{q['id']} «{q['query']}» [{q.get('kind', '')}]  {line}")
        info = systems[main][q["id"]]["info"]
        if info:
            print("   flags:    " + ", ".join(f"{key}={value!r}" for key, value in info.items()))
        expected = sorted(((d, g) for d, g in q["relevant"].items() if g > 0), key=lambda dg: (-dg[1], dg[0]))
        print("   expected: " + "; ".join(f"{d}({g}) {title_of[d]}" for d, g in expected))
        for name in names:
            ranked = systems[name][q["id"]]["ranked"]
            if not ranked:
                print(f"   {name:<10} (no result)")
                continue
            for rank, doc in enumerate(ranked, start=1):
                label = f"{name:<10}" if rank == 1 else " " * 10
                print(f"   {label} {rank}. [{doc}·{q['relevant'].get(doc, 0)}] {title_of.get(doc, doc)}")
        if q.get("note"):
            print(f"   note:     {q['note']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search quality: Passerelle against an FTS5 baseline.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="evaluation set (JSON)")
    parser.add_argument("--k", type=int, default=5, help="cut-off rank (default 5)")
    parser.add_argument("--all", action="store_true", help="print every query, not only the weak ones")
    parser.add_argument("--light", action="store_true",
                        help="also measure the light stemmer (plurals only) beside Snowball")
    args = parser.parse_args(argv)
    tmpdir = tempfile.mkdtemp(prefix="passerelle-search-quality-")
    try:
        sheets, queries = load(args.data)
        started = time.monotonic()
        systems = {"Passerelle": run_passerelle(sheets, queries, tmpdir, args.k)}
        if args.light:
            light_dir = Path(tmpdir) / "light"
            systems["light stem"] = run_passerelle(sheets, queries, str(light_dir), args.k, stemmer="light")
        systems["FTS5"] = run_fts5(sheets, queries, args.k)
        report(sheets, queries, systems, args.k, args.all)
        print(f"\n({time.monotonic() - started:.1f} s)")
    except Exception:
        traceback.print_exc()
        print("search quality bench failed (see above)", file=sys.stderr)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
