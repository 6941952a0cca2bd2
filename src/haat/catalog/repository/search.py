"""The full-text search SQL over products, on SQLite FTS5 or PostgreSQL (see `haat.catalog.search`
for the index and its weights): expressions that narrow a select over `Product` and rank it.

The ``dialect`` argument (``"sqlite"`` or ``"postgresql"``, `haat.core.repository.dialect`)
picks the branch. A query is split into words that must all match (after stemming);
`apply_groups` (the shopping assistant's) takes OR-groups of words (a word and its synonyms)
and can relax to any group matching.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, literal_column, select, text

MAX_TERMS = 16
_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(query: str) -> list[str]:
    """The words of a search query, lower-cased, at most 16."""
    return _WORD.findall(query.lower())[:MAX_TERMS]


def matches(dialect: str, query: str) -> ColumnElement[bool]:
    """The filter "matches every word of ``query``" alone, without relevance: what a count
    of the results needs. On SQLite a ``rowid IN (FTS5 match)`` semi-join, which the planner
    runs once; joined instead, SQLite drives the join from ``products`` and runs the FTS5
    lookup once per product (50 ms for a count on the demo's 2,348 products, bench/)."""
    terms = query_terms(query)
    if not terms:
        return false()
    if dialect == "sqlite":
        hits: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(text("products_fts"))
            .where(text("products_fts MATCH :fts_match").bindparams(fts_match=_fts(terms)))
        )
        return literal_column("products.rowid").in_(hits)
    return _vector().op("@@")(_tsquery(terms))


def _fts(terms: list[str]) -> str:
    return " ".join(f'"{t}"' for t in terms)


def _tsquery(terms: list[str]) -> ColumnElement[Any]:
    return func.plainto_tsquery(literal_column("'english'::regconfig"), " ".join(terms))


def _vector() -> ColumnElement[Any]:
    return literal_column("products.search_vector")


def apply_search(
    stmt: Select[Any], dialect: str, query: str
) -> tuple[Select[Any], ColumnElement[Any] | None]:
    """Restrict ``stmt`` (a select over `Product`) to products matching every word of
    ``query`` (`matches`) and return it with a relevance expression (higher is better). A
    query with no words matches nothing and has no relevance (None)."""
    terms = query_terms(query)
    if not terms:
        return stmt.where(false()), None
    stmt = stmt.where(matches(dialect, query))
    if dialect == "sqlite":
        hits = (
            select(
                literal_column("rowid").label("rid"),
                literal_column("bm25(products_fts, 10.0, 4.0, 1.0)").label("bm25"),
            )
            .select_from(text("products_fts"))
            .where(text("products_fts MATCH :fts_query").bindparams(fts_query=_fts(terms)))
            .subquery("fts_hits")
        )
        stmt = stmt.join(hits, hits.c.rid == literal_column("products.rowid"))
        return stmt, -hits.c.bm25
    return stmt, func.ts_rank_cd(_vector(), _tsquery(terms))


def apply_groups(
    stmt: Select[Any],
    dialect: str,
    groups: Sequence[Sequence[str]],
    *,
    match_any: bool = False,
) -> tuple[Select[Any], ColumnElement[Any] | None]:
    """Like `apply_search` with OR-groups of words: a product matches a group when it
    matches any word of it, and must match every group (any group with ``match_any``).
    ``[["silver"], ["jhumkas", "earrings"]]`` finds silver earrings. Each word is reduced to
    its ``\\w+`` parts; at most 16 words in all; no words matches nothing (relevance None)."""
    clean = [g for g in ([w for word in group for w in query_terms(word)] for group in groups) if g]
    budget, kept = MAX_TERMS, []
    for group in clean:
        if budget <= 0:
            break
        kept.append(group[:budget])
        budget -= len(kept[-1])
    if not kept:
        return stmt.where(false()), None
    if dialect == "sqlite":
        parts = ["(" + " OR ".join(f'"{t}"' for t in g) + ")" for g in kept]
        match = (" OR " if match_any else " AND ").join(parts)
        hits = (
            select(
                literal_column("rowid").label("rid"),
                literal_column("bm25(products_fts, 10.0, 4.0, 1.0)").label("bm25"),
            )
            .select_from(text("products_fts"))
            .where(text("products_fts MATCH :fts_groups").bindparams(fts_groups=match))
            .subquery("fts_hits")
        )
        stmt = stmt.join(hits, hits.c.rid == literal_column("products.rowid"))
        return stmt, -hits.c.bm25
    english: ColumnElement[Any] = literal_column("'english'::regconfig")
    # Each group as its own query, OR inside a group and AND (or OR) across groups, built
    # with the tsquery operators, so a stop word drops out instead of failing.
    tsquery = _any_of(english, kept[0])
    for group in kept[1:]:
        tsquery = tsquery.op("||" if match_any else "&&")(_any_of(english, group))
    return stmt.where(_vector().op("@@")(tsquery)), func.ts_rank_cd(_vector(), tsquery)


def _any_of(config: ColumnElement[Any], words: Sequence[str]) -> ColumnElement[Any]:
    query: ColumnElement[Any] = func.plainto_tsquery(config, words[0])
    for word in words[1:]:
        query = query.op("||")(func.plainto_tsquery(config, word))
    return query
