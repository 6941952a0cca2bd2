"""`POST /api/customers/{id}/reminder`: the text in the customer's language, sent by SMS."""

from __future__ import annotations

import re

import httpx
import pytest
from babel.numbers import format_currency

from haat.core.i18n import SUPPORTED_LANGUAGES
from haat.core.sms import SmsSender
from haat.customers.reminders import TEMPLATES, format_amount, reminder_text
from tests.conftest import CapturingSms
from tests.customers.conftest import entry, new_customer

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
ARABIC = re.compile(r"[\u0600-\u06FF]")


async def remind(client: httpx.AsyncClient, caller: object, customer_id: str) -> httpx.Response:
    return await client.post(
        f"/api/customers/{customer_id}/reminder",
        headers=caller.headers,  # type: ignore[attr-defined]
    )


async def test_hindi_reminder(client: httpx.AsyncClient, shop: dict, sms: CapturingSms) -> None:
    c = await new_customer(client, shop["admin"], shop["business"].id, preferred_language="hi")
    await entry(client, shop["editor"], c["id"], "credit", 123456750)
    await entry(client, shop["editor"], c["id"], "payment", 100)
    r = await remind(client, shop["editor"], c["id"])
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["balance_minor"] == 123456650 and out["language"] == "hi"
    assert DEVANAGARI.search(out["text"]) and "Swati Jewellers" in out["text"]
    assert "₹12,34,566.50" in out["text"]  # Indian digit grouping
    assert sms.outbox == [("+919812345678", out["text"])]


async def test_kashmiri_reminder(client: httpx.AsyncClient, shop: dict, sms: CapturingSms) -> None:
    c = await new_customer(client, shop["admin"], shop["business"].id, preferred_language="ks")
    await entry(client, shop["editor"], c["id"], "credit", 250000)
    r = await remind(client, shop["admin"], c["id"])
    assert r.status_code == 200, r.text
    text = r.json()["text"]
    assert ARABIC.search(text) and not DEVANAGARI.search(text)
    assert format_currency(2500, "INR", locale="ks_IN") in text
    assert sms.outbox[-1][1] == text


async def test_english_uses_indian_grouping() -> None:
    text = reminder_text("en", "Asha", "Swati Jewellers", 1234567_00, "INR")
    assert "₹12,34,567.00" in text and text.startswith("Dear Asha")


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_language_has_a_template(language: str) -> None:
    text = reminder_text(language, "N", "B", 9900, "INR")
    assert "N" in text and "B" in text and format_amount(9900, "INR", language) in text
    assert set(TEMPLATES) == set(SUPPORTED_LANGUAGES)


def test_amount_uses_the_currency_digits() -> None:
    assert format_amount(1500, "JPY", "ja") == "￥1,500"
    assert format_amount(1500, "USD", "de") == "15,00\xa0$"


async def test_nothing_owed_is_409(
    client: httpx.AsyncClient, shop: dict, sms: CapturingSms
) -> None:
    c = await new_customer(client, shop["admin"], shop["business"].id)
    assert (await remind(client, shop["admin"], c["id"])).status_code == 409
    await entry(client, shop["editor"], c["id"], "credit", 500)
    await entry(client, shop["editor"], c["id"], "payment", 800)
    r = await remind(client, shop["admin"], c["id"])
    assert r.status_code == 409 and r.json()["type"] == "nothing_owed"
    assert sms.outbox == []


async def test_one_reminder_a_day(client: httpx.AsyncClient, shop: dict, sms: CapturingSms) -> None:
    c = await new_customer(client, shop["admin"], shop["business"].id)
    other = await new_customer(client, shop["admin"], shop["business"].id, phone="+919800000009")
    for cid in (c["id"], other["id"]):
        await entry(client, shop["editor"], cid, "credit", 500)
    assert (await remind(client, shop["admin"], c["id"])).status_code == 200
    r = await remind(client, shop["editor"], c["id"])
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 3600
    assert (await remind(client, shop["editor"], other["id"])).status_code == 200
    assert len(sms.outbox) == 2


class _BrokenSms:
    async def send(self, phone_e164: str, text: str) -> None:
        raise ConnectionError("gateway down")


async def test_gateway_failure_is_503(
    client: httpx.AsyncClient,
    shop: dict,
    app,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    c = await new_customer(client, shop["admin"], shop["business"].id)
    await entry(client, shop["editor"], c["id"], "credit", 500)
    monkeypatch.setitem(app.state.wiring.by_type, SmsSender, _BrokenSms())
    r = await remind(client, shop["admin"], c["id"])
    assert r.status_code == 503 and r.json()["type"] == "sms_unavailable"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("editor", 200),
        ("approver", 403),
        ("viewer", 403),
        ("outsider", 404),
        ("platform", 403),
    ],
)
async def test_reminder_authorization(
    client: httpx.AsyncClient, shop: dict, who: str, status: int
) -> None:
    c = await new_customer(client, shop["admin"], shop["business"].id)
    await entry(client, shop["editor"], c["id"], "credit", 500)
    assert (await remind(client, shop[who], c["id"])).status_code == status
