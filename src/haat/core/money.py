"""Money as integer minor units plus an ISO 4217 code; never floats.

An amount is an ``int`` of the currency's minor unit (paise for INR, cents for USD, yen for JPY,
fils for KWD) beside its three-letter code. How many decimal places a currency has comes from
the CLDR data that Babel ships (``babel.numbers.get_currency_precision``): JPY 0, INR 2, KWD 3.
Every computation here uses `decimal.Decimal` in a private context, and every rounding is
half-even ("banker's rounding"), so that repeated roundings do not drift in one direction.
"""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision

from haat.core.i18n import is_currency


class PaymentMethod(enum.StrEnum):
    """How money changed hands where no online provider chose for the buyer: a manual payment
    of an order, a counter sale, a payment into a khata."""

    CASH = "cash"  # cash on delivery or at the counter
    UPI = "upi"
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"  # the shop's own card machine


# Wide enough that no amount or rate a marketplace meets is rounded before the final step.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_EVEN, Emin=-999_999, Emax=999_999)
_ONE = Decimal(1)


def _check_currency(currency: str) -> str:
    if not isinstance(currency, str) or not is_currency(currency):
        raise ValueError(f"not an ISO 4217 currency code: {currency!r}")
    return currency


def _as_decimal(value: Decimal | str | int, what: str) -> Decimal:
    """``value`` as a finite Decimal; floats (and bools) raise `TypeError`."""
    if isinstance(value, float | bool) or not isinstance(value, Decimal | str | int):
        raise TypeError(f"{what} must be a Decimal, str or int, not {type(value).__name__}")
    try:
        result = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{what} is not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"{what} must be finite, got {value!r}")
    return result


def minor_units(currency: str) -> int:
    """The number of decimal places of ``currency``'s minor unit (its ISO 4217 exponent).

    Source: CLDR currency data via Babel. ``minor_units("JPY") == 0``, ``"INR"`` -> 2,
    ``"KWD"`` -> 3. Raises `ValueError` for a code that is not ISO 4217.
    """
    return int(get_currency_precision(_check_currency(currency)))


def to_minor(amount: Decimal | str, currency: str) -> int:
    """A major-unit amount (``Decimal("1234.565")`` or ``"1234.565"``) as integer minor units.

    Rounds half-even to the currency's minor unit: ``to_minor("0.125", "INR") == 12``,
    ``to_minor("0.135", "INR") == 14``, ``to_minor("1.5", "JPY") == 2``.
    Raises `TypeError` for a float (its binary value is not the decimal you meant) and
    `ValueError` for text that is not a finite number or an unknown currency.
    """
    exponent = minor_units(currency)
    value = _as_decimal(amount, "amount")
    scaled = _CONTEXT.multiply(value, Decimal(10) ** exponent)
    return int(scaled.quantize(_ONE, rounding=ROUND_HALF_EVEN, context=_CONTEXT))


def to_decimal(minor: int, currency: str) -> Decimal:
    """Integer minor units as an exact major-unit Decimal with the currency's places:
    ``to_decimal(123456, "INR") == Decimal("1234.56")``; JPY gives whole numbers and KWD
    three places. Raises `TypeError` for a non-integer ``minor``."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"minor must be an int, not {type(minor).__name__}")
    return Decimal(minor).scaleb(-minor_units(currency), context=_CONTEXT)


def format_money(minor: int, currency: str, locale: str = "en") -> str:
    """``minor`` units of ``currency`` for people, in ``locale`` (BCP 47 ``en-IN`` or
    POSIX ``en_IN``), via `babel.numbers.format_currency` (CLDR patterns).

    Indian locales group by lakh and crore: ``format_money(1234567890, "INR", "en-IN")``
    is ``"₹1,23,45,678.90"``. Raises `babel.UnknownLocaleError` for an unknown locale.
    """
    amount = to_decimal(minor, currency)
    return format_currency(amount, currency, locale=locale.replace("-", "_"))


def convert(minor: int, from_currency: str, to_currency: str, rate: Decimal) -> int:
    """``minor`` units of ``from_currency`` in minor units of ``to_currency``.

    ``rate`` is the number of major units of ``to_currency`` per one major unit of
    ``from_currency`` (e.g. 83.25 INR per USD), a positive Decimal. The product is computed
    exactly in Decimal, shifted by the difference of the two exponents and rounded half-even
    once: ``convert(100, "USD", "JPY", Decimal("150.5")) == 150`` (1.00 USD -> 150.5 -> 150 JPY).
    Raises `TypeError` for a float rate and `ValueError` for a non-positive one.
    """
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"minor must be an int, not {type(minor).__name__}")
    if not isinstance(rate, Decimal):
        raise TypeError(f"rate must be a Decimal, not {type(rate).__name__}")
    if not rate.is_finite() or rate <= 0:
        raise ValueError(f"rate must be a positive finite Decimal, got {rate!r}")
    shift = minor_units(to_currency) - minor_units(from_currency)
    exact = _CONTEXT.multiply(Decimal(minor), rate).scaleb(shift, context=_CONTEXT)
    return int(exact.quantize(_ONE, rounding=ROUND_HALF_EVEN, context=_CONTEXT))


def allocate(minor: int, ratios: list[int]) -> list[int]:
    """Split ``minor`` into parts proportional to ``ratios`` without losing a minor unit.

    Largest-remainder (Hamilton) method: each part starts at the floor of its exact share
    ``minor * ratio / sum(ratios)``; the units left over go one each to the parts with the
    largest remainders (ties to the earlier part). The parts sum to ``minor`` exactly, each
    is within one minor unit of its exact share, and a zero ratio gets zero.
    ``allocate(1000, [30, 40, 30]) == [300, 400, 300]``, ``allocate(100, [1, 1, 1]) ==
    [34, 33, 33]``. Works for negative amounts (refunds) too. Raises `ValueError` for an
    empty list, a negative ratio or ratios summing to zero, `TypeError` for non-integers.
    """
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"minor must be an int, not {type(minor).__name__}")
    if not ratios:
        raise ValueError("ratios must not be empty")
    if any(isinstance(r, bool) or not isinstance(r, int) for r in ratios):
        raise TypeError("ratios must be integers")
    if any(r < 0 for r in ratios):
        raise ValueError("ratios must not be negative")
    total = sum(ratios)
    if total == 0:
        raise ValueError("ratios must not all be zero")
    shares = [divmod(minor * r, total) for r in ratios]  # floor division, also for minor < 0
    parts = [quotient for quotient, _ in shares]
    left = minor - sum(parts)  # 0 <= left < len(ratios)
    by_remainder = sorted(range(len(ratios)), key=lambda i: -shares[i][1])
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts
