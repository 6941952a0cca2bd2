"""The demo jeweller's gold pieces are priced from the seeded real gold rate; the CLI."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from haat.catalog.models import Product, ProductJewellery
from haat.cli import app as cli
from haat.config import get_settings
from haat.core.db import Database
from haat.demo.gold_jewellery import PIECES
from haat.demo.loader import load_demo
from haat.pricing.jewellery import price

runner = CliRunner()


async def test_demo_gold_pieces_follow_the_seeded_rate(
    db: Database, client: httpx.AsyncClient
) -> None:
    async with db.session() as s:
        assert (await load_demo(s, diamonds=5)).loaded
        await s.commit()
    async with db.session() as s:
        rows = (await s.execute(select(ProductJewellery, Product).join(Product))).all()
    assert len(rows) == len(PIECES) == 5
    for row, product in rows:
        # June 2026: 4,228 USD/oz x 94.96 INR/USD / 31.1034768 g/oz = ₹12,908.23 a gram.
        assert (row.rate_minor_per_g, row.rate_as_of.isoformat()) == (1_290_823, "2026-06-01")
        expected = price(
            1_290_823,
            row.weight_mg,
            row.purity,
            making_charge_bp=row.making_charge_bp,
            making_charge_per_g_minor=row.making_charge_per_g_minor,
        )
        assert product.price_minor == expected.subtotal_minor
        assert row.gst_minor == expected.gst_minor
    kada = next(p for _, p in rows if p.sku == "GLD-KADA-01")
    public = (await client.get(f"/api/products/{kada.id}")).json()
    # 1,290,823 x 24.350 x 0.916 = 28,791,290.6858 -> 28,791,291; 12 % = 3,454,954.92
    assert public["jewellery"]["metal_value_minor"] == 28_791_291
    assert public["jewellery"]["making_charge_minor"] == 3_454_955
    assert public["price_minor"] == 32_246_246
    page = await client.get(f"/products/{kada.id}")
    assert page.status_code == 200 and "Price breakdown" in page.text


@pytest.mark.parametrize("args", [["pricing"], ["pricing", "import"], ["pricing", "seed"]])
def test_pricing_commands_have_help(args: list[str]) -> None:
    result = runner.invoke(cli, [*args, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_import_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    try:
        assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
        bad = tmp_path / "bad.csv"
        bad.write_text("metal,date,inr_per_gram\ngold,2026-06-01,12908.23\ntin,2026-06-01,1\n")
        result = runner.invoke(cli, ["pricing", "import", str(bad)])
        assert result.exit_code == 1 and "line 3 metal" in result.output
        good = tmp_path / "good.csv"
        good.write_text("metal,date,inr_per_gram\ngold,2026-06-01,12908.23\n")
        result = runner.invoke(cli, ["pricing", "import", str(good)])
        assert result.exit_code == 0, result.output
        assert "1 rate(s) added, 0 replaced" in result.output
        result = runner.invoke(cli, ["pricing", "seed"])
        assert result.exit_code == 0 and "641 gold rate(s) added" in result.output
    finally:
        get_settings.cache_clear()
