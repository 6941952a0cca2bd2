"""Statement share links: a signed, expiring address a shop sends to its customer's phone so
they can read their khata statement without an account.

The token is ``itsdangerous.URLSafeTimedSerializer`` over ``{"c": customer id}``, signed
with a key derived from ``SECRET_KEY`` (HMAC, purpose label below); it names one customer and
stops working after `SHARE_TTL_S`. Nothing is stored: rotating ``SECRET_KEY`` revokes every
link.
"""

from __future__ import annotations

import uuid

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.errors import NotFound
from haat.core.security import keyed_hash
from haat.customers.khata import build_statement
from haat.customers.models import Customer
from haat.customers.repository import customers as repository
from haat.customers.schemas import StatementOut
from haat.customers.service import get_customer
from haat.identity.actor import Actor

SHARE_TTL_S = 30 * 24 * 3600  # 30 days
_PURPOSE = "haat.khata.statement-share"


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(keyed_hash(secret_key, _PURPOSE), salt="statement")


async def share_token(
    session: AsyncSession, actor: Actor, customer_id: uuid.UUID, secret_key: str
) -> str:
    """A token for the customer's statement page; the actor must be able to read the
    customer (any member of the business). Raises 401, 404."""
    customer = await get_customer(session, actor, customer_id)
    return str(_serializer(secret_key).dumps({"c": str(customer.id)}))


async def shared_customer(session: AsyncSession, token: str, secret_key: str) -> Customer:
    """The customer a valid, unexpired token names. Raises `NotFound` for a forged, altered
    or expired token, and for an archived customer."""
    try:
        payload = _serializer(secret_key).loads(token, max_age=SHARE_TTL_S)
        customer_id = uuid.UUID(payload["c"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("This statement link is not valid or has expired") from None
    customer = await repository.get(session, customer_id)
    if customer is None or customer.archived:
        raise NotFound("This statement link is not valid or has expired")
    return customer


async def shared_statement(session: AsyncSession, token: str, secret_key: str) -> StatementOut:
    """The whole statement of the customer a share token names. Raises as `shared_customer`."""
    customer = await shared_customer(session, token, secret_key)
    return await build_statement(session, customer)
