"""Orders a shop's staff record for a walk-in customer (the jewellery-shop use case),
optionally on credit: the order total then goes into the customer's khata as a credit entry
linked to the order, in the same transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog import stock
from haat.catalog.models import ProductStatus
from haat.commerce.models import Order, OrderItem
from haat.commerce.placing import next_order_numbers, open_order, order_item
from haat.commerce.repository import orders as repository
from haat.commerce.schemas import WalkInOrderIn
from haat.commerce.tax import TaxTable
from haat.core import repository as core_repository
from haat.core.errors import Unprocessable
from haat.customers.khata import record_entry
from haat.customers.models import EntryKind
from haat.customers.schemas import EntryCreate
from haat.customers.service import get_customer
from haat.identity.actor import Actor


async def create_walk_in_order(session: AsyncSession, actor: Actor, data: WalkInOrderIn) -> Order:
    """Sell the business's own products to one of its customers (admins and editors).

    Products must belong to the customer's business and not be archived; stock is taken with
    the same conditional UPDATE as checkout. Raises 401/403/404 as for customers, 422 for a
    product of another business or mixed currencies, 409 when stock is short.
    """
    customer = await get_customer(session, actor, data.customer_id, write=True)
    products = await repository.products_with_pricing(
        session, [line.product_id for line in data.items]
    )
    taxes = await TaxTable.load(session)
    currencies: set[str] = set()
    items: list[OrderItem] = []
    for position, line in enumerate(data.items):
        product = products.get(line.product_id)
        if (
            product is None
            or product.business_id != customer.business_id
            or (product.status == ProductStatus.ARCHIVED)
        ):
            raise Unprocessable(
                "Every product must be one of this shop's",
                errors=[
                    {
                        "loc": ["body", "items", position, "product_id"],
                        "msg": "not a product of this business",
                        "type": "foreign_product",
                    }
                ],
            )
        await stock.take(session, product.id, line.quantity, product.title, public_only=False)
        currencies.add(product.currency)
        rate = taxes.rate_for(product)
        items.append(order_item(product, position, product.price_minor, line.quantity, rate))
    if len(currencies) != 1:
        raise Unprocessable("The products of one order must share a currency")
    (number,) = await next_order_numbers(session)
    order = await open_order(
        session,
        actor,
        items,
        number=number,
        history_note="walk-in sale",
        business_id=customer.business_id,
        customer_id=customer.id,
        customer_name=customer.name,
        customer_phone=customer.phone,
        on_credit=data.on_credit,
        currency=currencies.pop(),
        notes=data.notes,
    )
    if data.on_credit:
        await record_entry(
            session,
            actor,
            EntryCreate(
                customer_id=customer.id,
                kind=EntryKind.CREDIT,
                amount_minor=order.total_minor,
                method=None,
                currency=order.currency,
                order_id=order.id,
                reference=order.number,
                description=f"Order {order.number}",
            ),
        )
    await core_repository.flush(session)
    return order
