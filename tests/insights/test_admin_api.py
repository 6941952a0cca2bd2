"""`GET /api/admin/events` (platform admins) and the feeds the models read."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from haat.app import create_app
from haat.config import Settings
from haat.core.db import Database, session_scope, utcnow
from haat.identity.models import PlatformRole
from haat.insights import service
from haat.insights.models import EventKind
from haat.insights.recorder import store_writer
from tests.conftest import Factory
from tests.insights.conftest import written

K = EventKind
DAY = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
async def history(db: Database) -> dict[str, uuid.UUID]:
    """Two shoppers' and one visitor's events on three days, written as the buffer would."""
    ids = {"ana": uuid.uuid4(), "ben": uuid.uuid4(), "lamp": uuid.uuid4()}
    rows = []
    for day, user, kind, product in [
        (0, ids["ana"], K.PRODUCT_VIEWED, ids["lamp"]),
        (0, ids["ana"], K.CART_ITEM_ADDED, ids["lamp"]),
        (1, ids["ana"], K.CHECKED_OUT, None),
        (1, ids["ben"], K.PRODUCT_VIEWED, ids["lamp"]),
        (2, None, K.SEARCHED, None),
        (2, ids["ben"], K.FAVORITE_ADDED, ids["lamp"]),
    ]:
        rows.append(
            {
                "occurred_at": DAY + timedelta(days=day, minutes=len(rows)),
                "kind": kind,
                "user_id": user,
                "session_id": "visitor-42" if user is None else None,
                "product_id": product,
                "context": {"n": len(rows)},
            }
        )
    await store_writer(db)(rows)
    return ids


async def test_admins_list_events_newest_first_with_filters(
    client: httpx.AsyncClient, factory: Factory, history: dict[str, uuid.UUID]
) -> None:
    admin = await factory.user("admin", role=PlatformRole.ADMIN)

    async def page(**params: object) -> dict:  # type: ignore[type-arg]
        r = await client.get("/api/admin/events", headers=admin.headers, params=params)
        assert r.status_code == 200, r.text
        return r.json()

    everything = await page()
    assert everything["total"] == 6 and everything["pages"] == 1
    assert [e["context"]["n"] for e in everything["items"]] == [5, 4, 3, 2, 1, 0]
    first = everything["items"][-1]
    assert first["kind"] == "product_viewed" and first["user_id"] == str(history["ana"])
    assert first["product_id"] == str(history["lamp"]) and first["session_id"] is None
    assert first["occurred_at"].startswith("2026-11-10T12:00:00")

    assert (await page(user_id=str(history["ana"])))["total"] == 3
    views = await page(kind="product_viewed")
    assert {e["user_id"] for e in views["items"]} == {str(history["ana"]), str(history["ben"])}
    assert (await page(kind=["searched", "checked_out"]))["total"] == 2
    assert (await page(session_id="visitor-42"))["items"][0]["kind"] == "searched"
    assert (await page(product_id=str(history["lamp"])))["total"] == 4
    assert (await page(date_from="2026-11-11", date_to="2026-11-11"))["total"] == 2
    assert (await page(date_from="2026-11-12"))["total"] == 2
    second = await page(per_page=4, page=2)
    assert second["pages"] == 2 and [e["context"]["n"] for e in second["items"]] == [1, 0]


async def test_the_events_api_is_for_platform_admins_only(
    client: httpx.AsyncClient, factory: Factory, history: dict[str, uuid.UUID]
) -> None:
    assert (await client.get("/api/admin/events")).status_code == 401
    for role in (PlatformRole.BUYER, PlatformRole.SELLER):
        caller = await factory.user(role.value, role=role)
        r = await client.get("/api/admin/events", headers=caller.headers)
        assert r.status_code == 403 and r.json()["type"] == "forbidden"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "teleported"}, "kind"),
        ({"user_id": "not-a-uuid"}, "user_id"),
        ({"date_from": "11/12/2026"}, "date_from"),
        ({"date_from": "2026-11-12", "date_to": "2026-11-11"}, "date_from"),
        ({"per_page": 101}, "per_page"),
    ],
)
async def test_bad_filters_are_422(
    client: httpx.AsyncClient,
    factory: Factory,
    params: dict,
    field: str,  # type: ignore[type-arg]
) -> None:
    admin = await factory.user("admin", role=PlatformRole.ADMIN)
    r = await client.get("/api/admin/events", headers=admin.headers, params=params)
    assert r.status_code == 422
    assert field in r.json()["errors"][0]["loc"]


async def test_models_read_every_event_in_time_order(
    db: Database, history: dict[str, uuid.UUID]
) -> None:
    async with session_scope(db, write=False) as s:
        everything = [e async for e in service.iter_events(s, service.EventFilters(), batch_size=2)]
        ana = [
            e.kind
            async for e in service.iter_events(
                s, service.EventFilters(user_id=history["ana"]), batch_size=1
            )
        ]
        activity = await service.activity_by_user(s, DAY, DAY + timedelta(days=2))
    assert [e.context["n"] for e in everything] == [0, 1, 2, 3, 4, 5]
    assert ana == [K.PRODUCT_VIEWED, K.CART_ITEM_ADDED, K.CHECKED_OUT]
    by_user = {a.user_id: a for a in activity}
    assert set(by_user) == {history["ana"], history["ben"]}  # anonymous events left out
    assert by_user[history["ana"]].counts == {
        K.PRODUCT_VIEWED: 1,
        K.CART_ITEM_ADDED: 1,
        K.CHECKED_OUT: 1,
    }
    ben = by_user[history["ben"]]
    assert ben.counts == {K.PRODUCT_VIEWED: 1}  # the favourite on day 2 is past `until`
    assert ben.first_at == ben.last_at == DAY + timedelta(days=1, minutes=3)


@pytest.fixture
async def cached_app(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings.model_copy(update={"public_cache_ttl_s": 60}))
    yield app
    await app.state.wiring.events.flush()
    await app.state.wiring.db.dispose()


async def test_cache_hits_are_recorded_for_their_own_visitor(
    cached_app: FastAPI, factory: Factory
) -> None:
    owner = await factory.user("owner")
    vase = await factory.product(await factory.business(owner), title="Dokra brass horse")
    transport = httpx.ASGITransport(app=cached_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        url = f"/api/products/{vase.id}"
        first = await client.get(url, headers={"X-Session-Id": "first-visitor"})
        # The visitor cookie alone carries no credentials: still served from the cache.
        second = await client.get(url, headers={"Cookie": "haat_sid=second-visitor"})
        third = await client.get(url, headers={"Cookie": "haat_sid=x-visitor; session=abc"})
        search = await client.get("/api/products", params={"search": "dokra"})
        again = await client.get("/api/products", params={"search": "dokra"})
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
    assert "x-cache" not in third.headers  # another cookie may be a credential
    assert (search.headers["x-cache"], again.headers["x-cache"]) == ("MISS", "HIT")
    events = await written(cached_app)
    views = [e for e in events if e.kind == K.PRODUCT_VIEWED]
    assert [e.session_id for e in views] == ["first-visitor", "second-visitor", "x-visitor"]
    assert [e.context.get("cached", False) for e in views] == [False, True, False]
    assert views[1].occurred_at > views[0].occurred_at
    searches = [e for e in events if e.kind == K.SEARCHED]
    assert [(e.context["results"], e.context.get("cached", False)) for e in searches] == [
        (1, False),
        (1, True),
    ]
    assert all(e.occurred_at <= utcnow() for e in events)
