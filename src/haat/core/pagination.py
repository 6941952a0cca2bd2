"""The one list shape: ``?page=&per_page=`` in, ``{items, total, page, pages}`` out. The
query side (one page and a capped count) is `haat.core.repository.paginate`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

T = TypeVar("T")
MAX_PER_PAGE = 100
COUNT_CAP = 10_000


@dataclass(frozen=True)
class PageParams:
    """1-based page number and page size (1..100)."""

    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_params(
    page: int = Query(1, ge=1, le=100_000, description="1-based page number"),
    per_page: int = Query(20, ge=1, le=MAX_PER_PAGE, description="items per page"),
) -> PageParams:
    return PageParams(page=page, per_page=per_page)


class Page(BaseModel, Generic[T]):
    """One page of a list. Past 10,000 matches `total` stops at 10,000 and `total_exact` is
    false ("10,000+ results"), so that a broad query never pays for counting every row."""

    items: list[T]
    total: int
    total_exact: bool = True
    page: int
    pages: int

    @classmethod
    def of(cls, items: list[Any], counted: int, params: PageParams) -> Page[Any]:
        """``counted`` is what `haat.core.repository.paginate` returned: at most
        ``COUNT_CAP + 1``."""
        total = min(counted, COUNT_CAP)
        return cls(
            items=items,
            total=total,
            total_exact=counted <= COUNT_CAP,
            page=params.page,
            pages=max(1, math.ceil(total / params.per_page)) if total else 0,
        )
