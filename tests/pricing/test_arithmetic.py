"""The jewellery price arithmetic in integer paise, and the seeded gold rate, by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from haat.pricing.jewellery import JEWELLERY_GST_BP, half_up, price
from haat.pricing.seed import gold_rates, inr_per_gram_minor


def test_gold_with_a_percentage_making_charge() -> None:
    # ₹7,123.45 per gram of fine gold, 10.250 g of 22K (916), making charge 12 %.
    b = price(712345, 10250, 916, making_charge_bp=1200)
    # 712345 x 10.250 x 0.916 = 6,688,207.205 paise -> 6,688,207 (half up)
    assert b.metal_value_minor == 6_688_207
    # 12 % of 6,688,207 = 802,584.84 -> 802,585
    assert b.making_charge_minor == 802_585
    assert b.subtotal_minor == 7_490_792
    # GST 3 % of 7,490,792 = 224,723.76 -> 224,724
    assert (b.gst_rate_bp, b.gst_minor) == (300, 224_724)
    assert b.total_minor == 7_715_516


def test_silver_with_a_making_charge_per_gram_rounds_half_up() -> None:
    # ₹95.50/g, 50.000 g of sterling (925), ₹40 a gram making charge.
    b = price(9550, 50000, 925, making_charge_per_g_minor=4000)
    # 9550 x 50 x 0.925 = 441,687.5 paise: exactly half, rounded up
    assert b.metal_value_minor == 441_688
    assert b.making_charge_minor == 200_000  # 4000 x 50
    # 3 % of 641,688 = 19,250.64 -> 19,251
    assert (b.subtotal_minor, b.gst_minor, b.total_minor) == (641_688, 19_251, 660_939)


def test_milligrams_count() -> None:
    # 1 mg of 999 gold at ₹10,000/g = ₹9.99 -> 999 paise; making 0
    b = price(1_000_000, 1, 999, making_charge_bp=0)
    assert (b.metal_value_minor, b.making_charge_minor, b.gst_minor) == (999, 0, 30)


def test_exactly_one_making_charge() -> None:
    with pytest.raises(ValueError):
        price(700000, 1000, 916)
    with pytest.raises(ValueError):
        price(700000, 1000, 916, making_charge_bp=100, making_charge_per_g_minor=100)


def test_half_up() -> None:
    assert [half_up(n, 10) for n in (14, 15, 16, 25)] == [1, 2, 2, 3]
    assert JEWELLERY_GST_BP == 300


def test_seeded_gold_rate_from_usd_per_ounce_and_inr_per_usd() -> None:
    # June 2026: 4,228 USD/oz x 94.96 INR/USD / 31.1034768 g = 12,908.2315... INR/g
    assert inr_per_gram_minor(Decimal("4228"), Decimal("94.96")) == 1_290_823
    rates = gold_rates()
    assert rates[0][0].isoformat() == "1973-01-01"  # the INR series starts in 1973
    assert rates[-1] == (rates[-1][0], 1_290_823) and rates[-1][0].isoformat() == "2026-06-01"
    assert len(rates) == 642 and all(day.day == 1 for day, _ in rates)
