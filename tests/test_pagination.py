"""The list helper's page arithmetic and its count cap."""

from __future__ import annotations

from haat.core.pagination import COUNT_CAP, Page, PageParams


def test_pages_round_up_and_empty_lists_have_none() -> None:
    page = Page.of([], 41, PageParams(page=1, per_page=20))
    assert (page.total, page.pages, page.total_exact) == (41, 3, True)
    assert Page.of([], 0, PageParams()).pages == 0


def test_counts_past_the_cap_are_marked_inexact() -> None:
    page = Page.of([], COUNT_CAP + 1, PageParams(per_page=100))
    assert page.total == COUNT_CAP and not page.total_exact and page.pages == 100
    exact = Page.of([], COUNT_CAP, PageParams(per_page=100))
    assert exact.total_exact
