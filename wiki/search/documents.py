"""What the search module reads from the database and answers: documents, hits, pages of results."""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass
class SearchDoc:
    page_id: int
    slug: str
    title: str
    identity: str  # summary, place, partners and theme names
    body: str
    people: str  # authors' names
    kind: str
    visibility: str
    group: str  # group id as text, "" when none
    themes: list[str]
    region: str
    sides: list[str]
    years: list[int]
    status: str
    author_ids: list[int]
    updated: int  # timestamp, for sorting by date
    language: str = "fr"  # what the page is written in: French analysis, or words as written


@dataclass
class SearchHit:
    page_id: int
    snippet: Markup  # escaped text with <mark> around matched words
    score: float


@dataclass
class SearchPage:
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    complete: bool = True
    suggestion: str | None = None
    corrected_from: str | None = None
