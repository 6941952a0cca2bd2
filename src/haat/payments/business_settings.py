"""Each business's payment settings: its provider and its account there.

A business without a row takes manual payments. Its admins (or a platform admin) choose
Stripe or Razorpay, which need the business's account id (Stripe Connect ``acct_...``,
Razorpay Route linked account ``acc_...``) and a provider the platform has keys for.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import BusinessRole
from haat.businesses.service import get_business, require_role, role_of
from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.core.errors import NotFound, Unprocessable
from haat.identity.actor import Actor
from haat.payments.models import PaymentProvider, PaymentSettings
from haat.payments.providers import Providers
from haat.payments.repository import settings as repository

ACCOUNT_PATTERNS = {
    PaymentProvider.STRIPE: re.compile(r"acct_[A-Za-z0-9]{6,64}"),
    PaymentProvider.RAZORPAY: re.compile(r"acc_[A-Za-z0-9]{6,64}"),
}


async def provider_of(
    session: AsyncSession, business_id: uuid.UUID
) -> tuple[PaymentProvider, str | None]:
    """``(provider, account id)`` of the business: ``(manual, None)`` without settings."""
    row = await repository.of_business(session, business_id)
    return (row.provider, row.account_id) if row else (PaymentProvider.MANUAL, None)


async def _visible(session: AsyncSession, actor: Actor, business_id: uuid.UUID) -> None:
    actor.require_user()
    await get_business(session, business_id)
    if not actor.is_platform_admin and await role_of(session, actor, business_id) is None:
        raise NotFound("No such business")


async def read(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID
) -> tuple[PaymentProvider, str | None]:
    """The business's settings, for its members and platform admins (404 for others)."""
    await _visible(session, actor, business_id)
    return await provider_of(session, business_id)


async def update(
    session: AsyncSession,
    actor: Actor,
    providers: Providers,
    business_id: uuid.UUID,
    provider: PaymentProvider,
    account_id: str | None,
) -> tuple[PaymentProvider, str | None]:
    """Set the business's provider (its admins, platform admins). Raises 404 for
    non-members, 403 for other roles, 422 for a missing or malformed account id or a
    provider the platform has no keys for. Payments already opened keep their provider."""
    await _visible(session, actor, business_id)
    await require_role(session, actor, business_id, {BusinessRole.ADMIN})
    pattern = ACCOUNT_PATTERNS.get(provider)
    if pattern is None:
        account_id = None
    elif account_id is None or not pattern.fullmatch(account_id):
        raise Unprocessable(
            f"{provider.value} needs the business's account id ({pattern.pattern})",
            errors=[
                {
                    "loc": ["body", "account_id"],
                    "msg": "missing or malformed",
                    "type": "value_error",
                }
            ],
        )
    if not providers.configured(provider):
        raise Unprocessable(f"{provider.value} is not configured on this platform")
    row = await repository.of_business(session, business_id, for_update=True)
    if row is None:
        row = PaymentSettings(business_id=business_id, provider=provider)
        await repository.add_settings(session, row)
    row.provider, row.account_id = provider, account_id
    row.updated_by, row.updated_at = actor.user_id, utcnow()
    await core_repository.flush(session)
    return row.provider, row.account_id
