"""FX rates: the packaged seed, the rate in force on a date, crossing through USD."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from haat.core.db import Database
from haat.fx import service
from haat.fx.models import FxRate
from haat.fx.seed import packaged_rates, seed_fx_rates


async def _seed(db: Database) -> int:
    async with db.session() as s:
        added = await seed_fx_rates(s)
        await s.commit()
    return added


async def _add(db: Database, base: str, quote: str, rate: str, as_of: date) -> None:
    async with db.session() as s:
        s.add(
            FxRate(
                base_currency=base,
                quote_currency=quote,
                rate=Decimal(rate),
                as_of=as_of,
                source="test",
            )
        )
        await s.commit()


def test_the_packaged_csv_has_eight_currencies_from_1971() -> None:
    rows = packaged_rates()
    assert len(rows) == 4848
    assert {currency for _, currency, _ in rows} == {
        "AUD", "CAD", "CHF", "EUR", "GBP", "INR", "JPY", "SGD"
    }  # fmt: skip
    assert min(day for day, _, _ in rows) == date(1971, 1, 1)
    assert (date(2026, 6, 1), "INR", Decimal("94.9600")) in rows


async def test_seed_is_idempotent(db: Database) -> None:
    assert await _seed(db) == 4848
    assert await _seed(db) == 0
    async with db.session(write=False) as s:
        assert await s.scalar(select(func.count()).select_from(FxRate)) == 4848
        row = await s.scalar(
            select(FxRate).where(FxRate.quote_currency == "JPY", FxRate.as_of == date(2026, 6, 1))
        )
    assert row is not None and row.base_currency == "USD"
    assert row.rate == Decimal("160.77")  # exact: stored as an integer, never a float


async def test_seed_keeps_a_rate_already_entered_for_the_same_day(db: Database) -> None:
    await _add(db, "USD", "INR", "95", date(2026, 6, 1))
    assert await _seed(db) == 4847
    async with db.session(write=False) as s:
        assert await service.rate(s, "USD", "INR", date(2026, 6, 2)) == Decimal("95")


async def test_the_rate_in_force_is_the_latest_on_or_before_the_day(db: Database) -> None:
    await _seed(db)
    async with db.session(write=False) as s:
        assert await service.rate(s, "USD", "INR", date(2026, 6, 1)) == Decimal("94.96")
        assert await service.rate(s, "USD", "INR", date(2026, 6, 30)) == Decimal("94.96")
        assert await service.rate(s, "USD", "INR", date(2026, 5, 31)) == Decimal("95.5335")
        # Months after the last row keep the last rate, and say which date it is from.
        late = await service.quote(s, "USD", "INR", date(2027, 1, 15))
    assert late.rate == Decimal("94.96") and late.as_of == date(2026, 6, 1)


async def test_inverse_and_cross_rates_through_usd(db: Database) -> None:
    await _seed(db)
    on = date(2026, 6, 15)
    async with db.session(write=False) as s:
        # 1 / 94.96 INR per USD
        usd = await service.rate(s, "INR", "USD", on)
        # INR -> EUR = (EUR per USD) / (INR per USD) = 0.8684 / 94.96
        eur = await service.quote(s, "INR", "EUR", on)
        # JPY -> INR = 94.96 / 160.77
        inr = await service.rate(s, "JPY", "INR", on)
    assert usd.quantize(Decimal("1e-12")) == Decimal("0.010530749789")
    assert eur.rate.quantize(Decimal("1e-12")) == Decimal("0.009144903117")
    assert eur.via == "USD" and eur.as_of == date(2026, 6, 1)
    assert [(r.quote_currency, r.rate) for r in eur.rates] == [
        ("INR", Decimal("94.96")),
        ("EUR", Decimal("0.8684")),
    ]
    assert inr.quantize(Decimal("1e-12")) == Decimal("0.590657460969")


async def test_convert_for_display_across_exponents(db: Database) -> None:
    await _seed(db)
    await _add(db, "USD", "KWD", "0.3075", date(2026, 6, 1))
    on = date(2026, 6, 15)
    async with db.session(write=False) as s:
        # 1,000.00 INR = 9.1449... EUR -> 914 cents
        eur = await service.convert_for_display(s, 100000, "INR", "EUR", on)
        # 10,000 JPY = 5,906.5746... INR -> 590657 paise
        inr = await service.convert_for_display(s, 10000, "JPY", "INR", on)
        # 100,000 JPY = 191.26702... KWD -> 191267 fils
        kwd = await service.convert_for_display(s, 100000, "JPY", "KWD", on)
        same = await service.convert_for_display(s, 12345, "INR", "INR", on)
    assert (eur.converted_minor, inr.converted_minor, kwd.converted_minor) == (914, 590657, 191267)
    assert same.converted_minor == 12345 and same.quote.rate == 1 and same.quote.rates == ()


async def test_a_newer_direct_rate_beats_an_older_cross(db: Database) -> None:
    await _seed(db)
    await _add(db, "EUR", "INR", "110", date(2026, 6, 10))
    await _add(db, "EUR", "INR", "100", date(2020, 1, 1))
    async with db.session(write=False) as s:
        newer = await service.quote(s, "INR", "EUR", date(2026, 6, 15))
        older = await service.quote(s, "EUR", "INR", date(2026, 6, 5))
    assert newer.via is None and newer.as_of == date(2026, 6, 10)
    assert newer.rate.quantize(Decimal("1e-12")) == Decimal("0.009090909091")  # 1 / 110
    # Before the 10th the monthly cross (dated the 1st) is newer than the 2020 direct rate.
    assert older.via == "USD"
    assert older.rate.quantize(Decimal("1e-6")) == Decimal("109.350530")  # 94.96 / 0.8684


async def test_no_rate_is_a_clear_404(db: Database) -> None:
    await _seed(db)
    async with db.session(write=False) as s:
        with pytest.raises(service.RateNotFound) as caught:
            await service.rate(s, "INR", "EUR", date(1998, 12, 31))  # before the euro
        assert caught.value.status == 404
        assert "INR->EUR" in caught.value.detail and "1998-12-31" in caught.value.detail
        with pytest.raises(service.RateNotFound):
            await service.rate(s, "USD", "KWD", date(2026, 6, 1))  # never stored
        with pytest.raises(service.Unprocessable):
            await service.rate(s, "USD", "ZZZ", date(2026, 6, 1))
