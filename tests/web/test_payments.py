"""Paying from the pages: a manual method chosen at checkout and confirmed by the seller,
escrow milestones funded and released, Razorpay's hosted checkout against the local fake
(real HTTP), and who may press which button."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from sqlalchemy import select

from haat.businesses.models import Business, BusinessRole
from haat.catalog.models import Product
from haat.commerce.models import Order, PaymentStatus
from haat.payments import escrow
from haat.payments.models import Milestone, MilestoneStatus, Payment, PaymentState
from haat.payments.schemas import MilestoneIn, MilestonesIn
from tests.conftest import Caller, Factory
from tests.payments.conftest import (  # noqa: F401 (fixtures)
    RAZORPAY_ACCOUNT,
    assert_balanced,
    providers,
    razorpay_server,
    stripe_server,
    use_provider,
)
from tests.payments.fakes.razorpay_api import FakeRazorpay
from tests.web.conftest import csrf_of, post_form, token, web_login

ADDRESS = {"name": "Asha Rao", "line1": "12 MG Road", "city": "Bengaluru", "country": "IN"}
_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


async def _shop(factory: Factory) -> tuple[Caller, Business, Product]:
    owner = await factory.user("potter")
    business = await factory.business(owner, name="Jaipur Potters")
    return owner, business, await factory.product(business, price_minor=150000, stock_quantity=9)


async def _checkout(client: httpx.AsyncClient, product: Product, method: str) -> uuid.UUID:
    """Put ``product`` in the cart and check out paying by ``method``; the order's id."""
    r = await post_form(
        client, "/cart/items", {"product_id": str(product.id), "quantity": "1"}, page="/cart"
    )
    assert r.status_code == 303
    page = await client.get("/checkout")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert key and 'name="method"' in page.text
    form = {**ADDRESS, "csrf_token": csrf_of(page.text), "idempotency_key": key.group(1)}
    placed = await client.post("/checkout", data={**form, "method": method})
    assert placed.status_code == 303, placed.text
    again = await client.post("/checkout", data={**form, "method": method})  # double click
    assert again.status_code == 303
    order_id = placed.headers["location"].rsplit("/", 1)[1]
    return uuid.UUID(order_id)


async def _payments(factory: Factory, order_id: uuid.UUID) -> list[Payment]:
    async with factory.session() as s:
        rows = await s.scalars(select(Payment).where(Payment.order_id == order_id))
        return list(rows.all())


async def _order(factory: Factory, order_id: uuid.UUID) -> Order:
    async with factory.session() as s:
        order = await s.get(Order, order_id)
        assert order is not None
        return order


def _form(html: str, action_part: str) -> tuple[str, dict[str, str]]:
    """The first form whose action contains ``action_part``: (action, hidden fields)."""
    for action, body in _FORM.findall(html):
        if action_part in action:
            return action, dict(_HIDDEN.findall(body))
    raise AssertionError(f"no form to {action_part}")


async def test_upi_at_checkout_then_the_seller_confirms(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, business, vase = await _shop(factory)
    buyer = await factory.user("buyer")
    await web_login(client, buyer)
    order_id = await _checkout(client, vase, "upi")
    (payment,) = await _payments(factory, order_id)  # the double click opened one payment
    assert (payment.provider, payment.method, payment.status) == ("manual", "upi", "pending")
    page = await client.get(f"/orders/{order_id}")
    assert "Waiting for the seller to confirm your payment." in page.text
    assert f"/payments/{payment.id}/confirm" not in page.text  # the buyer cannot confirm
    # The buyer posting the seller's confirm form: not their business (404).
    r = await post_form(client, f"/seller/{business.id}/payments/{payment.id}/confirm", {})
    assert r.status_code == 404

    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as seller:
        viewer = await factory.member(business, BusinessRole.VIEWER)
        await web_login(seller, viewer)
        r = await post_form(seller, f"/seller/{business.id}/payments/{payment.id}/confirm", {})
        assert r.status_code == 303
        assert (await _payments(factory, order_id))[0].status == PaymentState.PENDING
        seller.cookies.clear()
        await web_login(seller, owner)
        staff_page = await seller.get(f"/seller/{business.id}/orders/{order_id}")
        assert "Confirm received" in staff_page.text
        no_token = await seller.post(f"/seller/{business.id}/payments/{payment.id}/confirm")
        assert no_token.status_code == 403  # CSRF
        r = await post_form(seller, f"/seller/{business.id}/payments/{payment.id}/confirm", {})
        assert r.status_code == 303
    assert (await _payments(factory, order_id))[0].status == PaymentState.SUCCEEDED
    assert (await _order(factory, order_id)).payment_status == PaymentStatus.PAID
    page = await client.get(f"/orders/{order_id}")
    assert "Received" in page.text and 'action="/orders/' + str(order_id) + '/pay"' not in page.text
    await assert_balanced(factory.db)


async def test_milestones_funded_and_released_by_the_buyer(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, business, vase = await _shop(factory)
    buyer, other = await factory.user("buyer"), await factory.user("other")
    await web_login(client, buyer)
    order_id = await _checkout(client, vase, "later")
    assert await _payments(factory, order_id) == []
    async with factory.session() as s:
        split = MilestonesIn(
            milestones=[
                MilestoneIn(title="Advance", percent_bp=3000),
                MilestoneIn(title="On delivery", percent_bp=7000),
            ]
        )
        first, second = await escrow.set_milestones(s, owner.actor, order_id, split)
        await s.commit()
    page = await client.get(f"/orders/{order_id}")
    action, hidden = _form(page.text, "/pay")
    assert hidden["milestone_id"] == str(first.id)
    r = await client.post(
        action, data={**hidden, "method": "cash", "csrf_token": csrf_of(page.text)}
    )
    assert r.status_code == 303
    (payment,) = await _payments(factory, order_id)
    assert payment.milestone_id == first.id and payment.amount_minor == first.amount_minor

    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as seller:
        await web_login(seller, owner)
        r = await post_form(seller, f"/seller/{business.id}/payments/{payment.id}/confirm", {})
        assert r.status_code == 303
        # Staff may not release the buyer's money: refused, the milestone stays funded.
        r = await post_form(seller, f"/orders/{order_id}/milestones/{first.id}/release", {})
        assert r.status_code == 303
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as third:
        await web_login(third, other)
        r = await post_form(third, f"/orders/{order_id}/milestones/{first.id}/release", {})
        assert r.status_code == 303
    assert await _milestone(factory, first.id) == MilestoneStatus.FUNDED

    page = await client.get(f"/orders/{order_id}")
    assert "Paid into escrow" in page.text and "Release to the seller" in page.text
    assert (
        await client.post(f"/orders/{order_id}/milestones/{first.id}/release")
    ).status_code == 403
    r = await post_form(client, f"/orders/{order_id}/milestones/{first.id}/release", {})
    assert r.status_code == 303
    assert await _milestone(factory, first.id) == MilestoneStatus.RELEASED
    assert await _milestone(factory, second.id) == MilestoneStatus.PENDING
    page = await client.get(f"/orders/{order_id}")
    assert "Released to the seller." in page.text  # the flash
    assert (await _order(factory, order_id)).payment_status == PaymentStatus.PARTIAL
    await assert_balanced(factory.db)


async def _milestone(factory: Factory, milestone_id: uuid.UUID) -> MilestoneStatus:
    async with factory.session() as s:
        milestone = await s.get(Milestone, milestone_id)
        assert milestone is not None
        return milestone.status


async def test_another_buyer_cannot_pay_or_see(client: httpx.AsyncClient, factory: Factory) -> None:
    _, _, vase = await _shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "later")
    client.cookies.clear()
    await web_login(client, await factory.user("other"))
    assert (await client.get(f"/orders/{order_id}")).status_code == 404
    data = {"idempotency_key": uuid.uuid4().hex, "method": "cash"}
    r = await post_form(client, f"/orders/{order_id}/pay", data)
    assert r.status_code == 303  # refused with a message, nothing opened
    assert await _payments(factory, order_id) == []


async def test_razorpay_hosted_checkout(
    client: httpx.AsyncClient,
    factory: Factory,
    providers: Any,  # noqa: F811
    razorpay_server: tuple[FakeRazorpay, str],  # noqa: F811
) -> None:
    fake, _ = razorpay_server
    _, business, vase = await _shop(factory)
    await use_provider(factory.db, business, "razorpay", RAZORPAY_ACCOUNT)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "cash")  # not a manual seller: nothing opened
    assert await _payments(factory, order_id) == []
    page = await client.get(f"/orders/{order_id}")
    action, hidden = _form(page.text, "/pay")
    r = await client.post(action, data={**hidden, "csrf_token": csrf_of(page.text)})
    assert r.status_code == 200 and "Continue to Razorpay" in r.text
    # Only this page's form may leave for Razorpay.
    assert f"form-action 'self' {razorpay_server[1]}" in r.headers["content-security-policy"]
    checkout, fields = _form(r.text, "/v1/checkout/embedded")
    (payment,) = await _payments(factory, order_id)
    assert fields["order_id"] == payment.provider_reference and payment.status == "pending"
    async with httpx.AsyncClient() as browser:  # the buyer's browser at Razorpay (real HTTP)
        at_razorpay = await browser.post(checkout, data=fields)
        assert at_razorpay.status_code == 200
        pay_action, pay_fields = _form(at_razorpay.text, "/pay")
        paid = await browser.post(str(at_razorpay.url.join(pay_action)), data=pay_fields)
    callback, signed = _form(paid.text, "/payments/razorpay/return/")
    path = callback.split(str(client.base_url).rstrip("/"), 1)[1]
    forged = await client.post(path, data={**signed, "razorpay_signature": "0" * 64})
    assert forged.status_code == 400
    assert (await client.post(path + "x", data=signed)).status_code == 404  # token tampered
    client.cookies.clear()  # Razorpay's cross-site POST carries no session cookie
    back = await client.post(path, data=signed)
    assert back.status_code == 303 and back.headers["location"] == f"/orders/{order_id}"
    (payment,) = await _payments(factory, order_id)
    assert payment.status == PaymentState.SUCCEEDED
    assert (await _order(factory, order_id)).payment_status == PaymentStatus.PAID
    assert any(path == "/v1/checkout/embedded" for _, path, _ in fake.requests)
    await assert_balanced(factory.db)


async def test_pay_form_needs_csrf(client: httpx.AsyncClient, factory: Factory) -> None:
    _, _, vase = await _shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "later")
    r = await client.post(
        f"/orders/{order_id}/pay", data={"idempotency_key": uuid.uuid4().hex, "method": "cash"}
    )
    assert r.status_code == 403
    assert await token(client, f"/orders/{order_id}")


async def test_seller_splits_an_order_into_milestones(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, business, vase = await _shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "later")
    path = f"/seller/{business.id}/orders/{order_id}/milestones"
    split = {"title": ["Advance", "On delivery", "", ""], "percent": ["30", "70", "", ""]}

    async def milestones() -> list[tuple[str, int | None]]:
        async with factory.session() as s:
            rows = await escrow.milestones_of(s, order_id)
            return [(m.title, m.percent_bp) for m in rows]

    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as staff:
        viewer = await factory.member(business, BusinessRole.VIEWER)
        await web_login(staff, viewer)
        r = await post_form(staff, path, split)
        assert r.status_code == 303 and await milestones() == []  # a viewer may not
        staff.cookies.clear()
        await web_login(staff, owner)
        page = await staff.get(f"/seller/{business.id}/orders/{order_id}")
        assert "Split into milestones" in page.text
        r = await post_form(staff, path, {**split, "percent": ["30", "60", "", ""]})
        assert r.status_code == 303 and await milestones() == []  # 90 %: refused
        assert (await staff.post(path, data=split)).status_code == 403  # no CSRF token
        r = await post_form(staff, path, split)
        assert r.status_code == 303
        assert await milestones() == [("Advance", 3000), ("On delivery", 7000)]
    # The buyer may not split the order, nor may anyone outside the business.
    r = await post_form(client, path, {"title": ["All"], "percent": ["100"]})
    assert r.status_code == 404
    page = await client.get(f"/orders/{order_id}")
    assert page.text.count('action="/orders/' + str(order_id) + '/pay"') == 2  # one per milestone
