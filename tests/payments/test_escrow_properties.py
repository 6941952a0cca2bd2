"""Properties (hypothesis): milestone splits never lose a minor unit, and any sequence of
fund / release / refund on an order's milestones, run through the real services, keeps
escrow, seller payable, platform cash and fees at exactly what the milestones' states say,
with the whole ledger summing to zero. Refused steps (409) change nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import ClassVar

import hypothesis
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from haat.commerce.models import Order, OrderStatus, PaymentStatus
from haat.config import Settings
from haat.core.db import Database, session_scope
from haat.core.errors import InvalidTransition, Unprocessable
from haat.payments import escrow, funding, ledger, postings, refunds
from haat.payments.models import (
    Milestone,
    MilestoneStatus,
    Payment,
    PaymentProvider,
    PaymentState,
)
from haat.payments.providers import Opened, Provider, ProviderPayment, Providers
from haat.payments.schemas import MilestoneIn, MilestonesIn
from tests.conftest import Factory
from tests.payments.conftest import posting_totals

# --- splits ---------------------------------------------------------------------------------


@st.composite
def percentages(draw: st.DrawFn) -> list[int]:
    """1-10 positive basis points summing to 10000 (cut points on 0..10000)."""
    cuts = sorted(draw(st.sets(st.integers(1, 9_999), max_size=9)))
    edges = [0, *cuts, 10_000]
    return [b - a for a, b in zip(edges, edges[1:], strict=False)]


@hypothesis.settings(max_examples=300, deadline=None)
@given(total=st.integers(1, 10**13), ratios=percentages())
def test_percent_splits_sum_to_the_total(total: int, ratios: list[int]) -> None:
    data = MilestonesIn(
        milestones=[MilestoneIn(title=f"m{i}", percent_bp=r) for i, r in enumerate(ratios)]
    )
    try:
        parts = escrow.split(total, data)
    except Unprocessable:
        assert any(Fraction(total * r, 10_000) < 1 for r in ratios)
        return
    amounts = [a for a, _ in parts]
    assert sum(amounts) == total and all(a > 0 for a in amounts)
    for amount, ratio in zip(amounts, ratios, strict=True):
        assert abs(amount - Fraction(total * ratio, 10_000)) < 1  # within one minor unit


@hypothesis.settings(max_examples=200, deadline=None)
@given(amount=st.integers(1, 10**13), bp=st.integers(0, 10_000))
def test_commission_and_share_add_up(amount: int, bp: int) -> None:
    fee = postings.commission(amount, bp)
    assert 0 <= fee <= amount
    assert abs(fee - Fraction(amount * bp, 10_000)) <= Fraction(1, 2)
    lines = postings.release(amount, fee, "INR", uuid.uuid4(), uuid.uuid4())
    assert sum(a for _, a, _ in lines) == 0 and all(a != 0 for _, a, _ in lines)


# --- fund / release / refund through the services -------------------------------------------


class OfflineOnlineProvider(Provider):
    """An online provider with nothing behind it: the ledger sees platform cash move, as for
    Stripe and Razorpay, without HTTP (their wire protocols have their own tests)."""

    name: ClassVar[PaymentProvider] = PaymentProvider.STRIPE
    online: ClassVar[bool] = True

    async def open(self, payment: ProviderPayment) -> Opened:
        return Opened(reference=f"pi_{payment.id.hex}")

    async def release(self, payment: ProviderPayment, share_minor: int) -> str | None:
        return f"tr_{payment.id.hex}"

    async def refund(self, payment: ProviderPayment) -> str | None:
        return f"re_{payment.id.hex}"


@contextmanager
def offline_providers(base: Providers, bp: int) -> Iterator[Providers]:
    base.commission_bp = bp
    base.install(OfflineOnlineProvider())
    yield base


ACTIONS = st.lists(
    st.tuples(st.sampled_from(["fund", "release", "refund"]), st.integers(0, 4)), max_size=14
)


@pytest.fixture
async def owner_business(factory: Factory) -> tuple[uuid.UUID, uuid.UUID]:
    owner = await factory.user("seller")
    business = await factory.business(owner)
    return owner.id, business.id


@hypothesis.settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    amounts=st.lists(st.integers(1, 10**10), min_size=1, max_size=5),
    bp=st.integers(0, 10_000),
    online=st.booleans(),
    actions=ACTIONS,
)
async def test_postings_follow_the_milestones(
    db: Database,
    settings: Settings,
    owner_business: tuple[uuid.UUID, uuid.UUID],
    amounts: list[int],
    bp: int,
    online: bool,
    actions: list[tuple[str, int]],
) -> None:
    owner_id, business_id = owner_business
    provider = PaymentProvider.STRIPE if online else PaymentProvider.MANUAL
    state = {i: MilestoneStatus.PENDING for i in range(len(amounts))}
    with offline_providers(Providers(settings), bp) as providers:
        async with session_scope(db) as s:
            # Earlier examples share the platform's and this seller's accounts: compare changes.
            shared = (
                ledger.PLATFORM_CASH,
                ledger.PLATFORM_FEES,
                ledger.seller_payable(business_id),
            )
            before = {code: await ledger.balance(s, code, "INR") for code in shared}
            order = Order(
                number=f"HT-P-{uuid.uuid4().hex[:12]}",
                business_id=business_id,
                status=OrderStatus.PROCESSING,
                payment_status=PaymentStatus.UNPAID,
                currency="INR",
                subtotal_minor=sum(amounts),
                tax_minor=0,
                total_minor=sum(amounts),
            )
            s.add(order)
            await s.flush()
            milestones, payments = [], []
            for i, amount in enumerate(amounts):
                m = Milestone(
                    order_id=order.id,
                    position=i,
                    title=f"m{i}",
                    amount_minor=amount,
                    currency="INR",
                    status=MilestoneStatus.PENDING,
                )
                s.add(m)
                await s.flush()
                p = Payment(
                    order_id=order.id,
                    milestone_id=m.id,
                    business_id=business_id,
                    created_by=owner_id,
                    provider=provider,
                    status=PaymentState.PENDING,
                    amount_minor=amount,
                    currency="INR",
                    commission_bp=bp,
                    idempotency_key=uuid.uuid4().hex,
                    request_hash="x" * 64,
                    provider_reference=f"ref_{uuid.uuid4().hex}",
                )
                s.add(p)
                milestones.append(m)
                payments.append(p)
            await s.flush()

            for action, index in actions:
                i = index % len(amounts)
                allowed = {
                    "fund": state[i] == MilestoneStatus.PENDING,
                    "release": state[i] == MilestoneStatus.FUNDED,
                    "refund": state[i] in (MilestoneStatus.FUNDED, MilestoneStatus.RELEASED),
                }[action]
                try:
                    async with s.begin_nested():
                        if action == "fund":
                            await funding.fund_payment(s, providers, payments[i], order, owner_id)
                        elif action == "release":
                            await escrow.move(
                                s, milestones[i].id, owner_id, MilestoneStatus.RELEASED
                            )
                            await escrow.release_payment(s, providers, payments[i], order)
                        else:
                            await refunds.refund_payment(
                                s, providers, payments[i], order, owner_id, "test"
                            )
                except InvalidTransition:
                    assert not allowed, (action, state[i])
                    await s.refresh(payments[i])
                    continue
                assert allowed, (action, state[i])
                state[i] = {
                    "fund": MilestoneStatus.FUNDED,
                    "release": MilestoneStatus.RELEASED,
                    "refund": MilestoneStatus.REFUNDED,
                }[action]

            fees = {i: postings.commission(a, bp) for i, a in enumerate(amounts)}
            funded = sum(a for i, a in enumerate(amounts) if state[i] == MilestoneStatus.FUNDED)
            released_fees = sum(fees[i] for i in state if state[i] == MilestoneStatus.RELEASED)
            escrow_balance = await ledger.balance(s, ledger.escrow_account(order.id), "INR")
            payable = await ledger.balance(s, shared[2], "INR") - before[shared[2]]
            cash = (
                await ledger.balance(s, ledger.PLATFORM_CASH, "INR") - before[ledger.PLATFORM_CASH]
            )
            fee_balance = (
                await ledger.balance(s, ledger.PLATFORM_FEES, "INR") - before[ledger.PLATFORM_FEES]
            )
            assert escrow_balance == -funded
            assert fee_balance == -released_fees
            if online:  # the platform holds escrow and its fees; the seller was paid out
                assert cash == funded + released_fees and payable == 0
            else:  # the seller holds the cash: escrow, and on what was released, the fee
                assert cash == 0 and payable == funded + released_fees
            statuses = {m.id: m.status for m in await escrow.milestones_of(s, order.id)}
            assert [statuses[m.id] for m in milestones] == [state[i] for i in range(len(amounts))]
    assert all(total == 0 for total in (await posting_totals(db)).values())
