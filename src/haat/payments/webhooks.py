"""Provider webhooks: verified by signature, applied once per event id.

Each event is claimed by inserting its ``(provider, event id)`` row; a re-delivery (or a
concurrent twin, which waits on the unique index) finds it and stops with ``duplicate``.
Ledger entries carry their own idempotency keys besides, so even an event delivered under two
ids posts once. Unknown event types are recorded as ``ignored`` and answered 200, so the
provider does not retry them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository as core_repository
from haat.payments.funding import fail_payment, record_capture, settle_checkout
from haat.payments.models import Payment, PaymentProvider, ProviderEvent
from haat.payments.providers import NotPaid, Providers, WebhookEvent
from haat.payments.repository import events
from haat.payments.repository import payments as repository

log = logging.getLogger("haat.payments")


async def receive(
    session: AsyncSession,
    providers: Providers,
    name: PaymentProvider,
    body: bytes,
    headers: Mapping[str, str],
) -> tuple[str, str]:
    """Verify and apply one webhook delivery; returns ``(event id, outcome)``.

    Raises `ProviderNotConfigured` (503) without a webhook secret, `BadSignature` (400) for
    a body whose signature does not verify, `ProviderError` (502) when a follow-up call to the
    provider fails (the provider then retries the delivery).
    """
    provider = providers.for_webhook(name)
    event = provider.webhook(body, headers)
    row = ProviderEvent(provider=name, event_id=event.id, event_type=event.type, outcome="received")
    if not await events.claim(session, row):
        return event.id, "duplicate"
    row.outcome = await _apply(session, providers, name, event)
    await core_repository.flush(session)
    log.info("%s webhook %s (%s): %s", name.value, event.id, event.type, row.outcome)
    return event.id, row.outcome


async def _apply(
    session: AsyncSession, providers: Providers, name: PaymentProvider, event: WebhookEvent
) -> str:
    """What the event does to its payment, applied with no actor (the provider's word) and
    the note ``"<provider> webhook"`` in the payment's history; returns the outcome."""
    if event.outcome == "ignored":
        return "ignored"
    payment = await _payment_of(session, name, event)
    if payment is None:
        return "unknown_payment"
    note = f"{name.value} webhook"
    if event.outcome == "failed":
        failed = await fail_payment(session, payment, None, note)
        return "failed" if failed else "already_settled"
    if event.outcome == "checkout":
        try:
            return await settle_checkout(session, providers, payment, {}, None, note)
        except NotPaid:
            return "not_paid"
    assert event.captured is not None
    return await record_capture(session, providers, payment, event.captured, None, note)


async def _payment_of(
    session: AsyncSession, name: PaymentProvider, event: WebhookEvent
) -> Payment | None:
    """The payment the event is about: by its recorded reference, else, for a completed
    hosted checkout, by the Haat payment id it carries (a Stripe Checkout Session whose
    PaymentIntent has already replaced it, the return having come first). That payment is
    then read back from the provider by what it has recorded, never by the event."""
    payment = await repository.by_reference(session, name, event.reference)
    if payment is not None or event.outcome != "checkout" or not event.payment_id:
        return payment
    try:
        payment_id = uuid.UUID(event.payment_id)
    except ValueError:
        return None
    found = await repository.get_payment(session, payment_id)
    return found if found is not None and found.provider == name else None
