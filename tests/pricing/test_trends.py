"""`GET /api/predictions/trends`: the numbers, by hand, and the errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.pricing.conftest import add_rate, days_ago


@pytest.fixture
async def gold_series(client: httpx.AsyncClient, shop: dict[str, Any]) -> None:
    for n, paise in [(40, 700000), (20, 710000), (5, 735000), (0, 724500)]:
        assert (
            await add_rate(client, shop["admin"], "gold", paise, days_ago(n))
        ).status_code == 201


async def test_thirty_days(client: httpx.AsyncClient, gold_series: None) -> None:
    r = await client.get("/api/predictions/trends", params={"days": 30, "metal": "gold"})
    assert r.status_code == 200, r.text
    t = r.json()
    # In force on the first day (29 days ago): the rate of 40 days ago, then three more.
    assert [p["rate_minor_per_g"] for p in t["points"]] == [700000, 710000, 735000, 724500]
    assert t["points"][0]["as_of"] == days_ago(40).isoformat()
    assert (t["window_from"], t["window_to"]) == (days_ago(29).isoformat(), days_ago(0).isoformat())
    assert t["average_minor_per_g"] == 717375  # 2,869,500 / 4
    assert (t["min_minor_per_g"], t["max_minor_per_g"]) == (700000, 735000)
    assert (t["current_minor_per_g"], t["current_as_of"]) == (724500, days_ago(0).isoformat())
    assert t["change_minor_per_g"] == 24500
    assert t["change_percent"] == "3.50"  # 24,500 / 700,000
    assert t["currency"] == "INR" and t["days"] == 30


async def test_ten_days_defaults_to_gold(client: httpx.AsyncClient, gold_series: None) -> None:
    t = (await client.get("/api/predictions/trends", params={"days": 10})).json()
    assert [p["rate_minor_per_g"] for p in t["points"]] == [710000, 735000, 724500]
    assert t["average_minor_per_g"] == 723167  # 2,169,500 / 3 = 723,166.67
    assert t["change_minor_per_g"] == 14500
    assert t["change_percent"] == "2.04"  # 14,500 / 710,000 = 2.0423 %


async def test_a_falling_rate(client: httpx.AsyncClient, shop: dict[str, Any]) -> None:
    await add_rate(client, shop["admin"], "silver", 9600, days_ago(3))
    await add_rate(client, shop["admin"], "silver", 9000, days_ago(1))
    t = (await client.get("/api/predictions/trends", params={"metal": "silver", "days": 7})).json()
    assert (t["change_minor_per_g"], t["change_percent"]) == (-600, "-6.25")


async def test_no_rates_is_a_clear_404(client: httpx.AsyncClient, gold_series: None) -> None:
    r = await client.get("/api/predictions/trends", params={"metal": "platinum"})
    assert r.status_code == 404
    assert r.json()["type"] == "no_metal_rates" and "platinum" in r.json()["detail"]


@pytest.mark.parametrize(
    "params", [{"days": 0}, {"days": 3661}, {"days": "x"}, {"metal": "copper"}, {"metal": ""}]
)
async def test_bad_parameters(client: httpx.AsyncClient, params: dict[str, object]) -> None:
    r = await client.get("/api/predictions/trends", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
