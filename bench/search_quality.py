#!/usr/bin/env python
"""Search quality bench: Passerelle's search against two references, on material it was not
tuned on.

    python bench/search_quality.py [--fr-dev DIR] [--half tune|held-out|all] [--show N]

Two evaluation sets:

- sheets: bench/data/search_eval.json, experience sheets and graded questions written by the
  team. Its queries are split in two halves by their number: odd ones to tune on ("tune"),
  even ones held out ("held-out"); the figures that count are the held-out ones.
- fr_dev: 2,000 French Wikipedia paragraphs and 400 questions from FQuAD's training split
  (../shared/data/fr_dev, or --fr-dev DIR; see its build.py for the licence: evaluation only,
  never shipped). Each question has one relevant paragraph; split in halves as the sheets are.
  Skipped when the folder is missing.

Each set goes through three systems built in the same run:

- Passerelle: a fresh app in a temporary folder, the documents created through the normal
  services (visibility "membres"), queried through wiki.search.search_readable as a member;
- Whoosh: a plain Whoosh index (title, body) with the same French analyzer, Whoosh's default
  BM25F and an OR group of the query's words;
- FTS5: SQLite FTS5 (title, body; unicode61 remove_diacritics 2) ranked by bm25(), each query
  an OR of its words without stop words, each word cut to its first six letters and searched
  as a prefix.

Prints recall@10, MRR@10 and nDCG@5 per set and system, then the `--show` worst queries of
Passerelle on the tuning half. Always exits 0 and removes its temporary folders.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from wiki.policy import SYSTEM  # noqa: E402

DEFAULT_DATA = ROOT / "bench" / "data" / "search_eval.json"
DEFAULT_FR_DEV = ROOT.parent / "shared" / "data" / "fr_dev"
PASSWORD = "banc-d-essai-recherche"
K = 10  # results looked at


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


def score(ranked: list[str], grades: dict[str, int]) -> dict[str, float]:
    return {"recall": recall_at(ranked, grades, 10), "mrr": rr_at(ranked, grades, 10),
            "ndcg": ndcg_at(ranked, grades, 5)}


# Data ---------------------------------------------------------------------------

@dataclass
class EvalSet:
    name: str
    docs: list[dict]  # {"id", "title", "body", "kind", "themes", "fields"}
    queries: list[dict]  # {"id", "query", "relevant": {doc id: grade}}


def load_sheets(path: Path) -> EvalSet:
    data = json.loads(path.read_text(encoding="utf-8"))
    ids = {s["id"] for s in data["sheets"]}
    for q in data["queries"]:
        unknown = set(q["relevant"]) - ids
        if unknown:
            raise ValueError(f"query {q['id']} grades unknown sheets: {sorted(unknown)}")
    docs = [{"id": s["id"], "title": s["title"], "body": s.get("body", ""), "kind": "fiche", "themes": s["themes"],
             "fields": s["fields"]} for s in data["sheets"]]
    return EvalSet("sheets", docs, data["queries"])


def half(queries: list[dict], which: str) -> list[dict]:
    """Odd-numbered queries to tune on, even-numbered ones held out."""
    if which == "all":
        return queries
    odd = which == "tune"
    return [q for q in queries if (int(re.sub(r"\D", "", q["id"]) or 0) % 2 == 1) == odd]


def load_fr_dev(folder: Path) -> EvalSet:
    docs, queries = [], []
    with open(folder / "docs.jsonl", encoding="utf-8") as lines:
        for line in lines:
            d = json.loads(line)
            # Paragraphs of one article share its title; a page title is unique.
            docs.append({"id": d["id"], "title": f"{d['title']} ({d['id'][-3:]})", "body": d["text"], "kind": "page",
                         "themes": [], "fields": {}})
    with open(folder / "queries.jsonl", encoding="utf-8") as lines:
        for n, line in enumerate(lines, start=1):
            q = json.loads(line)
            queries.append({"id": f"f{n:03d}", "query": q["q"], "relevant": {q["doc_id"]: 2}})
    return EvalSet("fr_dev", docs, queries)


def doc_text(doc: dict) -> str:
    """The document's free text and the text of its fields (partner lists included, years left out)."""
    parts = [doc.get("body", "")]
    for value in doc.get("fields", {}).values():
        if isinstance(value, list):
            parts.append(" ; ".join(value))
        elif isinstance(value, str):
            parts.append(value)
    return "\n".join(p for p in parts if p)


# Passerelle ---------------------------------------------------------------------

def run_passerelle(data: EvalSet, tmpdir: str, stemmer: str | None) -> dict[str, list[str]]:
    """query id → ranked document ids."""
    from wiki import create_app, search
    from wiki.auth.accounts import create_user
    from wiki.extensions import db
    from wiki.pages.services import create_page
    from wiki.search.thesaurus import seed_thesaurus
    from wiki.sheets.themes import seed_themes

    config = {"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": tmpdir,
              "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1}
    app = create_app({**config, "SEARCH_STEMMER": stemmer} if stemmer else config)
    out: dict[str, list[str]] = {}
    with app.app_context():
        try:
            db.create_all()
            seed_themes()  # as `flask --app wiki init` does
            seed_thesaurus()
            search.reindex()  # an index before the first save: saves then catch up in the foreground
            member = create_user(email="membre@example.org", name="Awa Diarra", side="sud", role="contributeur",
                                 password=PASSWORD, by=SYSTEM)
            doc_of: dict[int, str] = {}
            for doc in data.docs:
                page = create_page(author=member, title=doc["title"], body=doc["body"], kind=doc["kind"],
                                   visibility="membres", themes=doc["themes"], fields=doc["fields"])
                doc_of[page.id] = doc["id"]
            search.reindex()
            for q in data.queries:
                _result, pairs = search.search_readable(member, q["query"], filters={}, page=1, per_page=K)
                out[q["id"]] = [doc_of.get(page.id, f"page{page.id}") for page, _hit in pairs]
        finally:
            db.session.remove()
            db.engine.dispose()
    return out


# References ---------------------------------------------------------------------

def run_whoosh(data: EvalSet, tmpdir: str) -> dict[str, list[str]]:
    """Plain Whoosh: the same French analyzer, default BM25F, an OR group of the words."""
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser, OrGroup

    from wiki.search.analysis import FrenchAnalyzer

    french = FrenchAnalyzer("snowball")
    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=french), body=TEXT(analyzer=french))
    folder = Path(tmpdir) / "whoosh-reference"
    folder.mkdir()
    ix = index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for doc in data.docs:
            writer.add_document(id=doc["id"], title=doc["title"], body=doc_text(doc))
    parser = MultifieldParser(["title", "body"], schema=schema, group=OrGroup)
    out = {}
    with ix.searcher() as searcher:
        for q in data.queries:
            words = " ".join(re.findall(r"\w+", q["query"]))
            out[q["id"]] = [hit["id"] for hit in searcher.search(parser.parse(words), limit=K)]
    return out


def fts5_query(text: str) -> str:
    from wiki.search.analysis import STOP_WORDS
    from wiki.search.text import fold

    words = [w for w in re.findall(r"\w+", fold(text)) if w not in STOP_WORDS]
    return " OR ".join(f'"{w[:6]}"*' for w in words)


def run_fts5(data: EvalSet) -> dict[str, list[str]]:
    con = sqlite3.connect(":memory:")
    try:
        con.execute('CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize="unicode61 remove_diacritics 2")')
        con.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                        [(n, d["title"], doc_text(d)) for n, d in enumerate(data.docs, start=1)])
        out = {}
        for q in data.queries:
            match, rows = fts5_query(q["query"]), []
            if match:
                rows = con.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                                   (match, K)).fetchall()
            out[q["id"]] = [data.docs[rowid - 1]["id"] for (rowid,) in rows]
        return out
    finally:
        con.close()


# Report -------------------------------------------------------------------------

def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def table(label: str, queries: list[dict], systems: dict[str, dict]) -> dict[str, dict[str, float]]:
    figures = {name: {key: mean([score(ranked[q["id"]], q["relevant"])[key] for q in queries])
                      for key in ("recall", "mrr", "ndcg")} for name, ranked in systems.items()}
    print(f"\n{label} ({len(queries)} queries)")
    header = f"{'':<12} | " + " | ".join(f"{n:>10}" for n in systems)
    print(header)
    print("-" * len(header))
    for key, title in (("recall", "recall@10"), ("mrr", "MRR@10"), ("ndcg", "nDCG@5")):
        print(f"{title:<12} | " + " | ".join(f"{figures[n][key]:>10.3f}" for n in systems))
    return figures


def show_worst(data: EvalSet, queries: list[dict], systems: dict[str, dict], count: int) -> None:
    title_of = {d["id"]: d["title"] for d in data.docs}
    main = next(iter(systems))
    worst = sorted(queries, key=lambda q: (score(systems[main][q["id"]], q["relevant"])["ndcg"], q["id"]))[:count]
    for q in worst:
        line = "  ".join(f"{n} {score(systems[n][q['id']], q['relevant'])['ndcg']:.2f}" for n in systems)
        print(f"\n{q['id']} «{q['query']}»  nDCG@5: {line}")
        expected = sorted(((d, g) for d, g in q["relevant"].items() if g > 0), key=lambda dg: (-dg[1], dg[0]))
        print("   expected: " + "; ".join(f"{d}({g}) {title_of[d]}" for d, g in expected))
        for rank, doc in enumerate(systems[main][q["id"]][:5], start=1):
            print(f"   {rank}. [{doc}·{q['relevant'].get(doc, 0)}] {title_of.get(doc, doc)}")


def evaluate(data: EvalSet, halves: list[tuple[str, list[dict]]], show: int, stemmer: str | None) -> None:
    tmpdir = tempfile.mkdtemp(prefix=f"passerelle-search-quality-{data.name}-")
    try:
        started = time.monotonic()
        systems = {"Passerelle": run_passerelle(data, tmpdir, stemmer), "Whoosh": run_whoosh(data, tmpdir),
                   "FTS5": run_fts5(data)}
        print(f"\n== {data.name}: {len(data.docs)} documents ({time.monotonic() - started:.0f} s)")
        for label, queries in halves:
            table(f"{data.name}, {label}", queries, systems)
        if show:
            show_worst(data, halves[0][1], systems, show)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search quality against plain Whoosh and FTS5 (see the docstring).")
    parser.add_argument("--sheets", type=Path, default=DEFAULT_DATA, help="the sheets set (JSON)")
    parser.add_argument("--fr-dev", type=Path, default=DEFAULT_FR_DEV, help="the fr_dev folder")
    parser.add_argument("--only", choices=("sheets", "fr_dev"), help="run one set only")
    parser.add_argument("--stemmer", choices=("snowball", "light"), help="Passerelle's SEARCH_STEMMER (default: the app's)")
    parser.add_argument("--show", type=int, default=0, help="print this many worst queries of the tuning half")
    args = parser.parse_args(argv)
    try:
        if args.only != "fr_dev":
            sheets = load_sheets(args.sheets)
            evaluate(sheets, [("tuning half", half(sheets.queries, "tune")),
                              ("held-out half", half(sheets.queries, "held-out"))], args.show, args.stemmer)
        if args.only != "sheets":
            if (args.fr_dev / "docs.jsonl").exists():
                fr_dev = load_fr_dev(args.fr_dev)
                evaluate(fr_dev, [("tuning half", half(fr_dev.queries, "tune")),
                                  ("held-out half", half(fr_dev.queries, "held-out")),
                                  ("all questions", fr_dev.queries)], args.show, args.stemmer)
            else:
                print(f"\nfr_dev skipped: no {args.fr_dev / 'docs.jsonl'}")
    except Exception:
        traceback.print_exc()
        print("search quality bench failed (see above)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
