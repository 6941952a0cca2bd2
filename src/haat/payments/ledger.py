"""The double-entry ledger: post balanced journal entries and read balances.

The rule of double entry: every entry debits some accounts and credits others by the same
total, so the postings of an entry sum to zero in each currency, and therefore the postings of
the whole ledger do too (`trial_balance` is zero in every currency, always).

Sign convention: **debits are positive, credits negative**, in integer minor units. An account's
`balance` is the plain sum of its postings: positive for a normal asset (``platform:cash``),
negative for a normal liability or revenue (``escrow:<order>``, ``seller:<id>:payable``,
``platform:fees``): what the platform owes a seller is ``-balance(...)``.

Accounts are named by code and exist once per currency; `post` creates them on first use,
taking the kind from the code (see `account_kind`). Nothing here commits: the caller's session
(the request's) commits once, or rolls back everything, postings included.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository as core_repository
from haat.core.errors import Conflict
from haat.core.i18n import is_currency
from haat.payments.models import AccountKind, JournalEntry, LedgerAccount, Posting
from haat.payments.repository import ledger as repository

Line = tuple[str, int, str]  # (account code, amount in minor units: debit > 0, currency)
Reference = tuple[str, uuid.UUID]  # (what the entry is about, its id), e.g. ("order", id)

PLATFORM_CASH = "platform:cash"  # money the platform holds at its bank or payment provider
PLATFORM_FEES = "platform:fees"  # the platform's commission
PLATFORM_PROCESSING_FEES = "platform:processing_fees"  # what payment providers charge us
PLATFORM_EQUITY = "platform:equity"

_PLATFORM_ACCOUNTS = {
    PLATFORM_CASH: AccountKind.ASSET,
    PLATFORM_FEES: AccountKind.REVENUE,
    PLATFORM_PROCESSING_FEES: AccountKind.EXPENSE,
    PLATFORM_EQUITY: AccountKind.EQUITY,
}
_BIGINT_MAX = 2**63 - 1


class InvalidEntry(ValueError):
    """An entry that breaks a rule of the ledger; nothing was stored."""


class UnbalancedEntry(InvalidEntry):
    """An entry whose postings do not sum to zero in every currency."""


class IdempotencyConflict(Conflict):
    """The idempotency key was already used for a different entry (409)."""

    code, title = "idempotency_conflict", "Idempotency key already used for another entry"


def buyer_account(user_id: uuid.UUID) -> str:
    """``buyer:<uuid>``: an asset, what the buyer owes the platform (negative: a credit the
    platform holds for the buyer, e.g. a refund not yet paid out)."""
    return f"buyer:{user_id}"


def seller_payable(business_id: uuid.UUID) -> str:
    """``seller:<uuid>:payable``: a liability, what the platform owes the selling business."""
    return f"seller:{business_id}:payable"


def escrow_account(order_id: uuid.UUID) -> str:
    """``escrow:<uuid>``: a liability, a buyer's payment for an order held until release."""
    return f"escrow:{order_id}"


def account_kind(code: str) -> tuple[AccountKind, uuid.UUID | None]:
    """The kind of the account ``code`` names and the owner id in it, if any.

    Known codes: ``platform:cash`` (asset), ``platform:fees`` (revenue),
    ``platform:processing_fees`` (expense), ``platform:equity`` (equity), ``buyer:<uuid>``
    (asset), ``seller:<uuid>:payable`` and ``escrow:<uuid>`` (liabilities).
    Raises `InvalidEntry` for any other code.
    """
    if code in _PLATFORM_ACCOUNTS:
        return _PLATFORM_ACCOUNTS[code], None
    parts = code.split(":")
    try:
        match parts:
            case ["buyer", owner]:
                return AccountKind.ASSET, uuid.UUID(owner)
            case ["seller", owner, "payable"]:
                return AccountKind.LIABILITY, uuid.UUID(owner)
            case ["escrow", owner]:
                return AccountKind.LIABILITY, uuid.UUID(owner)
    except ValueError:
        pass
    raise InvalidEntry(f"unknown account code {code!r}")


def _check(description: str, reference: Reference, lines: Sequence[Line], key: str | None) -> None:
    if not 1 <= len(description) <= 500:
        raise InvalidEntry("description must be 1-500 characters")
    if not 1 <= len(reference[0]) <= 40 or not isinstance(reference[1], uuid.UUID):
        raise InvalidEntry("reference must be (type of 1-40 characters, UUID)")
    if key is not None and not 1 <= len(key) <= 200:
        raise InvalidEntry("idempotency key must be 1-200 characters")
    if len(lines) < 2:
        raise InvalidEntry("an entry needs at least two postings")
    totals: dict[str, int] = defaultdict(int)
    for code, amount, currency in lines:
        if not isinstance(code, str) or not isinstance(currency, str):
            raise InvalidEntry("account codes and currencies are strings")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise InvalidEntry(f"amount of {code!r} must be an int of minor units")
        if amount == 0 or abs(amount) > _BIGINT_MAX:
            raise InvalidEntry(f"amount of {code!r} must be non-zero and fit in 64 bits")
        if not is_currency(currency):
            raise InvalidEntry(f"not an ISO 4217 currency code: {currency!r}")
        account_kind(code)
        totals[currency] += amount
    off = {currency: total for currency, total in totals.items() if total}
    if off:
        raise UnbalancedEntry(f"postings must sum to zero per currency; they sum to {off}")


async def _accounts(
    session: AsyncSession, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], LedgerAccount]:
    """Get or create the accounts ``(code, currency)``, safely under concurrency.

    Missing ones are inserted in sorted order (so two transactions take row locks in the same
    order and cannot deadlock); a transaction that loses the race waits for the winner's
    commit and then reads its row.
    """
    found = await repository.accounts(session, keys)
    missing = sorted(keys - found.keys())
    if not missing:
        return found
    await repository.insert_accounts(
        session, [(code, currency, *account_kind(code)) for code, currency in missing]
    )
    return await repository.accounts(session, keys)


def _same_body(
    entry: JournalEntry, description: str, reference: Reference, lines: Sequence[Line]
) -> bool:
    stored = sorted((p.account.code, p.amount_minor, p.currency) for p in entry.postings)
    return (
        entry.description == description
        and (entry.reference_type, entry.reference_id) == reference
        and stored == sorted(lines)
    )


async def _replay(
    session: AsyncSession, key: str, description: str, reference: Reference, lines: Sequence[Line]
) -> JournalEntry | None:
    entry = await repository.entry_by_key(session, key)
    if entry is not None and not _same_body(entry, description, reference, lines):
        raise IdempotencyConflict(f"idempotency key {key!r} was used for a different entry")
    return entry


async def post(
    session: AsyncSession,
    *,
    description: str,
    reference: Reference,
    lines: Sequence[Line],
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Post one journal entry and return it (its postings loaded, in the order given).

    ``lines`` are ``(account code, amount_minor, currency)``: debit positive, credit
    negative, at least two, none zero, summing to zero per currency. Accounts are created on
    first use. With ``idempotency_key``, a repeat of the same entry returns the stored one
    without posting again, also when two transactions race with the same key.

    Raises `UnbalancedEntry` (a `ValueError`) when a currency does not sum to zero,
    `InvalidEntry` for fewer than two postings, a zero or non-integer amount, an unknown
    currency or account code (all checked before anything is written), and
    `IdempotencyConflict` (409) when the key was used for a different entry. Flushes; never
    commits.
    """
    lines = [(code, amount, currency) for code, amount, currency in lines]
    _check(description, reference, lines, idempotency_key)
    if idempotency_key is not None:
        existing = await _replay(session, idempotency_key, description, reference, lines)
        if existing is not None:
            return existing
    accounts = await _accounts(session, {(code, currency) for code, _, currency in lines})
    entry = JournalEntry(
        description=description,
        reference_type=reference[0],
        reference_id=reference[1],
        idempotency_key=idempotency_key,
        postings=[
            Posting(
                position=i,
                account=accounts[(code, currency)],
                amount_minor=amount,
                currency=currency,
            )
            for i, (code, amount, currency) in enumerate(lines)
        ],
    )
    if idempotency_key is None:
        await repository.add_entry(session, entry)
        return entry
    try:
        async with core_repository.savepoint(session):
            await repository.add_entry(session, entry)
    except IntegrityError:
        # Another transaction stored this key first (and has committed by now).
        existing = await _replay(session, idempotency_key, description, reference, lines)
        if existing is None:
            raise
        return existing
    return entry


async def balance(session: AsyncSession, account_code: str, currency: str) -> int:
    """The signed sum of the postings of account ``account_code`` in ``currency``, in minor
    units (debits positive): 0 for an account never used."""
    return await repository.balance(session, account_code, currency)


async def trial_balance(session: AsyncSession) -> dict[str, int]:
    """The sum of every posting per currency, ``{currency: minor units}``. Double entry
    keeps each value at zero; anything else means the ledger is corrupt."""
    return await repository.totals_by_currency(session)


async def entries_for(session: AsyncSession, reference: Reference) -> list[JournalEntry]:
    """The entries about ``reference`` (e.g. ``("order", id)``), oldest first, with their
    postings and accounts loaded."""
    return await repository.entries_about(session, *reference)
