"""`/api/payments/...`, `/api/orders/{id}/payments|milestones|ledger` and the order status
route (a status change moves money, so it is served here, above `commerce`)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce import orders
from haat.commerce.schemas import OrderOut, OrderStaffOut, StatusIn
from haat.core.deps import DbSession, IdempotencyKey
from haat.core.errors import responses
from haat.identity.actor import Actor
from haat.identity.auth import AuthenticatedActor
from haat.payments import (
    business_settings,
    charges,
    escrow,
    ledger_views,
    lifecycle,
    refunds,
    webhooks,
)
from haat.payments.models import Milestone, Payment, PaymentProvider
from haat.payments.providers import PaymentProviders, Providers
from haat.payments.schemas import (
    CounterSaleIn,
    CounterSaleOut,
    JournalEntryOut,
    MilestoneOut,
    MilestonesIn,
    PaymentIn,
    PaymentOut,
    PaymentSettingsIn,
    PaymentSettingsOut,
    PaymentStartOut,
    RazorpayCallbackIn,
    ReleaseIn,
    TrialBalanceOut,
    WebhookOut,
)

payments_router = APIRouter(prefix="/api/payments", tags=["payments"])
order_money_router = APIRouter(prefix="/api/orders", tags=["orders"])


OrderView = OrderStaffOut | OrderOut


async def _out(session: AsyncSession, payment: Payment) -> PaymentOut:
    """The payment with its status history."""
    return PaymentOut.model_validate(await charges.with_history(session, payment))


async def _started(
    session: AsyncSession, payment: Payment, providers: Providers, actor: Actor
) -> PaymentStartOut:
    """The payment with its status history, and what its payer's browser needs to pay it
    (the payer only)."""
    out = PaymentStartOut.model_validate(await charges.with_history(session, payment))
    if payment.payer_id is None or payment.payer_id != actor.user_id:
        out.client_secret = None
        return out
    if payment.provider == PaymentProvider.RAZORPAY and payment.provider_reference:
        out.checkout = {
            "key": providers.razorpay_key_id or "",
            "order_id": payment.provider_reference,
            "amount": payment.amount_minor,
            "currency": payment.currency,
        }
    return out


# --- settings ----------------------------------------------------------------------------


@payments_router.get(
    "/settings/{business_id:uuid}",
    response_model=PaymentSettingsOut,
    responses=responses(401, 404),
)
async def read_settings(
    business_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> PaymentSettingsOut:
    """The business's payment provider and account (its members, platform admins)."""
    provider, account = await business_settings.read(session, actor, business_id)
    return PaymentSettingsOut(business_id=business_id, provider=provider, account_id=account)


@payments_router.put(
    "/settings/{business_id:uuid}",
    response_model=PaymentSettingsOut,
    responses=responses(401, 403, 404, 422),
)
async def update_settings(
    business_id: uuid.UUID,
    data: PaymentSettingsIn,
    actor: AuthenticatedActor,
    session: DbSession,
    providers: PaymentProviders,
) -> PaymentSettingsOut:
    """Choose the business's provider (its admins): `manual`, or `stripe` / `razorpay` with
    the business's connected or linked account id."""
    provider, account = await business_settings.update(
        session, actor, providers, business_id, data.provider, data.account_id
    )
    return PaymentSettingsOut(business_id=business_id, provider=provider, account_id=account)


# --- payments ----------------------------------------------------------------------------


@order_money_router.post(
    "/{order_id:uuid}/payments",
    status_code=201,
    response_model=PaymentStartOut,
    responses=responses(401, 403, 404, 409, 422, 502, 503),
)
async def open_payment(
    order_id: uuid.UUID,
    data: PaymentIn,
    key: IdempotencyKey,
    actor: AuthenticatedActor,
    session: DbSession,
    providers: PaymentProviders,
    response: Response,
) -> PaymentStartOut:
    """Pay the order (or one milestone) through the seller's provider. A retry with the same
    Idempotency-Key and body returns the same payment (200)."""
    payment, created = await charges.open_payment(session, actor, providers, order_id, data, key)
    if not created:
        response.status_code = 200
    return await _started(session, payment, providers, actor)


@order_money_router.get(
    "/{order_id:uuid}/payments", response_model=list[PaymentOut], responses=responses(401, 404)
)
async def list_payments(
    order_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> list[PaymentOut]:
    payments = await charges.list_payments(session, actor, order_id, history=True)
    return [PaymentOut.model_validate(p) for p in payments]


@payments_router.get(
    "/{payment_id:uuid}", response_model=PaymentStartOut, responses=responses(401, 404)
)
async def get_payment(
    payment_id: uuid.UUID,
    actor: AuthenticatedActor,
    session: DbSession,
    providers: PaymentProviders,
) -> PaymentStartOut:
    payment, _ = await charges.readable_payment(session, actor, payment_id)
    return await _started(session, payment, providers, actor)


@payments_router.post(
    "/{payment_id:uuid}/confirm",
    response_model=PaymentOut,
    responses=responses(401, 403, 404, 409),
)
async def confirm_payment(
    payment_id: uuid.UUID,
    actor: AuthenticatedActor,
    session: DbSession,
    providers: PaymentProviders,
) -> PaymentOut:
    """The seller's staff received a manual payment (cash, UPI, bank transfer)."""
    return await _out(session, await charges.confirm_manual(session, actor, providers, payment_id))


@payments_router.post(
    "/{payment_id:uuid}/reject",
    response_model=PaymentOut,
    responses=responses(401, 403, 404, 409),
)
async def reject_payment(
    payment_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> PaymentOut:
    """The seller's staff never received a manual payment: it fails."""
    return await _out(session, await charges.reject_manual(session, actor, payment_id))


@payments_router.post(
    "/razorpay/callback",
    response_model=PaymentOut,
    responses=responses(400, 401, 404, 422, 502, 503),
)
async def razorpay_callback(
    data: RazorpayCallbackIn,
    actor: AuthenticatedActor,
    session: DbSession,
    providers: PaymentProviders,
) -> PaymentOut:
    """Razorpay Checkout's signed result, handed over by the buyer's browser."""
    payment = await charges.razorpay_callback(session, actor, providers, data.model_dump())
    return await _out(session, payment)


@payments_router.post(
    "/counter-sales",
    status_code=201,
    response_model=CounterSaleOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def counter_sale(
    data: CounterSaleIn,
    key: IdempotencyKey,
    actor: AuthenticatedActor,
    session: DbSession,
    providers: PaymentProviders,
    response: Response,
) -> CounterSaleOut:
    """A walk-in sale paid at the counter: order, stock, payment and ledger in one go."""
    order, payment, created = await lifecycle.counter_sale(session, actor, providers, data, key)
    if not created:
        response.status_code = 200
    return CounterSaleOut(
        order=OrderStaffOut.model_validate(order), payment=await _out(session, payment)
    )


# --- webhooks ----------------------------------------------------------------------------


async def _webhook(
    request: Request, session: DbSession, providers: Providers, name: PaymentProvider
) -> WebhookOut:
    event_id, outcome = await webhooks.receive(
        session, providers, name, await request.body(), request.headers
    )
    return WebhookOut(event_id=event_id, outcome=outcome)


@payments_router.post(
    "/webhooks/stripe", response_model=WebhookOut, responses=responses(400, 502, 503)
)
async def stripe_webhook(
    request: Request, session: DbSession, providers: PaymentProviders
) -> WebhookOut:
    """Stripe events, verified by `Stripe-Signature`; each event id is applied once."""
    return await _webhook(request, session, providers, PaymentProvider.STRIPE)


@payments_router.post(
    "/webhooks/razorpay", response_model=WebhookOut, responses=responses(400, 502, 503)
)
async def razorpay_webhook(
    request: Request, session: DbSession, providers: PaymentProviders
) -> WebhookOut:
    """Razorpay events, verified by `X-Razorpay-Signature`; each event id is applied once."""
    return await _webhook(request, session, providers, PaymentProvider.RAZORPAY)


# --- milestones --------------------------------------------------------------------------


def _milestones(rows: list[Milestone]) -> list[MilestoneOut]:
    return [MilestoneOut.model_validate(m) for m in rows]


@order_money_router.get(
    "/{order_id:uuid}/milestones", response_model=list[MilestoneOut], responses=responses(401, 404)
)
async def list_milestones(
    order_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> list[MilestoneOut]:
    return _milestones(await escrow.list_milestones(session, actor, order_id))


@order_money_router.put(
    "/{order_id:uuid}/milestones",
    response_model=list[MilestoneOut],
    responses=responses(401, 403, 404, 409, 422),
)
async def set_milestones(
    order_id: uuid.UUID, data: MilestonesIn, actor: AuthenticatedActor, session: DbSession
) -> list[MilestoneOut]:
    """Replace the milestones of an unpaid order (the seller's staff): amounts or percentages
    summing exactly to the total; an empty list pays the order as a whole."""
    return _milestones(await escrow.set_milestones(session, actor, order_id, data))


@order_money_router.post(
    "/{order_id:uuid}/milestones/{milestone_id:uuid}/release",
    response_model=MilestoneOut,
    responses=responses(401, 403, 404, 409, 422, 502, 503),
)
async def release_milestone(
    order_id: uuid.UUID,
    milestone_id: uuid.UUID,
    data: ReleaseIn,
    actor: AuthenticatedActor,
    session: DbSession,
    providers: PaymentProviders,
) -> MilestoneOut:
    """Release a funded milestone to the seller (the buyer, or a platform admin)."""
    milestone = await escrow.release_milestone(
        session, actor, providers, order_id, milestone_id, data.note
    )
    return MilestoneOut.model_validate(milestone)


@order_money_router.post(
    "/{order_id:uuid}/milestones/{milestone_id:uuid}/refund",
    response_model=MilestoneOut,
    responses=responses(401, 403, 404, 409, 422, 502, 503),
)
async def refund_milestone(
    order_id: uuid.UUID,
    milestone_id: uuid.UUID,
    data: ReleaseIn,
    actor: AuthenticatedActor,
    session: DbSession,
    providers: PaymentProviders,
) -> MilestoneOut:
    """Refund a funded milestone to the buyer (platform admins, settling a dispute)."""
    milestone = await refunds.refund_milestone(
        session, actor, providers, order_id, milestone_id, data.note
    )
    return MilestoneOut.model_validate(milestone)


# --- order status and ledger -------------------------------------------------------------


@order_money_router.put(
    "/{order_id:uuid}/status",
    response_model=OrderView,
    responses=responses(401, 403, 404, 409, 422, 502, 503),
)
async def change_status(
    order_id: uuid.UUID,
    data: StatusIn,
    actor: AuthenticatedActor,
    session: DbSession,
    providers: PaymentProviders,
) -> OrderOut:
    """Move the order along pending → confirmed → processing → shipped → delivered →
    completed, or to cancelled (before shipping; restocks, refunds what is in escrow) or
    refunded (everything paid goes back). Delivering an order paid as a whole releases its
    payment to the seller."""
    await lifecycle.change_order_status(session, actor, providers, order_id, data.status, data.note)
    return await orders.view(session, actor, await orders.get_order(session, actor, order_id))


@order_money_router.get(
    "/{order_id:uuid}/ledger",
    response_model=list[JournalEntryOut],
    responses=responses(401, 403, 404),
)
async def order_ledger(
    order_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> list[JournalEntryOut]:
    """The journal entries of an order, oldest first (the business's staff, platform admins)."""
    return await ledger_views.order_entries(session, actor, order_id)


@payments_router.get(
    "/ledger/trial-balance", response_model=TrialBalanceOut, responses=responses(401, 403)
)
async def trial_balance(actor: AuthenticatedActor, session: DbSession) -> TrialBalanceOut:
    """The sum of every posting per currency (platform admins): zero, always."""
    return await ledger_views.trial_balance(session, actor)
