"""`POST /api/assistant/messages` end to end: retrieval from approved products only, stock,
comparison, orders of the caller only, sessions and their limit."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from haat.assistant.models import AssistantMessage, AssistantSession
from haat.commerce.models import Order, OrderStatus, PaymentStatus
from haat.fx.seed import seed_fx_rates
from tests.conftest import Factory

URL = "/api/assistant/messages"


def _ids(body: dict[str, Any]) -> list[str]:
    return [str(i) for i in body["cited_product_ids"]]


async def _ask(client: httpx.AsyncClient, message: str, **extra: Any) -> httpx.Response:
    headers = extra.pop("headers", {})
    return await client.post(URL, json={"message": message, **extra}, headers=headers)


async def test_finds_silver_earrings_under_a_price_and_never_a_hidden_product(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    r = await _ask(client, "silver jhumkas under 2000 rupees")
    assert r.status_code == 200, r.text
    body = r.json()
    earrings = shop["products"]["earrings"]
    assert _ids(body)[0] == str(earrings.id)
    assert body["exact"] is True and body["intent"] == "search"
    assert str(shop["products"]["necklace"].id) not in _ids(body)  # Rs 19,800: over the bound
    fact = body["products"][0]
    assert fact["title"] == earrings.title
    assert fact["price_minor"] == 180000 and fact["currency"] == "INR"
    assert fact["seller"]["name"] == "Cuttack Silver Filigree Collective"
    assert fact["url"] == f"/products/{earrings.id}"
    assert fact["in_stock"] is True and fact["stock_quantity"] == 59
    assert "₹1,800.00" in body["answer"] and earrings.title in body["answer"]


async def test_no_question_ever_cites_a_product_that_is_not_public(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    hidden = {str(p.id) for p in shop["hidden"].values()}
    questions = [
        "silver jhumka earrings",
        "is the blue pottery vase in stock",
        "shawl",
        "what is the difference between these two shawls",
        "anything under 1000 rupees",
        "draft pending rejected unpublished archived",
        "vase shawl earrings jhumka",
    ]
    for question in questions:
        r = await _ask(client, question)
        assert r.status_code == 200, (question, r.text)
        body = r.json()
        assert not hidden & set(_ids(body)), question
        assert not any(p.title in body["answer"] for p in shop["hidden"].values()), question
    # Naming hidden products for a comparison does not bring them in either.
    r = await _ask(client, "compare these two", product_ids=sorted(hidden)[:2])
    assert r.status_code == 200
    assert _ids(r.json()) == [] and r.json()["intent"] == "compare"


async def test_stock_question_says_whether_the_product_is_in_stock(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    r = await _ask(client, "is the blue pottery vase in stock")
    body = r.json()
    assert body["intent"] == "stock"
    assert _ids(body)[0] == str(shop["products"]["vase"].id)
    assert body["answer"].startswith("Yes: Jaipur blue pottery vase")
    r = await _ask(client, "is the cobalt blue wall plate available")
    body = r.json()
    assert _ids(body)[0] == str(shop["products"]["plate"].id)
    assert "out of stock" in body["answer"].splitlines()[0]


async def test_no_match_says_so_and_offers_close_alternatives(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    r = await _ask(client, "silver anklets")
    body = r.json()
    assert body["exact"] is False
    assert body["answer"].startswith("I found nothing for “silver anklets”")
    assert "Close alternatives:" in body["answer"]
    assert _ids(body)[0] in {
        str(shop["products"]["earrings"].id),
        str(shop["products"]["necklace"].id),
    }
    r = await _ask(client, "submarine telescope")
    body = r.json()
    assert body["exact"] is False and _ids(body) == []
    assert "Try other words" in body["answer"]


async def test_compares_two_named_shawls(client: httpx.AsyncClient, shop: dict[str, Any]) -> None:
    wool, angora = shop["products"]["shawl_wool"], shop["products"]["shawl_angora"]
    r = await _ask(
        client,
        "what is the difference between these two shawls",
        product_ids=[str(wool.id), str(angora.id)],
    )
    body = r.json()
    assert body["intent"] == "compare"
    assert _ids(body) == [str(wool.id), str(angora.id)]
    answer = body["answer"]
    assert "Material: sheep wool / angora." in answer
    assert "Colour: black / brown." in answer
    assert f"{wool.title} costs ₹1,799.00 less." in answer


async def test_compares_the_two_products_of_the_previous_answer(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    first = (await _ask(client, "kullu shawls")).json()
    assert len(first["cited_product_ids"]) == 2
    question = "what is the difference between these two"
    second = (await _ask(client, question, session_id=first["session_id"])).json()
    assert second["intent"] == "compare"
    assert set(_ids(second)) == set(_ids(first))


async def test_order_questions_answer_the_owner_only(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    buyer = await factory.user("buyer")
    other = await factory.user("other")
    async with factory.session() as s:
        order = Order(
            number="HT-2026-000042",
            business_id=shop["pottery"].id,
            buyer_id=buyer.id,
            status=OrderStatus.SHIPPED,
            payment_status=PaymentStatus.PAID,
            currency="INR",
            subtotal_minor=240000,
            tax_minor=28800,
            total_minor=268800,
        )
        s.add(order)
        await s.commit()
    question = "where is my order HT-2026-000042"
    mine = (await _ask(client, question, headers=buyer.headers)).json()
    assert mine["intent"] == "order"
    assert mine["order"]["number"] == "HT-2026-000042" and mine["order"]["status"] == "shipped"
    assert "is shipped" in mine["answer"] and "Jaipur Blue Pottery Collective" in mine["answer"]
    assert "₹2,688.00" in mine["answer"]
    latest = (await _ask(client, "where is my order?", headers=buyer.headers)).json()
    assert latest["order"]["number"] == "HT-2026-000042"

    theirs = (await _ask(client, question, headers=other.headers)).json()
    missing = (await _ask(client, "where is my order HT-2026-999999", headers=other.headers)).json()
    assert theirs["order"] is None and missing["order"] is None
    assert theirs["answer"] == "I found no order HT-2026-000042 on your account."
    assert missing["answer"] == theirs["answer"].replace("000042", "999999")
    assert "shipped" not in theirs["answer"] and "Pottery" not in theirs["answer"]
    anonymous = (await _ask(client, question)).json()
    assert anonymous["answer"] == "Sign in to ask about your orders." and anonymous["order"] is None


async def test_session_history_is_kept_and_its_limit_answers_429(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    buyer = await factory.user("buyer", language="de")
    first = (await _ask(client, "blue pottery vase", headers=buyer.headers)).json()
    session_id = first["session_id"]
    assert first["prompts_used"] == 1 and first["prompts_left"] == 4
    for n in range(2, 6):
        body = (
            await _ask(client, "silver earrings", session_id=session_id, headers=buyer.headers)
        ).json()
        assert body["prompts_used"] == n
    r = await _ask(client, "one more", session_id=session_id, headers=buyer.headers)
    assert r.status_code == 429
    problem = r.json()
    assert problem["type"] == "assistant_session_limit"
    assert problem["detail"].startswith("Sie haben in diesem Gespräch 5 Fragen gestellt")
    assert problem["limit"] == 5 and problem["session_id"] == session_id
    assert int(r.headers["Retry-After"]) > 0
    # A new conversation may ask at once.
    assert (await _ask(client, "blue pottery vase", headers=buyer.headers)).status_code == 200

    history = await client.get(f"/api/assistant/sessions/{session_id}", headers=buyer.headers)
    assert history.status_code == 200
    messages = history.json()["messages"]
    assert [m["message"] for m in messages] == ["blue pottery vase"] + ["silver earrings"] * 4
    assert messages[0]["cited_product_ids"][0] == str(shop["products"]["vase"].id)
    assert messages[0]["engine"] == "local" and messages[0]["language"] == "de"
    async with factory.session() as s:
        stored = await s.scalar(
            select(AssistantMessage)
            .where(AssistantMessage.session_id == uuid.UUID(session_id))
            .order_by(AssistantMessage.created_at)
        )
        assert stored is not None and stored.user_id == buyer.id
        conversation = await s.get(AssistantSession, uuid.UUID(session_id))
        assert conversation is not None and conversation.prompt_count == 5


async def test_a_session_belongs_to_its_user(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    owner = await factory.user("owner")
    intruder = await factory.user("intruder")
    session_id = (await _ask(client, "vase", headers=owner.headers)).json()["session_id"]
    for headers in (intruder.headers, {}):
        r = await _ask(client, "vase", session_id=session_id, headers=headers)
        assert r.status_code == 404 and r.json()["type"] == "assistant_session_not_found"
    r = await client.get(f"/api/assistant/sessions/{session_id}", headers=intruder.headers)
    assert r.status_code == 404
    assert (await client.get(f"/api/assistant/sessions/{session_id}")).status_code == 401
    unknown = str(uuid.uuid4())
    r = await _ask(client, "vase", session_id=unknown, headers=owner.headers)
    assert r.status_code == 404


async def test_prices_in_the_askers_currency(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    async with factory.session() as s:
        await seed_fx_rates(s)
        await s.commit()
    r = await _ask(client, "silver earrings", display_currency="EUR", language="fr")
    body = r.json()
    fact = body["products"][0]
    assert fact["display_price"]["currency"] == "EUR" and fact["display_price"]["converted"]
    assert body["language"] == "fr"
    assert body["answer"].startswith("Voici ce que j’ai trouvé pour « silver earrings »")
    assert "(≈ " in body["answer"] and "€" in body["answer"]


async def test_validation(client: httpx.AsyncClient) -> None:
    assert (await _ask(client, "")).status_code == 422
    assert (await _ask(client, "x" * 501)).status_code == 422
    assert (await _ask(client, "vase", language="xx")).status_code == 422
