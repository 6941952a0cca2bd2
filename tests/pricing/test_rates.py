"""`/api/metal-rates`: who may write, validation, date filters, CSV import errors."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from haat.core.db import Database
from haat.pricing.models import MetalRate
from haat.pricing.seed import seed_gold_rates
from tests.conftest import Factory
from tests.pricing.conftest import add_rate, days_ago


async def test_only_platform_admins_write_rates(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    body = {"metal": "gold", "as_of": days_ago(1).isoformat(), "rate_minor_per_g": 712345}
    assert (await client.post("/api/metal-rates", json=body)).status_code == 401
    for who in ("buyer", "owner", "editor"):
        r = await client.post("/api/metal-rates", json=body, headers=shop[who].headers)
        assert r.status_code == 403, who
    r = await client.post("/api/metal-rates", json=body, headers=shop["admin"].headers)
    assert r.status_code == 201, r.text
    rate = r.json()["rate"]
    assert rate["rate_minor_per_g"] == 712345 and rate["currency"] == "INR"
    assert rate["source"] == "manual"
    assert r.json()["repriced"] == {"metal": "gold", "products": 0, "cart_lines": 0}
    again = await client.post("/api/metal-rates", json=body, headers=shop["admin"].headers)
    assert again.status_code == 409 and again.json()["type"] == "metal_rate_exists"
    rid = rate["id"]
    r = await client.patch(
        f"/api/metal-rates/{rid}", json={"source": "x"}, headers=shop["buyer"].headers
    )
    assert r.status_code == 403
    r = await client.delete(f"/api/metal-rates/{rid}", headers=shop["owner"].headers)
    assert r.status_code == 403
    r = await client.patch(
        f"/api/metal-rates/{rid}", json={"rate_minor_per_g": 700000}, headers=shop["admin"].headers
    )
    assert r.status_code == 200 and r.json()["rate"]["rate_minor_per_g"] == 700000
    r = await client.delete(f"/api/metal-rates/{rid}", headers=shop["admin"].headers)
    assert r.status_code == 200
    assert (await client.get("/api/metal-rates")).json()["total"] == 0


@pytest.mark.parametrize(
    "change",
    [
        {"metal": "copper"},
        {"rate_minor_per_g": 0},
        {"rate_minor_per_g": 12.5},
        {"rate_minor_per_g": "abc"},
        {"as_of": "2026-13-01"},
        {"as_of": 0},  # not a Unix time
        {"as_of": "2999-01-01"},  # a future rate would re-price nothing when it starts
        {"source": ""},
    ],
)
async def test_rate_validation(
    client: httpx.AsyncClient, shop: dict[str, Any], change: dict[str, object]
) -> None:
    body = {"metal": "gold", "as_of": days_ago(1).isoformat(), "rate_minor_per_g": 712345}
    r = await client.post(
        "/api/metal-rates", json={**body, **change}, headers=shop["admin"].headers
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    (field,) = change
    assert any(e["loc"][-1] == field for e in r.json()["errors"])


async def test_list_filters_by_metal_and_dates(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    admin = shop["admin"]
    for n, (metal, paise) in enumerate([("gold", 700000), ("silver", 9000), ("gold", 710000)]):
        assert (
            await add_rate(client, admin, metal, paise, days_ago(10 - n * 4))
        ).status_code == 201
    everything = (await client.get("/api/metal-rates")).json()
    assert [i["as_of"] for i in everything["items"]] == [
        days_ago(2).isoformat(),
        days_ago(6).isoformat(),
        days_ago(10).isoformat(),
    ]
    gold = (await client.get("/api/metal-rates", params={"metal": "gold"})).json()
    assert [i["rate_minor_per_g"] for i in gold["items"]] == [710000, 700000]
    window = {"from": days_ago(8).isoformat(), "to": days_ago(1).isoformat()}
    found = (await client.get("/api/metal-rates", params=window)).json()
    assert found["total"] == 2
    bad = await client.get("/api/metal-rates", params={"from": days_ago(1), "to": days_ago(8)})
    assert bad.status_code == 422
    assert (await client.get("/api/metal-rates", params={"from": "yesterday"})).status_code == 422
    current = (await client.get("/api/metal-rates/current")).json()
    assert {(r["metal"], r["rate_minor_per_g"]) for r in current} == {
        ("gold", 710000),
        ("silver", 9000),
    }


def _csv(*lines: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("rates.csv", ("\n".join(lines) + "\n").encode(), "text/csv")}


async def test_csv_import_names_every_bad_line_and_stores_nothing(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    ok = days_ago(3).isoformat()
    files = _csv(
        "metal,date,inr_per_gram,source",
        f"gold,{ok},7123.45,IBJA",
        f"copper,{ok},800,x",  # line 3: unknown metal
        "silver,2026-02-30,95.50,x",  # line 4: no such day
        f"silver,{ok},95.505,x",  # line 5: more than 2 decimals
        f"gold,{ok},7100,again",  # line 6: second gold rate for the same day
        f"platinum,{ok},-1,x",  # line 7: not positive
        f"platinum,{ok},lots,x",  # line 8: not a number
    )
    r = await client.post("/api/metal-rates/import", files=files, headers=shop["admin"].headers)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["type"] == "invalid_rate_file"
    found = {(e["loc"][1], e["loc"][2]) for e in problem["errors"]}
    assert found == {
        (3, "metal"),
        (4, "date"),
        (5, "inr_per_gram"),
        (6, "date"),
        (7, "inr_per_gram"),
        (8, "inr_per_gram"),
    }
    assert "3, 4, 5, 6, 7, 8" in problem["detail"]
    assert (await client.get("/api/metal-rates")).json()["total"] == 0


async def test_csv_import_header_and_permissions(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    files = _csv("metal,day,rate", "gold,2026-01-01,7000")
    r = await client.post("/api/metal-rates/import", files=files, headers=shop["admin"].headers)
    assert r.status_code == 422
    assert {e["loc"][2] for e in r.json()["errors"]} == {"date", "inr_per_gram"}
    r = await client.post("/api/metal-rates/import", files=files, headers=shop["owner"].headers)
    assert r.status_code == 403
    r = await client.post("/api/metal-rates/import", files=files)
    assert r.status_code == 401


async def test_csv_import_refuses_what_is_not_csv(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    admin = shop["admin"]
    for body in (b"\r\xf2\x8e\xa0\x97\x10\xc2\xb2", b"\xff\xfe", b"metal,date\x00,inr_per_gram\n"):
        files = {"file": ("x.csv", body, "text/csv")}
        r = await client.post("/api/metal-rates/import", files=files, headers=admin.headers)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


async def test_csv_import_adds_and_replaces(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    admin = shop["admin"]
    await add_rate(client, admin, "gold", 700000, days_ago(5), source="typo")
    files = _csv(
        "\ufeffdate,metal,inr_per_gram",  # a byte-order mark and another column order
        f'{days_ago(5).isoformat()},gold,"7,123.45"',
        f"{days_ago(5).isoformat()},silver,95.5",
        f"{days_ago(4).isoformat()},platinum,3150",
    )
    r = await client.post("/api/metal-rates/import", files=files, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"]) == (2, 1)
    rows = (await client.get("/api/metal-rates")).json()["items"]
    assert {(i["metal"], i["rate_minor_per_g"], i["source"]) for i in rows} == {
        ("gold", 712345, "CSV import rates.csv"),
        ("silver", 9550, "CSV import rates.csv"),
        ("platinum", 315000, "CSV import rates.csv"),
    }


async def test_gold_seed_is_idempotent(db: Database, factory: Factory) -> None:
    async with db.session() as s:
        assert await seed_gold_rates(s) == 642
        assert await seed_gold_rates(s) == 0
        await s.commit()
    async with db.session() as s:
        june = await s.scalar(select(MetalRate).where(MetalRate.as_of == date(2026, 6, 1)))
        assert june is not None and june.rate_minor_per_g == 1_290_823
        assert june.source.startswith("World Bank Pink Sheet")
