"""The journal lines of each step of a payment, as pure functions (no database).

Accounts (`haat.payments.ledger`): ``platform:cash`` (asset: money at the platform's provider
account), ``escrow:<order>`` (liability: a buyer's money held for an order),
``seller:<business>:payable`` (liability: what the platform owes the seller; a *debit*
balance means the seller owes the platform, e.g. the commission on cash the seller collected)
and ``platform:fees`` (revenue: the platform's commission). Debits are positive.

Online payments (Stripe, Razorpay) reach the platform's account, so funding debits
``platform:cash``. Manual payments (cash, UPI, bank transfer to the seller) are received by
the seller's staff, who then hold the buyer's money on the platform's behalf: funding debits
the seller's payable instead, and no transfer ever follows.

=================  ==========================================================================
step               lines (A = payment amount, F = commission, S = A - F)
=================  ==========================================================================
fund (online)      Dr platform:cash A              Cr escrow:<order> A
fund (manual)      Dr seller:<b>:payable A         Cr escrow:<order> A
release            Dr escrow:<order> A             Cr seller:<b>:payable S, Cr platform:fees F
transfer (online)  Dr seller:<b>:payable S         Cr platform:cash S
refund (online)    Dr escrow:<order> A             Cr platform:cash A
refund (manual)    Dr escrow:<order> A             Cr seller:<b>:payable A
unrelease          the release with signs turned (before refunding released money)
untransfer         the transfer with signs turned (the seller's transfer reversed)
=================  ==========================================================================
"""

from __future__ import annotations

import uuid

from haat.core.money import allocate
from haat.payments.ledger import (
    PLATFORM_CASH,
    PLATFORM_FEES,
    Line,
    escrow_account,
    seller_payable,
)

DEFAULT_COMMISSION_BP = 500


def commission(amount_minor: int, commission_bp: int) -> int:
    """The platform's commission on ``amount_minor``, at ``commission_bp`` basis points
    (500 = 5 %), in the same minor units.

    Split with `haat.core.money.allocate` into ``[commission, rest]`` in the ratio
    ``commission_bp : 10000 - commission_bp``, so commission and seller share always add up to
    the amount; the commission is the exact share rounded to the nearer unit (a tie goes to
    the commission). ``commission(100000, 500) == 5000``; ``commission(1, 500) == 0``.

    The default rate, `DEFAULT_COMMISSION_BP` = 500 (5 %), is the platform setting
    ``PLATFORM_COMMISSION_BP``. Rationale: Etsy, the marketplace artisans know best, takes a
    6.5 % transaction fee on each sale (since 2022); a platform built for artisan clusters and
    small shops should stay below that while covering its costs, and a round 5 % is easy for
    a seller to check on every statement. Raises `ValueError` for a rate outside 0..10000.
    """
    if not 0 <= commission_bp <= 10_000:
        raise ValueError(f"commission must be 0..10000 basis points, got {commission_bp}")
    return allocate(amount_minor, [commission_bp, 10_000 - commission_bp])[0]


def fund(
    amount: int, currency: str, order_id: uuid.UUID, business_id: uuid.UUID, *, online: bool
) -> list[Line]:
    """The buyer's money enters escrow: from the platform's cash (online) or from the
    seller's hands (manual)."""
    source = PLATFORM_CASH if online else seller_payable(business_id)
    return [(source, amount, currency), (escrow_account(order_id), -amount, currency)]


def release(
    amount: int, fee: int, currency: str, order_id: uuid.UUID, business_id: uuid.UUID
) -> list[Line]:
    """Escrow to the seller's payable, less the platform's commission ``fee`` (omitted when
    zero; the seller's line when the fee is the whole amount)."""
    lines: list[Line] = [(escrow_account(order_id), amount, currency)]
    if amount - fee:
        lines.append((seller_payable(business_id), -(amount - fee), currency))
    if fee:
        lines.append((PLATFORM_FEES, -fee, currency))
    return lines


def transfer(share: int, currency: str, business_id: uuid.UUID) -> list[Line]:
    """The seller's share leaves the platform's cash for the seller's provider account."""
    return [(seller_payable(business_id), share, currency), (PLATFORM_CASH, -share, currency)]


def refund(
    amount: int, currency: str, order_id: uuid.UUID, business_id: uuid.UUID, *, online: bool
) -> list[Line]:
    """Escrow goes back to the buyer: through the provider (online), or handed back by the
    seller's staff (manual)."""
    target = PLATFORM_CASH if online else seller_payable(business_id)
    return [(escrow_account(order_id), amount, currency), (target, -amount, currency)]


def reverse(lines: list[Line]) -> list[Line]:
    """The same lines with their signs turned: undoes an entry without editing it."""
    return [(code, -amount, currency) for code, amount, currency in lines]
