"""Reading orders: the buyer's own, a business's (its members), one order, its history; notes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from haat.businesses.models import BusinessRole
from haat.businesses.service import get_business, require_role, role_of
from haat.commerce.models import Order, OrderStatus, OrderStatusChange, PaymentStatus
from haat.commerce.repository import orders as repository
from haat.commerce.schemas import OrderOut, OrderStaffOut
from haat.commerce.status import is_staff, readable_order
from haat.core.db import utcnow
from haat.core.errors import Forbidden
from haat.core.pagination import PageParams
from haat.core.repository import paginate
from haat.identity.actor import Actor


@dataclass(frozen=True)
class OrderFilters:
    status: OrderStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None  # order number, customer name or phone


def _filtered(stmt: Select[Order], f: OrderFilters) -> Select[Order]:
    if f.status:
        stmt = stmt.where(Order.status == f.status)
    if f.date_from:
        stmt = stmt.where(Order.created_at >= datetime.combine(f.date_from, time(), UTC))
    if f.date_to:
        end = datetime.combine(f.date_to, time(), UTC) + timedelta(days=1)
        stmt = stmt.where(Order.created_at < end)
    if f.search:
        term = f.search.strip()
        stmt = stmt.where(
            or_(
                Order.number.contains(term.upper(), autoescape=True),
                func.lower(Order.customer_name).contains(term.lower(), autoescape=True),
                Order.customer_phone.contains(term, autoescape=True),
            )
        )
    return stmt.order_by(Order.created_at.desc(), Order.id.desc())


async def list_orders(
    session: AsyncSession,
    actor: Actor,
    params: PageParams,
    filters: OrderFilters,
    business_id: uuid.UUID | None = None,
) -> tuple[list[Order], int]:
    """The caller's own orders, or with ``business_id`` that business's orders (any member;
    platform admins too)."""
    user_id = actor.require_user()
    stmt = select(Order)
    if business_id is None:
        stmt = stmt.where(Order.buyer_id == user_id)
    else:
        await get_business(session, business_id)
        await require_role(session, actor, business_id, set(BusinessRole))
        stmt = stmt.where(Order.business_id == business_id)
    return await paginate(
        session, _filtered(stmt, filters), params, options=(selectinload(Order.items),)
    )


async def record_payment_status(
    session: AsyncSession, order_id: uuid.UUID, status: PaymentStatus
) -> None:
    """Store the order's ``payment_status``, a summary that `haat.payments` derives from the
    order's payments (it is not a state machine of its own: it follows the money)."""
    await repository.set_payment_status(session, order_id, status)


async def touch(session: AsyncSession, order_id: uuid.UUID) -> None:
    """Mark the order as changed now (its ``updated_at``) when a domain above changed
    something of it that lives in its own tables (payments: the order's milestones)."""
    await repository.touch(session, order_id)


async def sees_internal(session: AsyncSession, actor: Actor, order: Order) -> bool:
    """True when ``actor`` may read the order's internal ``admin_notes``: a member of the
    selling business (any role) or a platform admin; never the buyer as such."""
    if actor.is_platform_admin:
        return True
    return await role_of(session, actor, order.business_id) is not None


async def view(session: AsyncSession, actor: Actor, order: Order) -> OrderOut:
    """The staff view (with ``admin_notes``) for the business's members and platform admins,
    the buyer's view otherwise. ``order.items`` must be loaded."""
    staff = await sees_internal(session, actor, order)
    return (OrderStaffOut if staff else OrderOut).model_validate(order)


async def get_order(session: AsyncSession, actor: Actor, order_id: uuid.UUID) -> Order:
    order = await readable_order(session, actor, order_id)
    await session.refresh(order, ["items"])
    return order


async def set_notes(
    session: AsyncSession,
    actor: Actor,
    order_id: uuid.UUID,
    notes: str | None,
    admin_notes: str | None,
) -> Order:
    """Buyer-visible ``notes`` (buyer or staff) and internal ``admin_notes`` (staff only)."""
    order = await readable_order(session, actor, order_id)
    staff = await is_staff(session, actor, order)
    if admin_notes is not None:
        if not staff:
            raise Forbidden("Only the business's staff keep internal notes")
        order.admin_notes = admin_notes
    if notes is not None:
        if not staff and order.buyer_id != actor.user_id:
            raise Forbidden("Not allowed")
        order.notes = notes
    order.updated_at = utcnow()
    await session.flush()
    return await get_order(session, actor, order_id)


async def history(
    session: AsyncSession, actor: Actor, order_id: uuid.UUID
) -> list[OrderStatusChange]:
    await readable_order(session, actor, order_id)
    rows = await session.scalars(
        select(OrderStatusChange)
        .where(OrderStatusChange.order_id == order_id)
        .order_by(OrderStatusChange.created_at, OrderStatusChange.id)
    )
    return list(rows)
