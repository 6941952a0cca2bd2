"""Importing products with their past: demo data and catalogues moved from other shops.

An imported product comes with the path its status took (created, submitted, approved, ...):
`workflow.PRODUCT_MACHINE.replay` checks that the path is one the workflow allows and writes
its history, so an import can never store a status the workflow could not have reached.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.jewellery import JewelleryPrice, JewellerySpec, write_price
from haat.catalog.models import Product, ProductJewellery, ProductStatusChange
from haat.catalog.search import search_terms_for
from haat.catalog.workflow import PRODUCT_MACHINE, ProductAction
from haat.core import repository as core_repository
from haat.core.state_machine import Step

BATCH = 200  # products flushed at a time


@dataclass(frozen=True)
class ProductImport:
    """A product as it should be stored, with its status path: ``created`` (by
    ``created_by_id``) then ``steps`` (e.g. submit, approve), each with its actor, time and
    reason. Prices in minor units of ``currency``. ``search_names`` are the names the
    full-text index should also find it by (business, cluster, craft)."""

    id: uuid.UUID
    business_id: uuid.UUID
    category_id: uuid.UUID | None
    category_name: str
    title: str
    description: str
    price_minor: int
    currency: str
    sku: str
    stock_quantity: int
    attributes: dict[str, Any]
    created_by_id: uuid.UUID
    created_at: datetime
    steps: tuple[Step[ProductAction], ...] = ()
    rejection_reason: str | None = None
    published_at: datetime | None = None
    search_names: tuple[str | None, ...] = ()


async def import_products(
    session: AsyncSession, rows: list[ProductImport], advance: Callable[[int], None] | None = None
) -> None:
    """Store ``rows`` with their status histories, flushing every `BATCH` products;
    ``advance(n)`` is called as they go (a progress bar). Raises `InvalidTransition` (409) for
    a status path the workflow does not allow; the caller's transaction then rolls back."""
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        for row in batch:
            product = _product(row)
            history = PRODUCT_MACHINE.replay(
                product,
                row.steps,
                arrival=Step(ProductAction.CREATE, row.created_at, row.created_by_id),
            )
            await core_repository.add(session, product, flush=False)
            await core_repository.add(
                session, *(ProductStatusChange(**change) for change in history), flush=False
            )
        await core_repository.flush(session)
        if advance is not None:
            advance(len(batch))


def _product(row: ProductImport) -> Product:
    return Product(
        id=row.id,
        business_id=row.business_id,
        category_id=row.category_id,
        title=row.title,
        description=row.description,
        search_terms=search_terms_for(row.attributes, row.category_name, *row.search_names),
        price_minor=row.price_minor,
        currency=row.currency,
        sku=row.sku,
        stock_quantity=row.stock_quantity,
        attributes=row.attributes,
        rejection_reason=row.rejection_reason,
        published_at=row.published_at,
        created_by_id=row.created_by_id,
        created_at=row.created_at,
        updated_at=row.created_at,
    )


async def import_jewellery(
    session: AsyncSession,
    product_id: uuid.UUID,
    spec: JewellerySpec,
    price: JewelleryPrice,
    at: datetime,
) -> None:
    """Store an imported product's jewellery spec with the price computed from it ``at``
    (the product's own ``price_minor`` was imported with it)."""
    row = ProductJewellery(
        product_id=product_id,
        metal=spec.metal,
        purity=spec.purity,
        weight_mg=spec.weight_mg,
        making_charge_bp=spec.making_charge_bp,
        making_charge_per_g_minor=spec.making_charge_per_g_minor,
    )
    write_price(row, price, at)
    await core_repository.add(session, row, flush=False)
