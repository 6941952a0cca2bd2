"""The one list helper: ``?page=&per_page=`` in, ``{items, total, page, pages}`` out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

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
        """``counted`` is what `paginate` returned: at most ``COUNT_CAP + 1``."""
        total = min(counted, COUNT_CAP)
        return cls(
            items=items,
            total=total,
            total_exact=counted <= COUNT_CAP,
            page=params.page,
            pages=max(1, math.ceil(total / params.per_page)) if total else 0,
        )


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    params: PageParams,
    *,
    options: tuple[Any, ...] = (),
    count: Select[Any] | None = None,
) -> tuple[list[Any], int]:
    """Run ``stmt`` (a select of one entity) for one page and count its rows, up to
    ``COUNT_CAP + 1``. Loader ``options`` apply to the page only, so the count stays plain.
    ``count`` is a cheaper select of the same rows to count instead (without the joins that
    only order them, say).

    Returns ``(items, counted)``; hand both to `Page.of`.
    """
    capped = (count if count is not None else stmt).order_by(None).limit(COUNT_CAP + 1).subquery()
    total = await session.scalar(select(func.count()).select_from(capped))
    paged = stmt.options(*options).limit(params.per_page).offset(params.offset)
    result = await session.execute(paged)
    return list(result.scalars().all()), int(total or 0)
