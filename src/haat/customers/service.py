"""Customer rules: who may see and change a business's customers, and the customer CRUD.

Access: business admins and editors write (customers, khata entries, reminders); every member
reads; platform admins read any business. Objects of a business the caller does not belong to
are 404 (no existence leak); naming such a business in a list or a create is 403, as the
business itself is public. Khata entries are in `khata.py`, the summary in `summary.py`.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import BusinessRole
from haat.businesses.service import get_business, require_role, role_of
from haat.core.errors import Conflict, NotFound
from haat.core.pagination import PageParams
from haat.customers.models import Customer
from haat.customers.repository import customers as repository
from haat.customers.schemas import CustomerCreate, CustomerUpdate
from haat.identity.actor import Actor

WRITERS = frozenset({BusinessRole.ADMIN, BusinessRole.EDITOR})
READERS = frozenset(BusinessRole)
_REQUIRED_FIELDS = frozenset(
    {"name", "phone", "address", "notes", "preferred_language", "archived"}
)


class PhoneTaken(Conflict):
    code, title = "customer_phone_taken", "This business already has a customer with this phone"


async def authorize(
    session: AsyncSession,
    actor: Actor,
    business_id: uuid.UUID,
    *,
    write: bool,
    what: str = "customer",
) -> None:
    """Check that ``actor`` may read (any member, platform admin) or write (admin, editor)
    an object of ``business_id``.

    Raises `Unauthenticated` (anonymous), `NotFound` (not a member of the business, so the
    object's existence does not leak) and `Forbidden` (a member whose role does not allow it,
    or a platform admin writing).
    """
    actor.require_user()
    if not actor.is_platform_admin and await role_of(session, actor, business_id) is None:
        raise NotFound(f"No such {what}")
    await require_role(
        session, actor, business_id, WRITERS if write else READERS, platform_admin=not write
    )


async def get_customer(
    session: AsyncSession, actor: Actor, customer_id: uuid.UUID, *, write: bool = False
) -> Customer:
    """A customer the actor may read (or, with ``write``, change). Raises 401, 403, 404."""
    actor.require_user()
    customer = await repository.get(session, customer_id)
    if customer is None:
        raise NotFound("No such customer")
    await authorize(session, actor, customer.business_id, write=write)
    return customer


async def _phone_free(
    session: AsyncSession, business_id: uuid.UUID, phone: str, except_id: uuid.UUID | None = None
) -> None:
    if await repository.phone_taken(session, business_id, phone, except_id):
        raise PhoneTaken()


async def _flush_unique(session: AsyncSession) -> None:
    """Flush in a savepoint; a concurrent insert of the same phone becomes a 409."""
    if not await repository.flush_unique(session):
        raise PhoneTaken()


async def create_customer(session: AsyncSession, actor: Actor, data: CustomerCreate) -> Customer:
    """A new customer of ``data.business_id``. Raises 401, 403 (role), 404 (business),
    409 (phone already used in this business)."""
    actor.require_user()
    await get_business(session, data.business_id)
    await require_role(session, actor, data.business_id, WRITERS, platform_admin=False)
    await _phone_free(session, data.business_id, data.phone)
    customer = Customer(**data.model_dump(), created_by_id=actor.user_id)
    await repository.add(session, customer)
    await _flush_unique(session)
    return customer


async def update_customer(
    session: AsyncSession, actor: Actor, customer_id: uuid.UUID, data: CustomerUpdate
) -> Customer:
    """Change a customer's details or archive them. Raises 401, 403, 404, 409 (phone)."""
    customer = await get_customer(session, actor, customer_id, write=True)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("phone") and changes["phone"] != customer.phone:
        await _phone_free(session, customer.business_id, changes["phone"], customer.id)
    for field, value in changes.items():
        if value is None and field in _REQUIRED_FIELDS:
            continue
        setattr(customer, field, value)
    await _flush_unique(session)
    return customer


async def list_customers(
    session: AsyncSession,
    actor: Actor,
    business_id: uuid.UUID,
    params: PageParams,
    *,
    search: str | None = None,
    archived: bool | None = False,
) -> tuple[list[Customer], int]:
    """One page of a business's customers by name; ``search`` matches name or phone
    (a part of either, case-insensitive); ``archived=None`` lists both. Raises 401, 403, 404."""
    actor.require_user()
    await get_business(session, business_id)
    await require_role(session, actor, business_id, READERS)
    term = search.strip().lower() if search else None
    digits = "".join(ch for ch in term if ch.isdigit()) if term else None
    return await repository.page(
        session, business_id, params, name_part=term, phone_digits=digits, archived=archived
    )
