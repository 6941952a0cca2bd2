"""Seed the gold rates from the packaged real series (`data/README.md`).

INR per gram of fine gold for a month = USD per troy ounce (World Bank Pink Sheet, via the
datasets/gold-prices package) x INR per USD (FRED, via datasets/exchange-rates; the same
month) / 31.1034768 grams per troy ounce, rounded half-even to the paisa. No silver or
platinum series ships: those are left to admin entry or CSV import.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from importlib import resources
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Metal
from haat.core.db import utcnow
from haat.fx.seed import packaged_rates
from haat.pricing import repository
from haat.pricing.repricing import reprice_metal

CSV_NAME = "gold_monthly_usd_per_oz.csv"
GRAMS_PER_TROY_OUNCE = Decimal("31.1034768")
SOURCE = (
    "World Bank Pink Sheet gold USD/troy oz (datasets/gold-prices) x FRED INR per USD "
    "(datasets/exchange-rates), monthly, / 31.1034768 g"
)
_BATCH = 500


def gold_usd_per_ounce() -> dict[date, Decimal]:
    """The packaged gold series: first day of the month -> USD per troy ounce (exact)."""
    text = resources.files("haat.pricing").joinpath("data", CSV_NAME).read_text(encoding="utf-8")
    series: dict[date, Decimal] = {}
    for record in csv.DictReader(io.StringIO(text)):
        year, month = (int(part) for part in record["Date"].split("-"))
        series[date(year, month, 1)] = Decimal(record["Price"])
    return series


def inr_per_gram_minor(usd_per_ounce: Decimal, inr_per_usd: Decimal) -> int:
    """Paise per gram of fine gold: ``usd_per_ounce x inr_per_usd x 100 / 31.1034768``,
    rounded half-even (e.g. 4228 USD/oz at 94.96 INR/USD -> 1290823 = ₹12,908.23/g)."""
    paise = usd_per_ounce * inr_per_usd * 100 / GRAMS_PER_TROY_OUNCE
    return int(paise.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def gold_rates() -> list[tuple[date, int]]:
    """``(first of the month, paise per gram)`` for every month with both a gold price and
    an INR rate, up to today (UTC), oldest first."""
    inr = {as_of: rate for as_of, currency, rate in packaged_rates() if currency == "INR"}
    today = utcnow().date()
    return [
        (as_of, inr_per_gram_minor(usd, inr[as_of]))
        for as_of, usd in sorted(gold_usd_per_ounce().items())
        if as_of in inr and as_of <= today
    ]


async def seed_gold_rates(session: AsyncSession) -> int:
    """Store the seeded gold rates and return how many rows were new. Idempotent: a month
    that already has a gold rate (whatever its source) is left alone (``ON CONFLICT DO
    NOTHING``). Re-prices gold jewellery when the rate in force changed. Flushes only."""
    before = await repository.count_of(session, Metal.GOLD)
    now = utcnow()
    rows = gold_rates()
    for start in range(0, len(rows), _BATCH):
        values: list[dict[str, Any]] = [
            {
                "id": uuid.uuid4(),
                "created_at": now,
                "updated_at": now,
                "metal": Metal.GOLD,
                "as_of": as_of,
                "rate_minor_per_g": paise,
                "source": SOURCE,
                "created_by": None,
            }
            for as_of, paise in rows[start : start + _BATCH]
        ]
        await repository.insert_new(session, values)
    added = await repository.count_of(session, Metal.GOLD) - before
    if added:
        await reprice_metal(session, Metal.GOLD)
    return added
