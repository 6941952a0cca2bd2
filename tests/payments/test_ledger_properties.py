"""Property: any sequence of balanced entries keeps the books balanced."""

from __future__ import annotations

import uuid
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haat.core.db import Database, session_scope
from haat.payments import ledger

CURRENCIES = ["INR", "USD", "JPY", "KWD"]
SLOTS = ["cash", "fees", "escrow", "seller", "buyer"]


@st.composite
def balanced_entry(draw: st.DrawFn) -> list[tuple[str, int, str]]:
    """2-6 postings on the named slots, in one or two currencies, summing to zero in each."""
    lines: list[tuple[str, int, str]] = []
    for currency in draw(
        st.lists(st.sampled_from(CURRENCIES), min_size=1, max_size=2, unique=True)
    ):
        amounts = draw(
            st.lists(st.integers(-(10**9), -1) | st.integers(1, 10**9), min_size=1, max_size=4)
        )
        balancing = -sum(amounts)
        if balancing == 0:  # the drawn amounts already balance: split the first one
            amounts = [amounts[0], -amounts[0]]
        else:
            amounts.append(balancing)
        for amount in amounts:
            lines.append((draw(st.sampled_from(SLOTS)), amount, currency))
    return lines


def _code(slot: str, ids: dict[str, uuid.UUID]) -> str:
    return {
        "cash": ledger.PLATFORM_CASH,
        "fees": ledger.PLATFORM_FEES,
        "escrow": ledger.escrow_account(ids["order"]),
        "seller": ledger.seller_payable(ids["seller"]),
        "buyer": ledger.buyer_account(ids["buyer"]),
    }[slot]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=st.lists(balanced_entry(), min_size=1, max_size=6))
async def test_balanced_entries_keep_the_trial_balance_at_zero(
    db: Database, entries: list[list[tuple[str, int, str]]]
) -> None:
    # Fresh owners per example, so that earlier examples' postings do not mix in (the shared
    # platform accounts are checked by the trial balance instead).
    ids = {"order": uuid.uuid4(), "seller": uuid.uuid4(), "buyer": uuid.uuid4()}
    expected: dict[tuple[str, str], int] = defaultdict(int)
    async with session_scope(db) as s:
        for number, slots in enumerate(entries):
            lines = [(_code(slot, ids), amount, currency) for slot, amount, currency in slots]
            await ledger.post(
                s, description=f"entry {number}", reference=("order", ids["order"]), lines=lines
            )
            for code, amount, currency in lines:
                expected[(code, currency)] += amount
    async with db.session(write=False) as s:
        assert set((await ledger.trial_balance(s)).values()) == {0}
        for (code, currency), total in expected.items():
            if code.startswith(("escrow:", "seller:", "buyer:")):
                assert await ledger.balance(s, code, currency) == total
        assert len(await ledger.entries_for(s, ("order", ids["order"]))) == len(entries)
