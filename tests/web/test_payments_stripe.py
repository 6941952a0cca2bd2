"""Paying from the pages with Stripe Checkout against the local fake (real HTTP): the pay
button's redirect to the hosted page, the buyer's return read back from Stripe's API, the
webhook before or after it, milestones, and what is refused: a forged or unknown session, an
unpaid one, an amount Stripe did not receive for this payment, another buyer's order, a
tampered return token."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from haat.businesses.models import Business
from haat.commerce.models import PaymentStatus
from haat.payments import escrow
from haat.payments.models import MilestoneStatus, Payment, PaymentState, Posting
from haat.payments.schemas import MilestoneIn, MilestonesIn
from tests.conftest import Caller, Factory
from tests.payments.conftest import (  # noqa: F401 (fixtures)
    STRIPE_ACCOUNT,
    assert_balanced,
    providers,
    razorpay_server,
    stripe_server,
    stripe_webhook,
    use_provider,
)
from tests.payments.fakes.stripe_api import FakeStripe
from tests.web.conftest import csrf_of, web_login
from tests.web.test_payments import (
    _FORM,
    _HIDDEN,
    _checkout,
    _form,
    _milestone,
    _order,
    _payments,
    _shop,
)


def _local(client: httpx.AsyncClient, url: str) -> str:
    """The path of one of our own absolute URLs (Stripe sends the browser back to them)."""
    base = str(client.base_url).rstrip("/")
    assert url.startswith(base), url
    return url[len(base) :]


async def _stripe_shop(factory: Factory) -> tuple[Caller, Business, Any]:
    owner, business, vase = await _shop(factory)
    await use_provider(factory.db, business, "stripe", STRIPE_ACCOUNT)
    return owner, business, vase


async def _press_pay(
    client: httpx.AsyncClient, order_id: uuid.UUID, milestone_id: uuid.UUID | None = None
) -> tuple[httpx.Response, dict[str, str]]:
    """Press "Pay with Stripe" (of the milestone, if given) on the order page: the answer
    and the form's fields (to press it again)."""
    page = await client.get(f"/orders/{order_id}")
    assert page.status_code == 200 and "Pay with Stripe" in page.text
    for action, hidden in _forms(page.text, f"/orders/{order_id}/pay"):
        if milestone_id is None or hidden.get("milestone_id") == str(milestone_id):
            fields = {**hidden, "csrf_token": csrf_of(page.text)}
            return await client.post(action, data=fields), fields
    raise AssertionError("no pay form")


def _forms(html: str, action: str) -> list[tuple[str, dict[str, str]]]:
    return [(a, dict(_HIDDEN.findall(body))) for a, body in _FORM.findall(html) if a == action]


async def _pay_at_stripe(fake_url: str) -> str:
    """The buyer's browser at Stripe's hosted page presses Pay; the URL Stripe sends it
    back to (our success_url with the session's id)."""
    async with httpx.AsyncClient() as browser:
        page = await browser.get(fake_url)
        assert page.status_code == 200 and "Pay" in page.text
        action, _ = _form(page.text, "/pay/")
        paid = await browser.post(str(page.url.join(action)))
    assert paid.status_code == 303
    return paid.headers["location"]


async def _postings(factory: Factory) -> int:
    async with factory.session() as s:
        return int(await s.scalar(select(func.count()).select_from(Posting)) or 0)


async def _flashes(client: httpx.AsyncClient, order_id: uuid.UUID) -> str:
    page = await client.get(f"/orders/{order_id}")
    assert page.status_code == 200
    return page.text


async def test_order_paid_on_stripe_checkout_and_back(
    client: httpx.AsyncClient,
    factory: Factory,
    providers: Any,  # noqa: F811
    stripe_server: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    fake, fake_url = stripe_server
    _, _, vase = await _stripe_shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "cash")  # not a manual seller: nothing opened
    assert await _payments(factory, order_id) == []
    page = await client.get(f"/orders/{order_id}")
    # The pay form's redirect may lead to Stripe Checkout, and nowhere else.
    assert f"form-action 'self' {fake_url};" in page.headers["content-security-policy"]

    r, fields = await _press_pay(client, order_id)
    assert r.status_code == 303 and r.headers["location"].startswith(f"{fake_url}/pay/cs_test_")
    (payment,) = await _payments(factory, order_id)
    session = fake.sessions[payment.provider_reference or ""]
    assert payment.status == PaymentState.PENDING and payment.client_secret is None
    assert session["client_reference_id"] == str(payment.id)
    assert session["line_items"][0]["price_data"]["unit_amount"] == str(payment.amount_minor)
    assert session["payment_intent_data"]["transfer_group"] == f"order-{order_id}"
    assert session["payment_intent_data"]["metadata"]["haat_payment_id"] == str(payment.id)
    assert session["success_url"].endswith("?session_id={CHECKOUT_SESSION_ID}")
    create = [key for m, path, _, key in fake.requests if path == "/v1/checkout/sessions"]
    assert create == [f"haat-checkout-{payment.id}"]
    # A double click: the same payment, back to the same page.
    again = await client.post(f"/orders/{order_id}/pay", data=fields)
    assert again.status_code == 303 and again.headers["location"] == r.headers["location"]
    assert len(await _payments(factory, order_id)) == 1
    page = await client.get(f"/orders/{order_id}")
    assert "Continue to Stripe" in page.text
    resumed = await client.get(f"/orders/{order_id}/payments/{payment.id}/stripe")
    assert resumed.status_code == 303 and resumed.headers["location"] == r.headers["location"]

    back = _local(client, await _pay_at_stripe(r.headers["location"]))
    assert back.endswith(f"?session_id={payment.provider_reference}")
    client.cookies.clear()  # the return names the buyer by its token, not by the cookie
    done = await client.get(back)
    assert done.status_code == 303 and done.headers["location"] == f"/orders/{order_id}"
    (paid,) = await _payments(factory, order_id)
    assert paid.status == PaymentState.SUCCEEDED
    intent = fake.intents[paid.provider_reference or ""]  # the PaymentIntent replaced the session
    assert paid.provider_payment_id == intent["latest_charge"]
    assert intent["metadata"]["haat_payment_id"] == str(payment.id)
    assert (await _order(factory, order_id)).payment_status == PaymentStatus.PAID
    posted = await _postings(factory)
    reads = len(fake.requests)

    # The return again (a reload) and the webhook after it: nothing more happens.
    assert (await client.get(back)).status_code == 303
    assert len(fake.requests) == reads  # settled: Stripe is not even asked
    event = fake.event("checkout.session.completed", session)
    assert (await stripe_webhook(client, event)).json()["outcome"] == "already_settled"
    assert await _postings(factory) == posted
    await assert_balanced(factory.db)


async def test_webhook_first_then_the_return(
    client: httpx.AsyncClient,
    factory: Factory,
    providers: Any,  # noqa: F811
    stripe_server: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    fake, _ = stripe_server
    _, _, vase = await _stripe_shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "cash")
    r, _ = await _press_pay(client, order_id)
    (payment,) = await _payments(factory, order_id)
    session_id = payment.provider_reference or ""
    event = fake.pay_session(session_id)
    success = fake.sessions[session_id]["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
    assert (await stripe_webhook(client, event)).json()["outcome"] == "funded"
    assert (await stripe_webhook(client, event)).json()["outcome"] == "duplicate"
    (paid,) = await _payments(factory, order_id)
    assert paid.status == PaymentState.SUCCEEDED and paid.provider_reference in fake.intents
    posted = await _postings(factory)
    done = await client.get(_local(client, success))
    assert done.status_code == 303
    assert "Payment received. Thank you!" in await _flashes(client, order_id)
    assert await _postings(factory) == posted
    # The PaymentIntent's own event, now that it is the payment's reference: a replay.
    intent = fake.intents[paid.provider_reference or ""]
    late = fake.event("payment_intent.succeeded", intent)
    assert (await stripe_webhook(client, late)).json()["outcome"] == "already_settled"
    await assert_balanced(factory.db)


async def test_a_milestone_paid_on_stripe_checkout(
    client: httpx.AsyncClient,
    factory: Factory,
    providers: Any,  # noqa: F811
    stripe_server: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    fake, _ = stripe_server
    owner, _, vase = await _stripe_shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "cash")
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
    assert page.text.count("Pay with Stripe") == 2  # one per pending milestone
    r, _ = await _press_pay(client, order_id, second.id)
    assert r.status_code == 303
    (payment,) = await _payments(factory, order_id)
    assert payment.milestone_id == second.id and payment.amount_minor == second.amount_minor
    session = fake.sessions[payment.provider_reference or ""]
    assert session["line_items"][0]["price_data"]["unit_amount"] == str(second.amount_minor)
    back = _local(client, await _pay_at_stripe(r.headers["location"]))
    assert (await client.get(back)).status_code == 303
    assert await _milestone(factory, second.id) == MilestoneStatus.FUNDED
    assert await _milestone(factory, first.id) == MilestoneStatus.PENDING
    assert (await _order(factory, order_id)).payment_status == PaymentStatus.PARTIAL
    page = await _flashes(client, order_id)
    assert "Payment received. Thank you!" in page and page.count("Pay with Stripe") == 1
    await assert_balanced(factory.db)


async def test_forged_unpaid_and_tampered_returns_count_nothing(
    client: httpx.AsyncClient,
    factory: Factory,
    providers: Any,  # noqa: F811
    stripe_server: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    fake, fake_url = stripe_server
    _, _, vase = await _stripe_shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "cash")
    await _press_pay(client, order_id)
    (payment,) = await _payments(factory, order_id)
    session_id = payment.provider_reference or ""
    success = _local(client, fake.sessions[session_id]["success_url"]).split("?", 1)[0]

    # Back before paying (or a hand-made URL): Stripe says unpaid, so nothing counts.
    r = await client.get(f"{success}?session_id={session_id}")
    assert r.status_code == 303 and r.headers["location"] == f"/orders/{order_id}"
    assert "Stripe has not received this payment yet." in await _flashes(client, order_id)
    # Another session's id, even a paid one: not this payment's.
    other = fake.pay_session(await _other_session(fake, fake_url))
    r = await client.get(f"{success}?session_id={other['data']['object']['id']}")
    assert r.status_code == 303
    assert "could not be verified" in await _flashes(client, order_id)
    r = await client.get(f"{success}?session_id=cs_test_unknown")
    assert "could not be verified" in await _flashes(client, order_id)
    # A tampered token names no payment.
    assert (await client.get(f"{success}x?session_id={session_id}")).status_code == 404
    assert (await client.get(f"/payments/stripe/return/{uuid.uuid4()}")).status_code == 404
    (still,) = await _payments(factory, order_id)
    assert still.status == PaymentState.PENDING and still.provider_reference == session_id
    assert await _postings(factory) == 0

    # Leaving Stripe's page changes nothing but says so.
    cancel = _local(client, fake.sessions[session_id]["cancel_url"])
    assert (await client.get(cancel)).headers["location"] == f"/orders/{order_id}"
    page = await _flashes(client, order_id)
    assert "page before paying. You can continue there" in page and "Continue to Stripe" in page
    # The session expires: going back to Stripe fails the payment, and paying anew is offered.
    fake.expire_session(session_id)
    r = await client.get(f"/orders/{order_id}/payments/{payment.id}/stripe")
    assert r.status_code == 303 and r.headers["location"] == f"/orders/{order_id}"
    page = await _flashes(client, order_id)
    assert "This Stripe checkout has expired. Please pay again." in page
    assert "Pay with Stripe" in page
    (expired,) = await _payments(factory, order_id)
    assert expired.status == PaymentState.FAILED


async def _other_session(fake: FakeStripe, fake_url: str) -> str:
    """A session of some other payment at the same Stripe account."""
    async with httpx.AsyncClient(
        base_url=fake_url,
        headers={"Authorization": f"Bearer {fake.secret_key}"},
    ) as api:
        r = await api.post(
            "/v1/checkout/sessions",
            data={
                "mode": "payment",
                "line_items[0][quantity]": "1",
                "line_items[0][price_data][currency]": "inr",
                "line_items[0][price_data][unit_amount]": "177000",
                "line_items[0][price_data][product_data][name]": "Other",
                "client_reference_id": str(uuid.uuid4()),
                "success_url": "https://elsewhere.example/?s={CHECKOUT_SESSION_ID}",
                "cancel_url": "https://elsewhere.example/",
            },
        )
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


async def test_an_amount_stripe_did_not_receive_is_refused(
    client: httpx.AsyncClient,
    factory: Factory,
    providers: Any,  # noqa: F811
    stripe_server: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    fake, _ = stripe_server
    _, _, vase = await _stripe_shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "cash")
    await _press_pay(client, order_id)
    (payment,) = await _payments(factory, order_id)
    session_id = payment.provider_reference or ""
    event = fake.pay_session(session_id, amount_minor=100)
    success = fake.sessions[session_id]["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
    r = await client.get(_local(client, success))
    assert r.status_code == 303
    assert "does not match this payment" in await _flashes(client, order_id)
    assert (await stripe_webhook(client, event)).json()["outcome"] == "amount_mismatch"
    (still,) = await _payments(factory, order_id)
    assert still.status == PaymentState.PENDING and await _postings(factory) == 0


async def test_another_buyer_and_a_failing_stripe(
    client: httpx.AsyncClient,
    factory: Factory,
    providers: Any,  # noqa: F811
    stripe_server: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    fake, _ = stripe_server
    _, _, vase = await _stripe_shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "cash")
    # Stripe refuses: a clear word, and no payment is left behind.
    fake.fail["/v1/checkout/sessions"] = (400, "Your account cannot create sessions")
    r, _ = await _press_pay(client, order_id)
    assert r.status_code == 303 and r.headers["location"] == f"/orders/{order_id}"
    assert "The payment provider refused or could not be reached." in await _flashes(
        client, order_id
    )
    assert await _payments(factory, order_id) == []
    await _press_pay(client, order_id)
    (payment,) = await _payments(factory, order_id)

    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as other:
        await web_login(other, await factory.user("other"))
        assert (await other.get(f"/orders/{order_id}")).status_code == 404
        page = await other.get("/")
        r = await other.post(
            f"/orders/{order_id}/pay",
            data={"idempotency_key": uuid.uuid4().hex, "csrf_token": csrf_of(page.text)},
        )
        assert r.status_code == 303  # refused with a message, nothing opened
        resume = await other.get(f"/orders/{order_id}/payments/{payment.id}/stripe")
        assert resume.status_code == 404
        no_csrf = await other.post(
            f"/orders/{order_id}/pay", data={"idempotency_key": uuid.uuid4().hex}
        )
        assert no_csrf.status_code == 403
    assert [p.id for p in await _payments(factory, order_id)] == [payment.id]
    async with factory.session() as s:
        count = await s.scalar(select(func.count()).select_from(Payment))
    assert count == 1


async def test_the_return_and_the_webhook_at_once_count_once(
    client: httpx.AsyncClient,
    factory: Factory,
    providers: Any,  # noqa: F811
    stripe_server: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    fake, _ = stripe_server
    _, _, vase = await _stripe_shop(factory)
    await web_login(client, await factory.user("buyer"))
    order_id = await _checkout(client, vase, "cash")
    await _press_pay(client, order_id)
    (payment,) = await _payments(factory, order_id)
    session_id = payment.provider_reference or ""
    event = fake.pay_session(session_id)
    success = fake.sessions[session_id]["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
    back, hook = await asyncio.gather(
        client.get(_local(client, success)), stripe_webhook(client, event)
    )
    assert back.status_code == 303 and hook.status_code == 200, hook.text
    assert hook.json()["outcome"] in ("funded", "already_settled")
    (paid,) = await _payments(factory, order_id)
    assert paid.status == PaymentState.SUCCEEDED
    assert await _postings(factory) == 2  # one entry: platform cash against the escrow
    await assert_balanced(factory.db)
