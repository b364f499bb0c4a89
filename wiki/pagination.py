"""One pagination helper for every listing (with _macros/pagination.html)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request


@dataclass
class Pagination:
    page: int
    per_page: int
    total: int = 0

    @classmethod
    def from_request(cls, per_page: int) -> Pagination:
        try:
            page = int(request.args.get("page", 1))
        except ValueError:
            page = 1
        return cls(page=min(max(page, 1), 10_000), per_page=per_page)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def with_total(self, total: int) -> Pagination:
        self.total = total
        return self
