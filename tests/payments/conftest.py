"""Payments test set-up: a shop with staff and buyers, orders placed through checkout, the
Stripe and Razorpay fakes served over real HTTP, providers pointed at them, webhook signing
as the providers do it, and ledger checks that sum every posting."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from haat.businesses.models import Business, BusinessRole
from haat.catalog.models import Product
from haat.config import Settings
from haat.core.db import Database
from haat.identity.models import PlatformRole
from haat.payments.models import LedgerAccount, PaymentSettings, Posting
from haat.payments.providers import Providers
from tests.conftest import Caller, Factory
from tests.payments.fakes.razorpay_api import FakeRazorpay
from tests.payments.fakes.server import serve
from tests.payments.fakes.stripe_api import FakeStripe

STRIPE_KEY = "sk_test_haat_fake_000000000001"
STRIPE_WEBHOOK_SECRET = "whsec_haat_test_0000000000000001"
RAZORPAY_KEY_ID = "rzp_test_HaatFake0001"
RAZORPAY_KEY_SECRET = "haat_razorpay_fake_secret_0001"
RAZORPAY_WEBHOOK_SECRET = "haat_razorpay_webhook_secret_01"
STRIPE_ACCOUNT = "acct_1HaatPotters01"
RAZORPAY_ACCOUNT = "acc_HaatPotters001"
ADDRESS = {"name": "Asha Rao", "line1": "12 MG Road", "city": "Bengaluru", "country": "IN"}


@dataclass
class Shop:
    owner: Caller  # business admin
    editor: Caller
    viewer: Caller
    buyer: Caller
    other_buyer: Caller
    outsider: Caller  # admin of another business
    admin: Caller  # platform admin
    business: Business
    other_business: Business
    vase: Product  # 1,500.00 INR + 12 % GST where set; 18 % by default
    bowl: Product


@pytest.fixture
async def shop(factory: Factory) -> Shop:
    owner = await factory.user("potter", role=PlatformRole.SELLER)
    business = await factory.business(owner, name="Jaipur Potters")
    outsider = await factory.user("weaver", role=PlatformRole.SELLER)
    return Shop(
        owner=owner,
        editor=await factory.member(business, BusinessRole.EDITOR),
        viewer=await factory.member(business, BusinessRole.VIEWER),
        buyer=await factory.user("buyer"),
        other_buyer=await factory.user("other"),
        outsider=outsider,
        admin=await factory.user("ops", role=PlatformRole.ADMIN),
        business=business,
        other_business=await factory.business(outsider, name="Kashmir Looms"),
        vase=await factory.product(business, price_minor=150000, stock_quantity=20),
        bowl=await factory.product(business, title="Bowl", price_minor=45000, stock_quantity=20),
    )


async def place_order(
    client: httpx.AsyncClient, buyer: Caller, product: Product, quantity: int = 1
) -> dict[str, Any]:
    """The buyer checks out a cart of one product; returns the order."""
    r = await client.post(
        "/api/cart/items",
        headers=buyer.headers,
        json={"product_id": str(product.id), "quantity": quantity},
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        "/api/orders/checkout",
        headers={**buyer.headers, "Idempotency-Key": uuid.uuid4().hex},
        json={"delivery_address": ADDRESS},
    )
    assert r.status_code == 201, r.text
    return r.json()[0]  # type: ignore[no-any-return]


async def pay(
    client: httpx.AsyncClient,
    caller: Caller,
    order_id: str,
    key: str | None = None,
    **body: Any,
) -> httpx.Response:
    return await client.post(
        f"/api/orders/{order_id}/payments",
        headers={**caller.headers, "Idempotency-Key": key or uuid.uuid4().hex},
        json=body,
    )


async def move(
    client: httpx.AsyncClient, caller: Caller, order_id: str, status: str
) -> httpx.Response:
    return await client.put(
        f"/api/orders/{order_id}/status", headers=caller.headers, json={"status": status}
    )


async def walk_to(client: httpx.AsyncClient, caller: Caller, order_id: str, status: str) -> None:
    """Move an order forward, step by step, up to ``status``."""
    path = ["confirmed", "processing", "shipped", "delivered", "completed"]
    for step in path[: path.index(status) + 1]:
        r = await move(client, caller, order_id, step)
        assert r.status_code == 200, r.text


async def order_of(client: httpx.AsyncClient, caller: Caller, order_id: str) -> dict[str, Any]:
    r = await client.get(f"/api/orders/{order_id}", headers=caller.headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def use_provider(
    db: Database, business: Business, provider: str, account: str | None
) -> None:
    async with db.session() as s:
        s.add(PaymentSettings(business_id=business.id, provider=provider, account_id=account))
        await s.commit()


# --- the ledger, summed by hand ------------------------------------------------------------


async def posting_totals(db: Database) -> dict[str, int]:
    """Every posting summed per currency, straight from the table."""
    async with db.session(write=False) as s:
        rows = await s.execute(
            select(Posting.currency, func.sum(Posting.amount_minor)).group_by(Posting.currency)
        )
        return {currency: int(total) for currency, total in rows.all()}


async def assert_balanced(db: Database) -> None:
    totals = await posting_totals(db)
    assert all(total == 0 for total in totals.values()), totals


async def balances(db: Database) -> dict[str, int]:
    """``{account code: balance}`` for every account with postings (one currency in tests)."""
    async with db.session(write=False) as s:
        rows = await s.execute(
            select(LedgerAccount.code, func.sum(Posting.amount_minor))
            .join(Posting, Posting.account_id == LedgerAccount.id)
            .group_by(LedgerAccount.code)
        )
        return {code: int(total) for code, total in rows.all() if total}


async def entry_count(db: Database) -> int:
    async with db.session(write=False) as s:
        return int(await s.scalar(select(func.count()).select_from(Posting)) or 0)


# --- the fakes ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def stripe_server() -> Iterator[tuple[FakeStripe, str]]:
    fake = FakeStripe(STRIPE_KEY)
    with serve(fake.app) as url:
        yield fake, url


@pytest.fixture(scope="session")
def razorpay_server() -> Iterator[tuple[FakeRazorpay, str]]:
    fake = FakeRazorpay(RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET)
    with serve(fake.app) as url:
        yield fake, url


@pytest.fixture
def stripe_fake(stripe_server: tuple[FakeStripe, str]) -> FakeStripe:
    stripe_server[0].requests.clear()
    stripe_server[0].fail.clear()
    return stripe_server[0]


@pytest.fixture
def razorpay_fake(razorpay_server: tuple[FakeRazorpay, str]) -> FakeRazorpay:
    razorpay_server[0].requests.clear()
    razorpay_server[0].fail.clear()
    return razorpay_server[0]


@pytest.fixture
async def providers(
    app: FastAPI,
    settings: Settings,
    stripe_server: tuple[FakeStripe, str],
    razorpay_server: tuple[FakeRazorpay, str],
) -> AsyncIterator[Providers]:
    """The app's providers, configured with keys and pointed at the fakes, for one test."""
    configured = settings.model_copy(
        update={
            "stripe_secret_key": STRIPE_KEY,
            "stripe_webhook_secret": STRIPE_WEBHOOK_SECRET,
            "stripe_api_base": stripe_server[1],
            "razorpay_key_id": RAZORPAY_KEY_ID,
            "razorpay_key_secret": RAZORPAY_KEY_SECRET,
            "razorpay_webhook_secret": RAZORPAY_WEBHOOK_SECRET,
            "razorpay_api_base": razorpay_server[1],
        }
    )
    installed = Providers(configured)
    provided = app.state.wiring.by_type
    previous, provided[Providers] = provided[Providers], installed
    yield installed
    provided[Providers] = previous
    await installed.aclose()


# --- webhooks signed as the providers sign them ---------------------------------------------


def stripe_signature(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """``Stripe-Signature``: ``t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def razorpay_signature(payload: bytes, secret: str) -> str:
    """``X-Razorpay-Signature``: hex HMAC-SHA256(webhook secret, raw body)."""
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


async def stripe_webhook(
    client: httpx.AsyncClient,
    event: dict[str, Any],
    secret: str = STRIPE_WEBHOOK_SECRET,
    timestamp: int | None = None,
) -> httpx.Response:
    body = json.dumps(event).encode()
    return await client.post(
        "/api/payments/webhooks/stripe",
        content=body,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": stripe_signature(body, secret, timestamp),
        },
    )


async def razorpay_webhook(
    client: httpx.AsyncClient,
    event: dict[str, Any],
    event_id: str | None = None,
    secret: str = RAZORPAY_WEBHOOK_SECRET,
) -> httpx.Response:
    body = json.dumps(event).encode()
    return await client.post(
        "/api/payments/webhooks/razorpay",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Razorpay-Signature": razorpay_signature(body, secret),
            "X-Razorpay-Event-Id": event_id or f"evt_{uuid.uuid4().hex[:14]}",
        },
    )
