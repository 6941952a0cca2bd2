"""Seed the rate table from the packaged monthly Federal Reserve rates (`data/README.md`)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.db import utcnow
from haat.fx import repository

CSV_NAME = "fx_monthly_per_usd.csv"
SOURCE = "US Federal Reserve (FRED) monthly average, via datasets/exchange-rates"
_BATCH = 500


def packaged_rates() -> list[tuple[date, str, Decimal]]:
    """The packaged CSV as ``(first day of the month, currency, units per 1 USD)`` rows,
    values read as exact Decimals."""
    text = resources.files("haat.fx").joinpath("data", CSV_NAME).read_text(encoding="utf-8")
    rows = []
    for record in csv.DictReader(io.StringIO(text)):
        year, month = (int(part) for part in record["month"].split("-"))
        rows.append((date(year, month, 1), record["currency"], Decimal(record["units_per_usd"])))
    return rows


async def seed_fx_rates(session: AsyncSession) -> int:
    """Store every packaged rate as a USD -> currency row dated the first of its month and
    return how many rows were new. Idempotent: rows already there (the same pair and date,
    whatever their source) are left alone (``INSERT ... ON CONFLICT DO NOTHING``), so running
    it again adds nothing. Flushes; never commits."""
    before = await repository.count_from_source(session, SOURCE)
    now = utcnow()
    rates = packaged_rates()
    for start in range(0, len(rates), _BATCH):
        values: list[dict[str, Any]] = [
            {
                "id": uuid.uuid4(),
                "created_at": now,
                "base_currency": "USD",
                "quote_currency": currency,
                "as_of": as_of,
                "rate": rate,
                "source": SOURCE,
                "created_by": None,
            }
            for as_of, currency, rate in rates[start : start + _BATCH]
        ]
        await repository.insert_new_rates(session, values)
    return await repository.count_from_source(session, SOURCE) - before
