"""`/api/fx-rates`: public reads, admin-only writes and conversions that name their rate."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from haat.core.db import Database, utcnow
from haat.fx.models import FxRate
from haat.fx.seed import seed_fx_rates
from haat.identity.models import PlatformRole
from tests.conftest import Factory

PROBLEM = "application/problem+json"


@pytest.fixture
async def seeded(db: Database) -> None:
    async with db.session() as s:
        await seed_fx_rates(s)
        await s.commit()


def rate_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "base": "USD",
        "quote": "KWD",
        "rate": "0.3075",
        "as_of": "2026-06-01",
        "source": "Central Bank of Kuwait",
    }
    body.update(overrides)
    return body


async def test_latest_rates_on_a_date(client: httpx.AsyncClient, seeded: None) -> None:
    r = await client.get("/api/fx-rates", params={"date": "2026-06-15"})
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == 8
    by_quote = {item["quote"]: item for item in page["items"]}
    assert by_quote["INR"] == {
        "base": "USD",
        "quote": "INR",
        "rate": "94.96",
        "as_of": "2026-06-01",
        "source": by_quote["INR"]["source"],
    }
    assert "Federal Reserve" in by_quote["INR"]["source"]

    r = await client.get("/api/fx-rates", params={"date": "1972-06-30"})
    assert {i["quote"] for i in r.json()["items"]} == {"AUD", "CAD", "CHF", "GBP", "JPY"}

    r = await client.get("/api/fx-rates", params={"quote": "eur", "date": "2026-05-31"})
    assert [(i["quote"], i["rate"], i["as_of"]) for i in r.json()["items"]] == [
        ("EUR", "0.8561", "2026-05-01")
    ]


async def test_latest_rates_default_to_today(client: httpx.AsyncClient, seeded: None) -> None:
    r = await client.get("/api/fx-rates", params={"base": "USD", "per_page": 3})
    assert r.status_code == 200
    assert r.json()["total"] == 8 and len(r.json()["items"]) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"base": "ZZZ"},
        {"quote": "rupees"},
        {"date": "2026-13-01"},
        {"date": "0"},  # not a Unix time
        {"date": "20260601"},
        {"per_page": 0},
    ],
)
async def test_list_validation(client: httpx.AsyncClient, params: dict[str, str]) -> None:
    r = await client.get("/api/fx-rates", params=params)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM


async def test_only_platform_admins_add_rates(
    client: httpx.AsyncClient, factory: Factory, db: Database
) -> None:
    assert (await client.post("/api/fx-rates", json=rate_body())).status_code == 401
    buyer = await factory.user("buyer")
    seller = await factory.user("seller", role=PlatformRole.SELLER)
    for caller in (buyer, seller):
        r = await client.post("/api/fx-rates", json=rate_body(), headers=caller.headers)
        assert r.status_code == 403 and r.json()["type"] == "forbidden"
    admin = await factory.user("staff", role=PlatformRole.ADMIN)
    r = await client.post("/api/fx-rates", json=rate_body(), headers=admin.headers)
    assert r.status_code == 201, r.text
    assert r.json() == {
        "base": "USD",
        "quote": "KWD",
        "rate": "0.3075",
        "as_of": "2026-06-01",
        "source": "Central Bank of Kuwait",
    }
    r = await client.get("/api/fx-rates", params={"quote": "KWD", "date": "2026-06-02"})
    assert r.json()["items"][0]["rate"] == "0.3075"
    async with db.session(write=False) as s:
        stored = await s.scalar(select(FxRate).where(FxRate.quote_currency == "KWD"))
    assert stored is not None and stored.created_by == admin.id
    again = await client.post("/api/fx-rates", json=rate_body(rate=0.31), headers=admin.headers)
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quote": "ZZZ"}, "quote"),
        ({"base": "DOLLAR"}, "base"),
        ({"rate": "0"}, "rate"),
        ({"rate": -1.5}, "rate"),
        ({"rate": "1.00000000001"}, "rate"),  # more places than are stored
        ({"rate": "1e12"}, "rate"),
        ({"rate": "NaN"}, "rate"),
        ({"as_of": (utcnow().date() + timedelta(days=30)).isoformat()}, "as_of"),
        ({"as_of": "1800-01-01"}, "as_of"),
        ({"quote": "USD"}, None),
        ({"source": ""}, "source"),
    ],
)
async def test_rate_validation(
    client: httpx.AsyncClient, factory: Factory, overrides: dict[str, object], field: str | None
) -> None:
    admin = await factory.user("staff", role=PlatformRole.ADMIN)
    r = await client.post("/api/fx-rates", json=rate_body(**overrides), headers=admin.headers)
    assert r.status_code == 422, r.text
    if field:
        assert ["body", field] in [e["loc"][:2] for e in r.json()["errors"]]


async def test_a_rate_for_next_week_is_accepted(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.user("staff", role=PlatformRole.ADMIN)
    soon = (utcnow().date() + timedelta(days=7)).isoformat()
    r = await client.post("/api/fx-rates", json=rate_body(as_of=soon), headers=admin.headers)
    assert r.status_code == 201, r.text


async def test_convert_names_the_rate_and_its_date(client: httpx.AsyncClient, seeded: None) -> None:
    params = {"amount_minor": 100000, "from": "INR", "to": "EUR", "date": "2026-06-15"}
    r = await client.get("/api/fx-rates/convert", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["amount_minor"] == 100000 and body["from_currency"] == "INR"
    assert body["converted_minor"] == 914 and body["to_currency"] == "EUR"
    assert body["rate"].startswith("0.00914490311710")  # 0.8684 / 94.96
    assert body["as_of"] == "2026-06-01" and body["requested_on"] == "2026-06-15"
    assert body["via"] == "USD"
    assert [(x["base"], x["quote"], x["rate"]) for x in body["rates"]] == [
        ("USD", "INR", "94.96"),
        ("USD", "EUR", "0.8684"),
    ]

    r = await client.get(
        "/api/fx-rates/convert", params={"amount_minor": 199, "from": "USD", "to": "JPY"}
    )
    assert r.status_code == 200
    assert r.json()["converted_minor"] == 320  # 1.99 * 160.77 = 319.93 yen (latest: June 2026)
    assert r.json()["via"] is None and r.json()["as_of"] == "2026-06-01"


async def test_convert_without_a_rate_is_404(client: httpx.AsyncClient, seeded: None) -> None:
    params = {"amount_minor": 100, "from": "INR", "to": "KWD", "date": "2026-06-15"}
    r = await client.get("/api/fx-rates/convert", params=params)
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    assert r.json()["type"] == "fx_rate_not_found"
    assert r.json()["from_currency"] == "INR" and r.json()["to_currency"] == "KWD"


@pytest.mark.parametrize(
    "params",
    [
        {"from": "INR", "to": "EUR"},
        {"amount_minor": "1.5", "from": "INR", "to": "EUR"},
        {"amount_minor": 10**16, "from": "INR", "to": "EUR"},
        {"amount_minor": 100, "from": "ZZZ", "to": "EUR"},
        {"amount_minor": 100, "from": "INR"},
    ],
)
async def test_convert_validation(client: httpx.AsyncClient, params: dict[str, object]) -> None:
    r = await client.get("/api/fx-rates/convert", params=params)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
