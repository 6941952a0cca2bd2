"""The double-entry ledger: balanced entries only, idempotent replays, safe account creation."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.db import Database, session_scope
from haat.payments import ledger
from haat.payments.ledger import (
    PLATFORM_CASH,
    PLATFORM_FEES,
    IdempotencyConflict,
    InvalidEntry,
    UnbalancedEntry,
    escrow_account,
    seller_payable,
)
from haat.payments.models import (
    AccountKind,
    JournalEntry,
    LedgerAccount,
    LedgerIsAppendOnly,
    Posting,
)


async def _counts(db: Database) -> tuple[int, int, int]:
    async with db.session(write=False) as s:
        return tuple(  # type: ignore[return-value]
            [
                int(await s.scalar(select(func.count()).select_from(model)) or 0)
                for model in (LedgerAccount, JournalEntry, Posting)
            ]
        )


def _payment(order: uuid.UUID, amount: int = 100000) -> list[ledger.Line]:
    """A buyer's payment for an order reaches the platform and is held in escrow."""
    return [(PLATFORM_CASH, amount, "INR"), (escrow_account(order), -amount, "INR")]


async def test_a_balanced_entry_is_posted(db: Database) -> None:
    order, seller = uuid.uuid4(), uuid.uuid4()
    async with session_scope(db) as s:
        paid = await ledger.post(
            s, description="Payment for order", reference=("order", order), lines=_payment(order)
        )
        # Milestone 1 of 3 (30%) released: seller gets 27,000.00 less a 3,000.00 fee.
        await ledger.post(
            s,
            description="Milestone released",
            reference=("milestone", uuid.uuid4()),
            lines=[
                (escrow_account(order), 30000, "INR"),
                (seller_payable(seller), -27000, "INR"),
                (PLATFORM_FEES, -3000, "INR"),
            ],
        )
    assert [p.amount_minor for p in paid.postings] == [100000, -100000]
    async with db.session(write=False) as s:
        assert await ledger.balance(s, PLATFORM_CASH, "INR") == 100000
        assert await ledger.balance(s, escrow_account(order), "INR") == -70000
        assert await ledger.balance(s, seller_payable(seller), "INR") == -27000
        assert await ledger.balance(s, PLATFORM_FEES, "INR") == -3000
        assert await ledger.balance(s, PLATFORM_FEES, "USD") == 0
        assert await ledger.balance(s, "platform:nothing", "INR") == 0
        assert await ledger.trial_balance(s) == {"INR": 0}
        accounts = {a.code: a for a in (await s.scalars(select(LedgerAccount))).all()}
        entries = await ledger.entries_for(s, ("order", order))
    assert accounts[PLATFORM_CASH].kind == AccountKind.ASSET
    assert accounts[PLATFORM_FEES].kind == AccountKind.REVENUE
    assert accounts[escrow_account(order)].kind == AccountKind.LIABILITY
    assert accounts[escrow_account(order)].owner_id == order
    assert accounts[seller_payable(seller)].owner_id == seller
    assert [e.id for e in entries] == [paid.id]
    assert [(p.account.code, p.amount_minor) for p in entries[0].postings] == [
        (PLATFORM_CASH, 100000),
        (escrow_account(order), -100000),
    ]


async def test_one_code_has_one_account_per_currency(db: Database) -> None:
    ref = ("order", uuid.uuid4())
    async with session_scope(db) as s:
        await ledger.post(
            s,
            description="Two currencies, each balanced",
            reference=ref,
            lines=[
                (PLATFORM_CASH, 500, "USD"),
                (PLATFORM_FEES, -500, "USD"),
                (PLATFORM_CASH, 1000, "JPY"),
                (PLATFORM_FEES, -1000, "JPY"),
            ],
        )
    async with db.session(write=False) as s:
        assert await ledger.balance(s, PLATFORM_CASH, "USD") == 500
        assert await ledger.balance(s, PLATFORM_CASH, "JPY") == 1000
        assert await ledger.trial_balance(s) == {"USD": 0, "JPY": 0}
    assert await _counts(db) == (4, 1, 4)


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ([(PLATFORM_CASH, 100, "INR"), (PLATFORM_FEES, -99, "INR")], UnbalancedEntry),
        # Balanced in total but not per currency: 1 rupee is not 1 dollar.
        ([(PLATFORM_CASH, 100, "INR"), (PLATFORM_FEES, -100, "USD")], UnbalancedEntry),
        ([(PLATFORM_CASH, 0, "INR"), (PLATFORM_FEES, 0, "INR")], InvalidEntry),
        (
            [(PLATFORM_CASH, 100, "INR"), (PLATFORM_FEES, -100, "INR"), (PLATFORM_FEES, 0, "INR")],
            InvalidEntry,
        ),  # fmt: skip
        ([(PLATFORM_CASH, 100, "INR")], InvalidEntry),
        ([], InvalidEntry),
        ([(PLATFORM_CASH, 1.5, "INR"), (PLATFORM_FEES, -1.5, "INR")], InvalidEntry),
        ([(PLATFORM_CASH, 100, "ZZZ"), (PLATFORM_FEES, -100, "ZZZ")], InvalidEntry),
        ([("wallet:me", 100, "INR"), (PLATFORM_FEES, -100, "INR")], InvalidEntry),
        ([("escrow:not-a-uuid", 100, "INR"), (PLATFORM_FEES, -100, "INR")], InvalidEntry),
    ],
)
async def test_invalid_entries_are_refused(
    db: Database, lines: list[ledger.Line], error: type[Exception]
) -> None:
    async with db.session() as s:
        with pytest.raises(error):
            await ledger.post(s, description="bad", reference=("order", uuid.uuid4()), lines=lines)
        await s.commit()
    assert issubclass(error, ValueError)
    assert await _counts(db) == (0, 0, 0)


async def test_a_refused_entry_rolls_back_the_whole_request(db: Database) -> None:
    order = uuid.uuid4()
    with pytest.raises(UnbalancedEntry):
        async with session_scope(db) as s:
            await ledger.post(
                s, description="ok", reference=("order", order), lines=_payment(order)
            )
            await ledger.post(
                s,
                description="off by one paisa",
                reference=("order", order),
                lines=[(escrow_account(order), 100000, "INR"), (PLATFORM_FEES, -99999, "INR")],
            )
    assert await _counts(db) == (0, 0, 0)


async def test_replaying_an_idempotency_key_posts_once(db: Database) -> None:
    order = uuid.uuid4()
    kw = {"description": "Payment", "reference": ("order", order), "lines": _payment(order)}
    async with session_scope(db) as s:
        first = await ledger.post(s, idempotency_key=f"pay-{order}", **kw)  # type: ignore[arg-type]
        again = await ledger.post(s, idempotency_key=f"pay-{order}", **kw)  # type: ignore[arg-type]
    assert again.id == first.id
    async with session_scope(db) as s:  # a later request, e.g. a retried webhook
        later = await ledger.post(s, idempotency_key=f"pay-{order}", **kw)  # type: ignore[arg-type]
        assert later.id == first.id
        assert await ledger.balance(s, PLATFORM_CASH, "INR") == 100000
    assert await _counts(db) == (2, 1, 2)


async def test_an_idempotency_key_cannot_be_reused_for_another_entry(db: Database) -> None:
    order = uuid.uuid4()
    async with session_scope(db) as s:
        await ledger.post(
            s, description="Payment", reference=("order", order), lines=_payment(order),
            idempotency_key="k1",
        )  # fmt: skip
    for changed in (
        {"description": "Payment", "reference": ("order", order), "lines": _payment(order, 1)},
        {"description": "Other", "reference": ("order", order), "lines": _payment(order)},
        {"description": "Payment", "reference": ("order", uuid.uuid4()), "lines": _payment(order)},
    ):
        async with db.session() as s:
            with pytest.raises(IdempotencyConflict) as caught:
                await ledger.post(s, idempotency_key="k1", **changed)  # type: ignore[arg-type]
        assert caught.value.status == 409
    assert await _counts(db) == (2, 1, 2)


async def test_concurrent_first_use_of_an_account_creates_it_once(db: Database) -> None:
    """Two transactions post to the same brand-new accounts at once (on PostgreSQL the
    second one's INSERT waits for the first's commit, then finds the row)."""
    seller = uuid.uuid4()

    async def release(milestone: uuid.UUID) -> None:
        async with db.session() as s:
            await ledger.post(
                s,
                description="Milestone released",
                reference=("milestone", milestone),
                lines=[(PLATFORM_CASH, 5000, "INR"), (seller_payable(seller), -5000, "INR")],
            )
            await asyncio.sleep(0.05)  # hold the transaction open while the other one starts
            await s.commit()

    await asyncio.gather(release(uuid.uuid4()), release(uuid.uuid4()))
    async with db.session(write=False) as s:
        codes = (await s.scalars(select(LedgerAccount.code))).all()
        assert sorted(codes) == sorted([PLATFORM_CASH, seller_payable(seller)])
        assert await ledger.balance(s, seller_payable(seller), "INR") == -10000
        assert await ledger.trial_balance(s) == {"INR": 0}


async def test_a_second_first_use_waits_for_the_first_and_reuses_its_account(
    db: Database,
) -> None:
    """The same race, forced: the second transaction is stuck (PostgreSQL: on the unique
    key; SQLite: on the write lock) until the first commits, then reuses the account."""
    buyer = uuid.uuid4()
    lines = [(PLATFORM_CASH, 700, "INR"), (ledger.buyer_account(buyer), -700, "INR")]

    async def pay(s: AsyncSession) -> None:
        await ledger.post(s, description="top-up", reference=("order", uuid.uuid4()), lines=lines)
        await s.commit()

    async with db.session() as first, db.session() as second:
        await ledger.post(first, description="top-up", reference=("order", buyer), lines=lines)
        waiting = asyncio.create_task(pay(second))
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await first.commit()
        await asyncio.wait_for(waiting, timeout=30)
    assert await _counts(db) == (2, 2, 4)


async def test_concurrent_replays_of_one_key_post_once(db: Database) -> None:
    order = uuid.uuid4()

    async def pay() -> uuid.UUID:
        async with db.session() as s:
            entry = await ledger.post(
                s, description="Payment", reference=("order", order), lines=_payment(order),
                idempotency_key=f"webhook-{order}",
            )  # fmt: skip
            await asyncio.sleep(0.05)
            await s.commit()
            return entry.id

    first, second = await asyncio.gather(pay(), pay())
    assert first == second
    assert await _counts(db) == (2, 1, 2)


async def test_entries_are_append_only(db: Database) -> None:
    order = uuid.uuid4()
    async with session_scope(db) as s:
        entry = await ledger.post(
            s, description="x", reference=("order", order), lines=_payment(order)
        )
    async with db.session() as s:
        posting = await s.get(Posting, entry.postings[0].id)
        assert posting is not None
        posting.amount_minor = 1
        with pytest.raises(LedgerIsAppendOnly):
            await s.flush()
        await s.rollback()
        stored = await s.get(JournalEntry, entry.id)
        await s.delete(stored)
        with pytest.raises(LedgerIsAppendOnly):
            await s.flush()
