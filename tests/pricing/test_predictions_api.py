"""`/api/predictions/gold` and `/diamond`: answers, intervals, every field's validation, and
503 while untrained; `/api/health` on the champions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from haat.pricing.predictions import diamonds
from tests.ml import fixtures

champions = fixtures.champions
trained = fixtures.trained

STONE = {"carat": 0.7, "cut": "Ideal", "color": "G", "clarity": "VS1"}


def _future(days: int = 60) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def _error_locs(r: httpx.Response) -> list[list[Any]]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return [e["loc"] for e in r.json()["errors"]]


async def test_untrained_models_answer_503_saying_how_to_train(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/predictions/gold", json={"date": _future()})
    assert r.status_code == 503 and r.json()["type"] == "model_unavailable"
    assert "haat ml train gold" in r.json()["detail"]
    r = await client.post("/api/predictions/diamond", json=STONE)
    assert r.status_code == 503 and "haat ml train diamond" in r.json()["detail"]
    health = (await client.get("/api/health")).json()
    assert health["status"] == "ok"  # untrained is reported, not a failure
    assert health["checks"]["model:gold"]["detail"]["loaded"] is False


@pytest.mark.usefixtures("champions")
async def test_gold_prediction_scales_by_purity_and_weight(client: httpx.AsyncClient) -> None:
    day = _future(400)
    r = await client.post("/api/predictions/gold", json={"date": day, "weight_grams": 10})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["target_month"] == day[:7] and body["currency"] == "INR"
    assert body["purity"] == 999 and body["model"]["name"] == "gold"
    assert body["model"]["data_end"] == "2026-06-01"
    per_gram, interval = body["price_per_gram_minor"], body["price_per_gram_interval"]
    assert interval["low_minor"] < per_gram < interval["high_minor"]
    assert interval["coverage"] == 0.8
    assert body["total_minor"] == pytest.approx(per_gram * 10, abs=5)
    assert body["total_interval"]["low_minor"] < body["total_minor"]
    assert body["total_interval"]["high_minor"] > body["total_minor"]
    # Plausible: 24K gold was about 12,900 INR per gram in mid-2026.
    assert 8_000_00 < per_gram < 30_000_00
    r22 = await client.post("/api/predictions/gold", json={"date": day, "purity": 916})
    assert r22.json()["total_minor"] is None
    assert r22.json()["price_per_gram_minor"] == pytest.approx(per_gram * 916 / 999, abs=2)


@pytest.mark.usefixtures("champions")
async def test_gold_intervals_widen_with_the_horizon(client: httpx.AsyncClient) -> None:
    widths = []
    for days in (30, 400, 800):
        body = (await client.post("/api/predictions/gold", json={"date": _future(days)})).json()
        interval = body["price_per_gram_interval"]
        widths.append(
            (interval["high_minor"] - interval["low_minor"]) / body["price_per_gram_minor"]
        )
    assert widths == sorted(widths) and widths[0] < widths[-1]


@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({}, ["body", "date"]),
        ({"date": "soon"}, ["body", "date"]),
        ({"date": "today"}, ["body", "date"]),
        ({"date": "yesterday"}, ["body", "date"]),
        ({"date": "future", "weight_grams": 0}, ["body", "weight_grams"]),
        ({"date": "future", "weight_grams": -1.5}, ["body", "weight_grams"]),
        ({"date": "future", "weight_grams": "heavy"}, ["body", "weight_grams"]),
        ({"date": "future", "purity": 900}, ["body", "purity"]),
        ({"date": "future", "purity": "22K"}, ["body", "purity"]),
    ],
)
async def test_gold_validation(
    client: httpx.AsyncClient, payload: dict[str, Any], loc: list[str]
) -> None:
    today = datetime.now(UTC).date()
    days = {"today": today, "yesterday": today - timedelta(days=1), "future": today + timedelta(30)}
    if payload.get("date") in days:
        payload = {**payload, "date": days[payload["date"]].isoformat()}
    r = await client.post("/api/predictions/gold", json=payload)
    assert loc in _error_locs(r)
    if loc == ["body", "purity"]:
        assert "999" in r.text and "585" in r.text  # the allowed values are named


@pytest.mark.usefixtures("champions")
async def test_gold_beyond_the_calibrated_horizon_is_422(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/predictions/gold", json={"date": date(2030, 1, 1).isoformat()})
    assert _error_locs(r) == [["body", "date"]]
    assert "2029-06" in r.json()["detail"]


@pytest.mark.usefixtures("champions")
async def test_diamond_prediction_with_interval_and_features(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/predictions/diamond", json={**STONE, "depth": 61.5, "table": 56})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["currency"] == "USD" and body["model"]["name"] == "diamond"
    assert body["interval"]["low_minor"] < body["price_minor"] < body["interval"]["high_minor"]
    assert body["features"]["cut"] == diamonds.cut_rank("Ideal")
    assert body["features"]["color"] == diamonds.color_rank("G")
    assert body["features"]["depth"] == 61.5 and body["imputed"] == ["x", "y", "z"]
    assert 5.4 < body["features"]["x"] < 5.9  # a 0.7 ct round stone is about 5.7 mm across
    assert body["warnings"] == []
    bigger = await client.post("/api/predictions/diamond", json={**STONE, "carat": 1.5})
    assert bigger.json()["price_minor"] > body["price_minor"]


@pytest.mark.usefixtures("champions")
async def test_grades_outside_the_training_data_are_priced_with_a_warning(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post("/api/predictions/diamond", json={**STONE, "color": "K", "clarity": "FL"})
    assert r.status_code == 200, r.text
    warnings = " ".join(r.json()["warnings"])
    assert "colour K" in warnings and "clarity FL" in warnings


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"carat": 0}, "carat"),
        ({"carat": -0.3}, "carat"),
        ({"carat": 11}, "carat"),
        ({"carat": None}, "carat"),
        ({"cut": "Excellent"}, "cut"),
        ({"color": "N"}, "color"),
        ({"color": "g"}, "color"),
        ({"clarity": "SI3"}, "clarity"),
        ({"depth": 20}, "depth"),
        ({"table": 120}, "table"),
        ({"x": 0}, "x"),
        ({"y": -1}, "y"),
        ({"z": 100}, "z"),
    ],
)
async def test_diamond_validation(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    payload = {**STONE, **change}
    r = await client.post("/api/predictions/diamond", json=payload)
    assert ["body", field] in _error_locs(r)
    allowed = {
        "cut": diamonds.CUTS,
        "color": diamonds.COLORS,
        "clarity": diamonds.CLARITIES,
    }
    for value in allowed.get(field, ()):
        assert f"'{value}'" in r.text  # unknown grades list the allowed ones


async def test_missing_grades_are_422(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/predictions/diamond", json={"carat": 1})
    assert sorted(_error_locs(r)) == [["body", "clarity"], ["body", "color"], ["body", "cut"]]


@pytest.mark.usefixtures("champions")
async def test_health_reports_each_champion_loaded(client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/health")).json()
    assert body["status"] == "ok"
    for name in ("gold", "diamond"):
        assert body["checks"][f"model:{name}"]["detail"] == {"loaded": True, "version": 1}
