"""BM25F ranking of documents already matched, with Whoosh's formula and statistics but
without its matcher tree.

Whoosh scores by walking a tree of matchers (a word becomes an OR of four fields, a query an
AND of those), several Python calls per document and per node: at 100,000 documents a query
matching thousands of them spent most of its time there. Here each word of a field is read
a block of postings at a time (cached per segment: a segment's postings never change), scored
with a list of length norms, and the tree is summed as dictionaries, only over the matched
documents. Scores are Whoosh's own (tests/test_search.py compares both on the same index).

Phrases are checked the same way (phrase_docs): each word's positions read once, for the
candidate documents only.

Part of the search package's Whoosh side, with whoosh_index.py: it reads the postings, values
and length columns of whoosh's codec (whoosh-reloaded 2.7.5, pinned), with a slower generic
path for any other."""
from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections import OrderedDict

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, Not, NullQuery, Or, Phrase, Require, Term
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length
from whoosh.util.numeric import length_to_byte

POSTINGS_BUDGET = 4_000_000  # postings kept in memory (8 bytes each), least recently used dropped


class Unsupported(Exception):
    """A query kind this ranker does not know: the caller lets Whoosh score it."""


class SegmentPostings:
    """Postings (document numbers and weights) and field length bytes of segments, by segment id.
    Deleted documents are included: callers only ask about documents they know are live."""

    def __init__(self, budget: int = POSTINGS_BUDGET):
        self.budget, self.size = budget, 0
        self._postings: OrderedDict = OrderedDict()
        self._lengths: dict = {}

    def postings(self, leaf, fieldname: str, text: str) -> tuple[array, array]:
        key = (leaf.segment().segment_id(), fieldname, text)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        found = self._postings[key] = read_postings(leaf, fieldname, text)
        self.size += len(found[0])
        while self.size > self.budget and len(self._postings) > 1:
            _, (ids, _) = self._postings.popitem(last=False)
            self.size -= len(ids)
        return found

    def lengths(self, leaf, fieldname: str) -> bytes:
        """The field's length byte of every document of the segment (Whoosh stores lengths as
        one byte, see byte_to_length)."""
        key = (leaf.segment().segment_id(), fieldname)
        found = self._lengths.get(key)
        if found is None:
            if len(self._lengths) > 256:  # segments come and go with merges
                self._lengths.clear()
            found = self._lengths[key] = _read_lengths(leaf, fieldname)
        return found


def read_postings(leaf, fieldname: str, text: str, weights: bool = True) -> tuple[array, array]:
    """The term's document numbers in the segment, deleted ones included, and their weights
    (left empty when `weights` is False)."""
    ids, values = array("I"), array("f")
    if (fieldname, text) not in leaf:
        return ids, values
    matcher = leaf.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):  # the segment's deletions: we want them all
        matcher = matcher.child
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):  # whoosh3 blocks, whole
        while matcher.is_active():
            matcher._read_ids()
            ids.extend(matcher._ids)
            if weights:
                matcher._read_weights()
                values.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            if weights:
                values.append(matcher.weight())
            matcher.next()
    return ids, values


def phrase_docs(leaf, fieldname: str, words: list[str], candidates: int) -> int | None:
    """The documents of `candidates` (a bitmap in the segment's numbering) where `words` follow
    each other in `fieldname`; None when the field keeps no positions. Whoosh's phrase matcher
    walks generic spans, a few Python objects per word and document: this reads each word's
    positions once, for the candidates only, and keeps the possible phrase starts."""
    field_format = leaf.schema[fieldname].format
    if not field_format.supports("positions"):
        return None
    decode = field_format.decode_positions
    wanted = set(_members(candidates))
    starts: dict[int, set[int]] = {}
    for k, word in enumerate(words):
        found = {}
        for d, value in _values_of(leaf, fieldname, word, wanted):
            shifted = {p - k for p in decode(value)}
            if k:
                shifted &= starts[d]
            if shifted:
                found[d] = shifted
        starts, wanted = found, found.keys()
        if not starts:
            return 0
    return bitmap(starts)


def _values_of(leaf, fieldname: str, text: str, wanted):
    """(document, posting value) of the term for the documents in `wanted`."""
    if (fieldname, text) not in leaf:
        return
    matcher = leaf.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if hasattr(matcher, "_read_values") and hasattr(matcher, "_next_block"):
        while matcher.is_active():
            matcher._read_ids()
            ids = matcher._ids
            if any(d in wanted for d in ids):
                matcher._read_values()
                values = matcher._values
                yield from ((d, values[i]) for i, d in enumerate(ids) if d in wanted)
            matcher._next_block()
    else:
        while matcher.is_active():
            if matcher.id() in wanted:
                yield matcher.id(), matcher.value()
            matcher.next()


def _read_lengths(leaf, fieldname: str) -> bytes:
    count = leaf.doc_count_all()
    try:  # the column's bytes in one read
        column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, column._count) if column is not None else b""
    except AttributeError:  # another codec: one document at a time
        raw = bytes(length_to_byte(leaf.doc_field_length(d, fieldname, 0)) for d in range(count))
    return bytes(raw[:count]).ljust(count, b"\0")


class Ranker:
    """Scores of one query over a set of documents of one searcher (see _Views in whoosh_index)."""

    def __init__(self, views):
        self.views, self.postings, self.searcher, self.leaves = views, views.postings, views.searcher, views.leaves
        weighting = self.searcher.weighting
        if type(weighting) is not BM25F:
            raise Unsupported(type(weighting).__name__)
        self.weighting = weighting

    def top(self, query, matched: int, count: int) -> list[tuple[int, float]]:
        """The `count` best (document, score) of the bitmap `matched`, best first; equal scores in
        document order, as Whoosh's collector does."""
        scores = self.scores(query, matched)
        best = heapq.nlargest(count, scores.items(), key=lambda item: (item[1], -item[0]))
        if len(best) < count:  # matched by a condition that scores nothing (NOT …): score 0
            best += [(d, 0.0) for d in _members(matched & ~bitmap(scores))][:count - len(best)]
        return best

    def scores(self, query, within: int) -> dict[int, float]:
        kind = type(query)
        if kind is Term:
            scores = self._term(query.fieldname, query.text, within)
        elif kind is And or kind is Phrase:
            found = self.views.docs(query, within)
            children = [Term(query.fieldname, w) for w in query.words] if kind is Phrase else query.children()
            scores = _sum(self.scores(child, found) for child in children) if found else {}
        elif kind is Or and not query.minmatch and query.scale is None:
            scores = _sum(self.scores(child, within) for child in query.children())
        elif kind is AndNot or kind is Require:
            scores = self.scores(query.a, self.views.docs(query, within))
        elif kind is AndMaybe:
            found = self.views.docs(query.a, within)
            scores = _sum([self.scores(query.a, found), self.scores(query.b, found)])
        elif kind is Not or query is NullQuery:
            return {}
        else:
            raise Unsupported(kind.__name__)
        boost = getattr(query, "boost", 1.0)
        if boost != 1.0:
            scores = {d: s * boost for d, s in scores.items()}
        return scores

    def _term(self, fieldname: str, text: str, within: int) -> dict[int, float]:
        """bm25(idf, tf, fl, avgfl, B, K1) of whoosh.scoring for the term's documents in `within`."""
        if not within:
            return {}
        searcher, weighting = self.searcher, self.weighting
        b = weighting._field_B.get(fieldname, weighting.B)
        k1 = weighting.K1
        avgfl = searcher.avg_field_length(fieldname) or 1
        factor = searcher.idf(fieldname, text) * (k1 + 1)
        norms = [k1 * ((1 - b) + b * byte_to_length(n) / avgfl) for n in range(256)]
        scores: dict[int, float] = {}
        for leaf, offset in self.leaves:
            size = leaf.doc_count_all()
            local = (within >> offset) & ((1 << size) - 1)
            if not local:
                continue
            ids, weights = self.postings.postings(leaf, fieldname, text)
            if not ids:
                continue
            lengths = self.postings.lengths(leaf, fieldname)
            if local.bit_count() * 16 < len(ids):  # a few candidates: find each in the postings
                for d in _members(local):
                    i = bisect_left(ids, d)
                    if i < len(ids) and ids[i] == d:
                        w = weights[i]
                        scores[d + offset] = factor * w / (w + norms[lengths[d]])
            else:
                member = local.to_bytes((size + 7) // 8, "little")
                for d, w in zip(ids, weights):
                    if member[d >> 3] >> (d & 7) & 1:
                        scores[d + offset] = factor * w / (w + norms[lengths[d]])
        return scores


def _sum(parts) -> dict[int, float]:
    total: dict[int, float] = {}
    for part in parts:
        if not total:
            total = dict(part)
            continue
        get = total.get
        for d, s in part.items():
            total[d] = get(d, 0.0) + s
    return total


def _members(bits: int):
    """Document numbers of a bitmap, in order."""
    for at, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            yield from (at * 8 + bit for bit in range(8) if byte >> bit & 1)


def bitmap(docnums) -> int:
    """Document numbers as a bitmap: a Python int whose bit n is document n."""
    docnums = list(docnums)
    if not docnums:
        return 0
    buffer = bytearray((max(docnums) >> 3) + 1)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")
