"""How documents are scored: Whoosh's BM25F with the probabilistic idf of the BM25 literature
(and of Lucene and SQLite FTS5) in place of Whoosh's log(N / (n + 1)) + 1, which gives a word
found in most documents nearly the weight of a rare one. Members' questions are full of such
words (« quel », « année », « projet »)."""
from __future__ import annotations

from math import log

from whoosh.scoring import BM25F


class Weighting(BM25F):
    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        n, total = parent.doc_frequency(fieldname, text), parent.doc_count_all()
        return log(1 + (total - n + 0.5) / (n + 0.5))
