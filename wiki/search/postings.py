"""The documents of a term, read a block of postings at a time.

Whoosh's public way (Searcher.docs_for_query) steps through postings one Python call per
document: at 100,000 pages a common word costs tens of milliseconds, and a query needs the
documents of each of its words for its total and facets. The leaf matcher of whoosh's codec
decodes a whole block of document numbers at once (`_read_ids` → `_ids`, `_next_block`):
private API of whoosh-reloaded 2.7.5, used only here. tests/test_search_whoosh.py fails when
it changes; any other matcher takes the public path."""
from __future__ import annotations

from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Term


def block_reader(matcher) -> bool:
    return all(hasattr(matcher, name) for name in ("_read_ids", "_ids", "_next_block", "is_active"))


def term_docs(searcher, fieldname: str, text: str) -> set[int]:
    """Numbers of the live documents that contain the term, across the searcher's segments."""
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if (fieldname, text) not in reader:
            continue
        matcher, deleted = reader.postings(fieldname, text), ()
        if isinstance(matcher, FilterMatcher):  # the segment's deletions
            matcher, deleted = matcher.child, reader.deleted_docs_set
        if not block_reader(matcher):
            found.update(docnum + offset for docnum in leaf.docs_for_query(Term(fieldname, text)))
            continue
        local: set[int] = set()
        while matcher.is_active():
            matcher._read_ids()
            local.update(matcher._ids)
            matcher._next_block()
        local.difference_update(deleted)
        found.update(local if not offset else {docnum + offset for docnum in local})
    return found
