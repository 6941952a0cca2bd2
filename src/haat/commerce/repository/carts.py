"""The SQL of cart lines and favourites (read with the catalogue's products)."""

from __future__ import annotations

import uuid

from sqlalchemy import CursorResult, and_, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from haat.catalog.models import Product
from haat.commerce.models import CartLine, Favorite
from haat.core import repository
from haat.core.db import utcnow


async def product(session: AsyncSession, product_id: uuid.UUID) -> Product | None:
    """The product ``product_id`` (whatever its status), or None."""
    return await repository.get(session, Product, product_id)


async def lines_with_products(
    session: AsyncSession, user_id: uuid.UUID
) -> list[tuple[CartLine, Product]]:
    """The user's cart lines in the order they were added, with their products (and the
    products' jewellery pricing)."""
    rows = await session.execute(
        select(CartLine, Product)
        .join(Product, Product.id == CartLine.product_id)
        .where(CartLine.user_id == user_id)
        .order_by(CartLine.created_at, CartLine.id)
        .options(selectinload(Product.jewellery))
    )
    return [(line, product) for line, product in rows.all()]


async def product_and_line(
    session: AsyncSession, user_id: uuid.UUID, product_id: uuid.UUID
) -> tuple[Product, CartLine | None] | None:
    """The product with the user's cart line of it (None if not in the cart), in one query;
    None when there is no such product."""
    found = (
        await session.execute(
            select(Product, CartLine)
            .outerjoin(
                CartLine, and_(CartLine.product_id == Product.id, CartLine.user_id == user_id)
            )
            .where(Product.id == product_id)
        )
    ).one_or_none()
    return None if found is None else (found[0], found[1])


async def line(session: AsyncSession, user_id: uuid.UUID, product_id: uuid.UUID) -> CartLine | None:
    """The user's cart line of the product, or None."""
    return await session.scalar(
        select(CartLine).where(CartLine.user_id == user_id, CartLine.product_id == product_id)
    )


async def add_line(session: AsyncSession, line: CartLine) -> None:
    """Store a new cart line now."""
    await repository.add(session, line)


async def remove_line(
    session: AsyncSession, user_id: uuid.UUID, product_id: uuid.UUID
) -> int | None:
    """Delete the user's line of the product; returns its quantity, None if there was none."""
    return await session.scalar(
        delete(CartLine)
        .where(CartLine.user_id == user_id, CartLine.product_id == product_id)
        .returning(CartLine.quantity)
    )


async def empty(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Delete every line of the user's cart."""
    await session.execute(delete(CartLine).where(CartLine.user_id == user_id))


async def follow_prices(session: AsyncSession, product_ids: list[uuid.UUID], currency: str) -> int:
    """Set the seen price of the cart lines of ``product_ids`` (seen in ``currency``) to the
    products' current price; returns how many lines changed."""
    current = select(Product.price_minor).where(Product.id == CartLine.product_id).scalar_subquery()
    result = await session.execute(
        update(CartLine)
        .where(
            CartLine.product_id.in_(product_ids),
            CartLine.seen_currency == currency,
            CartLine.seen_price_minor != current,
        )
        .values(seen_price_minor=current, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount if isinstance(result, CursorResult) else 0


async def favorites_with_products(
    session: AsyncSession, user_id: uuid.UUID
) -> list[tuple[Favorite, Product]]:
    """The user's favourites, newest first, with their products."""
    rows = await session.execute(
        select(Favorite, Product)
        .join(Product, Product.id == Favorite.product_id)
        .where(Favorite.user_id == user_id)
        .order_by(Favorite.created_at.desc(), Favorite.id)
    )
    return [(favorite, product) for favorite, product in rows.all()]


async def favorite_ids(
    session: AsyncSession, user_id: uuid.UUID, product_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of ``product_ids`` the user has favourited."""
    rows = await session.scalars(
        select(Favorite.product_id).where(
            Favorite.user_id == user_id, Favorite.product_id.in_(product_ids)
        )
    )
    return set(rows)


async def is_favorite(session: AsyncSession, user_id: uuid.UUID, product_id: uuid.UUID) -> bool:
    """True when the user has favourited the product."""
    found = await session.scalar(
        select(Favorite.id).where(Favorite.user_id == user_id, Favorite.product_id == product_id)
    )
    return found is not None


async def add_favorite(session: AsyncSession, user_id: uuid.UUID, product_id: uuid.UUID) -> bool:
    """Store the favourite in a savepoint; False when a concurrent request stored it first
    (the unique constraint refused this one)."""
    try:
        async with repository.savepoint(session):
            await repository.add(session, Favorite(user_id=user_id, product_id=product_id))
    except IntegrityError:
        return False
    return True


async def remove_favorite(session: AsyncSession, user_id: uuid.UUID, product_id: uuid.UUID) -> bool:
    """Delete the favourite; True when there was one."""
    removed = await session.scalar(
        delete(Favorite)
        .where(Favorite.user_id == user_id, Favorite.product_id == product_id)
        .returning(Favorite.id)
    )
    return removed is not None
