"""Property tests of the khata arithmetic on the real database, through the services.

For random sequences of credits, payments, signed adjustments and reversals:
the balance is credits - payments + adjustments; the statement's running balance ends there;
and the summary's ageing equals a plain FIFO settlement computed in Python.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haat.core.money import PaymentMethod
from haat.customers import khata, summary
from haat.customers.models import EntryKind
from haat.customers.schemas import CustomerCreate, EntryCreate
from haat.customers.service import create_customer
from tests.conftest import Factory
from tests.customers.conftest import today

AMOUNT = st.integers(1, 10**9)
DAYS = st.integers(0, 150)
OPERATION = st.one_of(
    st.tuples(st.just("credit"), AMOUNT, DAYS),
    st.tuples(st.just("payment"), AMOUNT, DAYS),
    st.tuples(st.just("adjustment"), st.integers(-(10**9), 10**9).filter(bool), DAYS),
    st.tuples(st.just("reverse"), st.integers(0, 10**6), st.just(0)),
)


@dataclass
class Recorded:
    id: uuid.UUID
    kind: EntryKind
    amount: int
    day: date
    reverses: uuid.UUID | None


def fifo_ageing(entries: list[Recorded], as_of: date) -> list[int]:
    """Buckets 0-30, 31-60, 61-90, 90+ of the outstanding balance, oldest increases paid
    first, reversed pairs left out."""
    reversed_ids = {e.reverses for e in entries if e.reverses}
    live = [e for e in entries if e.reverses is None and e.id not in reversed_ids]
    effects = [(khata.effect(e.kind, e.amount), e.day) for e in live]
    if sum(x for x, _ in effects) <= 0:
        return [0, 0, 0, 0]
    settle = -sum(x for x, _ in effects if x < 0)
    buckets = [0, 0, 0, 0]
    for amount, day in sorted(((x, d) for x, d in effects if x > 0), key=lambda t: t[1]):
        used = min(amount, settle)
        settle -= used
        age = (as_of - day).days
        buckets[0 if age <= 30 else 1 if age <= 60 else 2 if age <= 90 else 3] += amount - used
    return buckets


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATION, max_size=20))
async def test_balance_statement_and_ageing_agree(
    factory: Factory, operations: list[tuple[str, int, int]]
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner, name="Property Shop")
    actor, as_of = owner.actor, today()
    recorded: list[Recorded] = []
    async with factory.session() as s:
        customer = await create_customer(
            s,
            actor,
            CustomerCreate(business_id=business.id, name="Prop", phone="+919812345678"),
        )
        for kind, amount, days in operations:
            if kind == "reverse":
                reversed_ids = {e.reverses for e in recorded}
                candidates = [
                    e for e in recorded if e.reverses is None and e.id not in reversed_ids
                ]
                if not candidates:
                    continue
                original = candidates[amount % len(candidates)]
                entry = await khata.reverse_entry(s, actor, original.id, "property test")
            else:
                entry = await khata.record_entry(
                    s,
                    actor,
                    EntryCreate(
                        customer_id=customer.id,
                        kind=EntryKind(kind),
                        amount_minor=amount,
                        occurred_on=as_of - timedelta(days=days),
                        method=PaymentMethod.CASH if kind == "payment" else None,
                    ),
                )
            recorded.append(
                Recorded(
                    entry.id, entry.kind, entry.amount_minor, entry.occurred_on, entry.reverses_id
                )
            )
        await s.commit()

        def total(kind: EntryKind) -> int:
            return sum(e.amount for e in recorded if e.kind == kind)

        expected = total(EntryKind.CREDIT) - total(EntryKind.PAYMENT) + total(EntryKind.ADJUSTMENT)
        balance = await khata.balance_for(s, actor, customer.id)
        assert balance.balance_minor == expected
        assert balance.entries == len(recorded)

        statement = await khata.statement(s, actor, customer.id)
        assert statement.closing_balance_minor == expected
        running = 0
        for line in statement.lines:
            running += line.effect_minor
            assert line.balance_minor == running

        got = await summary.business_summary(s, actor, business.id, today=as_of)
        ageing = fifo_ageing(recorded, as_of)
        assert [
            got.ageing.days_0_30,
            got.ageing.days_31_60,
            got.ageing.days_61_90,
            got.ageing.days_over_90,
        ] == ageing
        assert got.total_receivable_minor == max(expected, 0)
        assert got.advances_minor == max(-expected, 0)
        assert got.customers_with_dues == (1 if expected > 0 else 0)
