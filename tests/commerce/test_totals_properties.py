"""Properties of cart pricing: GST per line, per-currency totals, never mixing currencies.

The cart's own functions (`price_line`, `totals`, `line_tax`, `TaxTable`) on generated carts,
checked against exact rational arithmetic (`fractions.Fraction`), without a database.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from haat.catalog.models import Product, ProductStatus
from haat.commerce.cart import price_line, totals
from haat.commerce.models import CartLine
from haat.commerce.placing import order_item
from haat.commerce.tax import DEFAULT_RATE_BP, TaxTable, line_tax

CURRENCIES = ["INR", "USD", "JPY", "KWD", "EUR"]
# Rates in basis points as the GST schedule has them (0.25 %, 3 %, 5 %, 18 %, 40 %) and any.
RATES = st.sampled_from([0, 25, 300, 500, 1200, 1800, 2800, 4000]) | st.integers(0, 10_000)
PRICES = st.integers(0, 10**13)
QUANTITIES = st.integers(1, 10_000)


def exact_half_up(subtotal: int, rate_bp: int) -> int:
    """subtotal x rate / 10,000 rounded half up, in exact rational arithmetic."""
    exact = Fraction(subtotal * rate_bp, 10_000)
    floor = exact.numerator // exact.denominator
    return floor + (1 if exact - floor >= Fraction(1, 2) else 0)


@st.composite
def tax_tables(draw: st.DrawFn) -> tuple[TaxTable, list[uuid.UUID]]:
    """A random category forest (parents before children) with rates on some categories."""
    ids = [uuid.uuid4() for _ in range(draw(st.integers(1, 8)))]
    parents = {
        c: (draw(st.sampled_from(ids[:i])) if i and draw(st.booleans()) else None)
        for i, c in enumerate(ids)
    }
    rates = {c: draw(RATES) for c in ids if draw(st.booleans())}
    return TaxTable(parents, rates), ids


@st.composite
def carts(draw: st.DrawFn) -> tuple[TaxTable, list[tuple[CartLine, Product]]]:
    table, categories = draw(tax_tables())
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        currency = draw(st.sampled_from(CURRENCIES))
        seen = draw(PRICES)
        product = Product(
            id=uuid.uuid4(),
            business_id=uuid.uuid4(),
            title="item",
            sku="SKU-1",
            price_minor=draw(st.sampled_from([seen, draw(PRICES)])),
            currency=currency,
            stock_quantity=draw(st.integers(0, 20_000)),
            status=draw(st.sampled_from([ProductStatus.APPROVED, ProductStatus.UNPUBLISHED])),
            category_id=draw(st.sampled_from([None, *categories])),
        )
        line = CartLine(
            product_id=product.id,
            quantity=draw(QUANTITIES),
            seen_price_minor=seen,
            seen_currency=currency,
        )
        rows.append((line, product))
    return table, rows


def nearest_rate(table: TaxTable, category: uuid.UUID | None) -> int:
    """The rate of the category or its nearest ancestor that has one, walked independently."""
    while category is not None:
        if category in table.rates:
            return table.rates[category]
        category = table.parents[category]
    return DEFAULT_RATE_BP


@given(subtotal=st.integers(0, 10**17), rate_bp=RATES)
def test_line_tax_rounds_half_up_exactly(subtotal: int, rate_bp: int) -> None:
    tax = line_tax(subtotal, rate_bp)
    assert tax == exact_half_up(subtotal, rate_bp)
    # Never more than half a minor unit from the exact tax, and never negative.
    assert abs(Fraction(tax) - Fraction(subtotal * rate_bp, 10_000)) <= Fraction(1, 2)
    assert 0 <= tax <= subtotal


@given(subtotal=st.integers(0, 10**12), rate_bp=RATES)
def test_line_tax_is_monotonic(subtotal: int, rate_bp: int) -> None:
    assert line_tax(subtotal, rate_bp) <= line_tax(subtotal + 1, rate_bp)
    assert line_tax(subtotal, rate_bp) <= line_tax(subtotal, min(rate_bp + 1, 10_000))


@settings(max_examples=200)
@given(cart=carts())
def test_each_line_is_taxed_at_its_category_rate(
    cart: tuple[TaxTable, list[tuple[CartLine, Product]]],
) -> None:
    table, rows = cart
    for line, product in rows:
        out = price_line(line, product, table)
        rate = nearest_rate(table, product.category_id)
        assert out.tax_rate_bp == rate
        assert out.subtotal_minor == line.seen_price_minor * line.quantity  # the price seen
        assert out.tax_minor == exact_half_up(out.subtotal_minor, rate)
        assert out.total_minor == out.subtotal_minor + out.tax_minor
        assert out.currency == line.seen_currency
        assert out.price_changed == (product.price_minor != line.seen_price_minor)
        assert out.available == (
            product.status == ProductStatus.APPROVED and product.stock_quantity >= line.quantity
        )
        # The order item made from the line at checkout carries the very same amounts.
        item = order_item(product, 0, line.seen_price_minor, line.quantity, rate)
        assert (item.tax_minor, item.line_total_minor) == (out.tax_minor, out.total_minor)


@settings(max_examples=200)
@given(cart=carts())
def test_totals_are_per_currency_sums_of_the_lines(
    cart: tuple[TaxTable, list[tuple[CartLine, Product]]],
) -> None:
    table, rows = cart
    lines = [price_line(line, product, table) for line, product in rows]
    result = totals(lines)
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        expected[line.currency][0] += line.subtotal_minor
        expected[line.currency][1] += line.tax_minor
    # One total per currency present, in code order: amounts of different currencies are
    # never added together.
    assert [t.currency for t in result] == sorted(expected)
    for total in result:
        subtotal, tax = expected[total.currency]
        assert (total.subtotal_minor, total.tax_minor) == (subtotal, tax)
        assert total.shipping_minor == 0
        assert total.total_minor == subtotal + tax
        assert total.total_minor == sum(
            x.total_minor for x in lines if x.currency == total.currency
        )
    # Tax is rounded per line, so a currency's tax is the sum of rounded line taxes, within
    # half a minor unit per line of the exact tax on the whole.
    for total in result:
        same = [x for x in lines if x.currency == total.currency]
        exact = sum(Fraction(x.subtotal_minor * x.tax_rate_bp, 10_000) for x in same)
        assert abs(Fraction(total.tax_minor) - exact) <= Fraction(len(same), 2)


@given(cart=carts())
def test_totals_do_not_depend_on_line_order(
    cart: tuple[TaxTable, list[tuple[CartLine, Product]]],
) -> None:
    table, rows = cart
    lines = [price_line(line, product, table) for line, product in rows]
    assert totals(lines) == totals(list(reversed(lines)))
