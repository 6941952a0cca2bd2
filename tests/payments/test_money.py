"""Money in integer minor units: exponents, half-even rounding, conversion, allocation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haat.core.money import allocate, convert, format_money, minor_units, to_decimal, to_minor

CURRENCIES = st.sampled_from(["JPY", "INR", "USD", "KWD", "EUR", "CLF"])


@pytest.mark.parametrize(
    ("currency", "exponent"), [("JPY", 0), ("INR", 2), ("USD", 2), ("KWD", 3), ("BHD", 3)]
)
def test_minor_units(currency: str, exponent: int) -> None:
    assert minor_units(currency) == exponent


def test_unknown_currency_is_refused() -> None:
    for bad in ("ZZZ", "inr", "", "RUPEE"):
        with pytest.raises(ValueError):
            minor_units(bad)


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("1234.56", "INR", 123456),
        (Decimal("0.125"), "INR", 12),  # half-even: to the even paisa
        ("0.135", "INR", 14),
        ("-0.125", "INR", -12),
        ("1.5", "JPY", 2),
        ("2.5", "JPY", 2),
        ("1999", "JPY", 1999),
        ("1.0005", "KWD", 1000),
        ("1.0015", "KWD", 1002),
        (" 7.25 ", "KWD", 7250),
        (3, "INR", 300),
    ],
)
def test_to_minor_rounds_half_even(amount: Decimal | str, currency: str, minor: int) -> None:
    assert to_minor(amount, currency) == minor


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        to_minor(0.1, "INR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        convert(100, "USD", "INR", 83.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        convert(1.0, "USD", "INR", Decimal("83.1"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_decimal(1.5, "INR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        allocate(100.0, [1, 1])  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "abc", "NaN", "Infinity", "1,5"])
def test_to_minor_refuses_text_that_is_not_a_finite_number(bad: str) -> None:
    with pytest.raises(ValueError):
        to_minor(bad, "INR")


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [(123456, "INR", "1234.56"), (5, "JPY", "5"), (1234, "KWD", "1.234"), (-7, "USD", "-0.07")],
)
def test_to_decimal(minor: int, currency: str, text: str) -> None:
    assert str(to_decimal(minor, currency)) == text


@given(st.integers(-(10**15), 10**15), CURRENCIES)
def test_to_minor_and_to_decimal_round_trip(minor: int, currency: str) -> None:
    assert to_minor(to_decimal(minor, currency), currency) == minor


@pytest.mark.parametrize(
    ("minor", "currency", "locale", "text"),
    [
        (1234567890, "INR", "en-IN", "₹1,23,45,678.90"),  # lakh and crore grouping
        (1234567890, "INR", "hi", "₹1,23,45,678.90"),
        (123456, "USD", "en", "$1,234.56"),
        (1235, "JPY", "en", "¥1,235"),
        (1234567, "KWD", "en", "KWD1,234.567"),
        (-123456, "INR", "en_IN", "-₹1,234.56"),
    ],
)
def test_format_money(minor: int, currency: str, locale: str, text: str) -> None:
    assert format_money(minor, currency, locale) == text


@pytest.mark.parametrize(
    ("minor", "source", "target", "rate", "expected"),
    [
        (100, "USD", "JPY", "150.5", 150),  # 1.00 USD = 150.5 yen -> 150 (even)
        (100, "USD", "JPY", "151.5", 152),
        (100, "USD", "INR", "94.96", 9496),
        (10000, "JPY", "KWD", "0.00205", 20500),  # 10,000 yen = 20.500 KWD
        (1, "JPY", "INR", "0.55", 55),
        (1000, "KWD", "INR", "271.345", 27134),  # 1 KWD = 271.345 INR = 27134.5 paise -> even
        (1000, "KWD", "JPY", "497.5", 498),
        (-1000, "KWD", "JPY", "497.5", -498),
        (27134, "INR", "KWD", "0.003685", 1000),  # 271.34 * 0.003685 = 0.99988... KWD
        (123456789012345, "INR", "INR", "1", 123456789012345),
    ],
)
def test_convert_across_exponents(
    minor: int, source: str, target: str, rate: str, expected: int
) -> None:
    assert convert(minor, source, target, Decimal(rate)) == expected


@given(
    st.integers(-(10**12), 10**12), CURRENCIES, CURRENCIES, st.decimals("0.0001", "10000", places=4)
)
def test_convert_is_the_exact_product_rounded_once(
    minor: int, source: str, target: str, rate: Decimal
) -> None:
    exact = (
        Fraction(minor)
        * Fraction(rate)
        * Fraction(10) ** (minor_units(target) - minor_units(source))
    )
    result = convert(minor, source, target, rate)
    assert abs(Fraction(result) - exact) <= Fraction(1, 2)


def test_convert_refuses_a_non_positive_rate() -> None:
    for rate in ("0", "-1", "NaN"):
        with pytest.raises(ValueError):
            convert(100, "USD", "INR", Decimal(rate))


@pytest.mark.parametrize(
    ("minor", "ratios", "parts"),
    [
        (1000, [30, 40, 30], [300, 400, 300]),
        (100, [1, 1, 1], [34, 33, 33]),
        (1001, [30, 40, 30], [300, 401, 300]),
        (99999, [30, 40, 30], [30000, 39999, 30000]),
        (5, [0, 1, 0], [0, 5, 0]),
        (-100, [1, 1, 1], [-33, -33, -34]),
        (0, [3, 7], [0, 0]),
    ],
)
def test_allocate_examples(minor: int, ratios: list[int], parts: list[int]) -> None:
    assert allocate(minor, ratios) == parts


def test_allocate_refuses_bad_ratios() -> None:
    for ratios in ([], [0, 0], [1, -1]):
        with pytest.raises(ValueError):
            allocate(100, ratios)
    with pytest.raises(TypeError):
        allocate(100, [0.3, 0.7])  # type: ignore[list-item]


@given(
    st.integers(-(10**15), 10**15),
    st.lists(st.integers(0, 10_000), min_size=1, max_size=20).filter(lambda r: sum(r) > 0),
)
def test_allocate_loses_nothing(minor: int, ratios: list[int]) -> None:
    parts = allocate(minor, ratios)
    total = sum(ratios)
    assert sum(parts) == minor
    assert len(parts) == len(ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        # |part - minor * ratio / total| < 1, in exact integers
        assert abs(part * total - minor * ratio) < total
        if ratio == 0:
            assert part == 0
