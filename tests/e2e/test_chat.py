"""Chat in Chromium: a buyer in Germany writes to a shop from a product page; the shop's
owner sees the unread badge, opens the conversation and both talk live over Socket.IO."""

from __future__ import annotations

from typing import Any

from tests.conftest import Factory
from tests.e2e.conftest import PHONE


async def test_buyer_and_seller_talk_live(factory: Factory, visitor: Any) -> None:
    owner = await factory.user("artisan", language="en")
    shop = await factory.business(owner, name="Srinagar Pashmina House")
    shawl = await factory.product(shop, title="Sozni embroidered pashmina shawl")
    buyer_caller = await factory.user("anna", language="de")

    buyer = await visitor(locale="de-DE", tag="buyer")
    await buyer.login(buyer_caller)
    await buyer.go(f"/products/{shawl.id}")
    async with buyer.page.expect_navigation():
        await buyer.page.click("text=Dem Verkäufer schreiben")
    assert "/chat/" in buyer.page.url
    conversation = buyer.page.url.split("/chat/")[1]
    await buyer.page.wait_for_function("window.io !== undefined")
    await buyer.page.fill("#chat-text", "Ist der Schal aus echter Pashmina? Was kostet er?")
    await buyer.page.click(".chat-form button[type=submit]")
    await buyer.page.wait_for_selector(".chat-message.mine >> text=echter Pashmina")
    assert "/chat/" in buyer.page.url  # sent over the socket: no reload

    seller = await visitor(viewport=PHONE, locale="en-IN", tag="seller")
    await seller.login(owner)
    await seller.go(f"/seller/{shop.id}/chat")
    assert await seller.page.inner_text("[data-unread]") == "1"
    await seller.shot("badge")
    await seller.go(f"/chat/{conversation}")
    await seller.page.wait_for_selector("text=echter Pashmina")
    # Live: the buyer's next message arrives without a reload, then the reply goes back.
    await seller.page.wait_for_timeout(500)  # the seller's socket has joined
    await buyer.page.fill("#chat-text", "Und der Versand nach Berlin?")
    await buyer.page.click(".chat-form button[type=submit]")
    await seller.page.wait_for_selector("text=Versand nach Berlin", timeout=10_000)
    await seller.page.fill("#chat-text", "Yes, pure pashmina, hand sozni. ₹48,000 with shipping.")
    await seller.page.click(".chat-form button[type=submit]")
    await buyer.page.wait_for_selector("text=hand sozni", timeout=10_000)
    await buyer.shot("conversation")
    await seller.shot("conversation")
