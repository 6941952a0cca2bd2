"""Finding the products a question is about, among approved products only.

1. Full-text search (`haat.catalog.search.apply_groups`) with every word group of the
   question (a word or one of its synonyms) and the price range: an *exact* match.
2. With nothing exact, the relaxed search (any word group), then the same without the price
   range: *close alternatives*, said as such in the answer.
3. With the `ai` extra and a built index, the top ``pool`` candidates are re-ordered by a
   weighted fusion of two normalised scores (a convex combination, as in the "CombSUM" family
   of Fox and Shaw, TREC-2 1994): ``w * cosine' + (1 - w) * position'``, where ``cosine'`` is
   the cosine similarity between the question's embedding and the product's stored vector,
   min-max scaled over the candidates, ``position'`` is 1 for the full-text search's first
   candidate falling linearly to 0 for its last, and ``w`` is ``ASSISTANT_RERANK_WEIGHT``
   (0.6). A candidate without a stored vector keeps only its full-text part.

Price bounds are compared in SQL for products in the bound's currency and, for products in
other currencies, after converting their price at today's stored rate
(`haat.fx.display.DisplayConverter`); a product with no rate is left out of a bounded search.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from haat.assistant.embeddings import Embedder, vectors_for
from haat.assistant.intent import Intent
from haat.assistant.repository import catalogue
from haat.catalog.models import Product
from haat.fx.display import DisplayConverter


@dataclass
class Retrieval:
    """Ranked products (best first) and whether they match the whole question."""

    products: list[Product]
    exact: bool
    reranked: bool = False


async def _in_range(
    session: AsyncSession, intent: Intent, products: list[Product]
) -> list[Product]:
    """``products`` whose price, converted to the bound's currency, is within the range."""
    if intent.currency is None or (intent.min_price is None and intent.max_price is None):
        return products
    converter = await DisplayConverter.load(
        session, intent.currency, {p.currency for p in products}
    )
    kept = []
    for product in products:
        amount: int | None = product.price_minor
        if product.currency != intent.currency:
            shown = converter.price(product.price_minor, product.currency)
            amount = shown.amount_minor if shown is not None else None
        if amount is None:
            continue
        if intent.min_price is not None and amount < intent.min_price:
            continue
        if intent.max_price is not None and amount > intent.max_price:
            continue
        kept.append(product)
    return kept


async def _search(
    session: AsyncSession, intent: Intent, *, match_any: bool, bounded: bool, pool: int
) -> list[Product]:
    # Twice the pool: products in other currencies may still fall out of the range.
    products = await catalogue.matching(
        session, intent, match_any=match_any, bounded=bounded, limit=pool * 2
    )
    if bounded:
        products = await _in_range(session, intent, products)
    return products[:pool]


async def _by_price_only(session: AsyncSession, intent: Intent, pool: int) -> list[Product]:
    products = await catalogue.newest_in_range(session, intent, pool * 2)
    return (await _in_range(session, intent, products))[:pool]


async def retrieve(
    session: AsyncSession,
    intent: Intent,
    question: str,
    *,
    pool: int = 30,
    embedder: Callable[[], Embedder] | None = None,
    weight: float = 0.6,
) -> Retrieval:
    """The products ``intent`` asks about (at most ``pool``), exact matches if any, else
    close alternatives (``exact=False``); re-ranked when ``embedder`` (which gives the
    model, loaded on first use) is given and the candidates have stored vectors."""
    priced = intent.min_price is not None or intent.max_price is not None
    if not intent.groups:
        if not priced:
            return Retrieval([], exact=False)
        found = await _by_price_only(session, intent, pool)
        return Retrieval(found, exact=bool(found))
    exact = True
    found = await _search(session, intent, match_any=False, bounded=True, pool=pool)
    if not found:
        exact = False
        found = await _search(session, intent, match_any=True, bounded=True, pool=pool)
    if not found and priced:
        found = await _search(session, intent, match_any=True, bounded=False, pool=pool)
    reranked = False
    if embedder is not None and len(found) > 1:
        found, reranked = await rerank(session, embedder, question, found, weight)
    return Retrieval(found, exact=exact, reranked=reranked)


async def rerank(
    session: AsyncSession,
    embedder: Callable[[], Embedder],
    question: str,
    products: Sequence[Product],
    weight: float = 0.6,
) -> tuple[list[Product], bool]:
    """``products`` (in full-text order) re-ordered by the weighted fusion above; unchanged
    (and False) when none of them has a stored vector."""
    vectors = await vectors_for(session, [p.id for p in products])
    if not vectors:
        return list(products), False
    model = await anyio.to_thread.run_sync(embedder)  # loaded once some vector exists
    query = (await anyio.to_thread.run_sync(model.encode, [question]))[0]
    similarity = {pid: float(vector @ query) for pid, vector in vectors.items()}
    low, high = min(similarity.values()), max(similarity.values())
    spread = (high - low) or 1.0
    last = max(1, len(products) - 1)
    score: dict[uuid.UUID, float] = {}
    for i, product in enumerate(products):
        cosine = (similarity[product.id] - low) / spread if product.id in similarity else 0.0
        score[product.id] = weight * cosine + (1 - weight) * (1 - i / last)
    order = {p.id: i for i, p in enumerate(products)}
    return sorted(products, key=lambda p: (-score[p.id], order[p.id])), True
