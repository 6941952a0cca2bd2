"""Payment reminders: a short SMS in the customer's language with the amount they owe.

Amounts are formatted by Babel (CLDR) for the language's locale: Indian digit grouping
(12,34,567.50) for English and Hindi, Perso-Arabic separators for Kashmiri, and so on.
One reminder per customer per day (429 with Retry-After past it).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import structlog
from babel.numbers import format_currency, get_currency_precision
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.errors import Conflict, HaatError
from haat.core.ratelimit import RateLimiter
from haat.core.sms import SmsSender
from haat.customers.khata import balance_for, business_name
from haat.customers.schemas import ReminderOut
from haat.customers.service import get_customer
from haat.identity.actor import Actor

log = structlog.get_logger("haat.khata")
REMINDER_LIMIT = "1/day"

# Babel locale per supported language.
LOCALES = {
    "en": "en_IN",
    "hi": "hi_IN",
    "es": "es_ES",
    "bn": "bn_IN",
    "ks": "ks_IN",
    "ta": "ta_IN",
    "de": "de_DE",
    "fr": "fr_FR",
    "ja": "ja_JP",
}

TEMPLATES = {
    "en": "Dear {name}, this is a reminder from {business}: your outstanding balance is "
    "{amount}. Please pay at your earliest convenience. Thank you!",
    "hi": "प्रिय {name}, {business} की ओर से अनुस्मारक: आपकी बकाया राशि {amount} है। "
    "कृपया जल्द से जल्द भुगतान करें। धन्यवाद!",
    "es": "Hola, {name}: le recordamos desde {business} que tiene un saldo pendiente de "
    "{amount}. Le rogamos que lo abone en cuanto pueda. ¡Gracias!",
    "bn": "প্রিয় {name}, {business}-এর পক্ষ থেকে মনে করিয়ে দিচ্ছি: আপনার বকেয়া {amount}। "
    "অনুগ্রহ করে যত তাড়াতাড়ি সম্ভব পরিশোধ করুন। ধন্যবাদ!",
    "ks": "مۄحترم {name}، {business} کہِ طرفہٕ یاد دہانی: تُہُنٛد بقایا رقم چھےٚ {amount}۔ "
    "مہربانی کٔرِتھ کٔرِو جلد ادا۔ شُکریہ!",
    "ta": "அன்புள்ள {name}, {business} வழங்கும் நினைவூட்டல்: உங்கள் நிலுவைத் தொகை {amount}. "
    "தயவுசெய்து விரைவில் செலுத்தவும். நன்றி!",
    "de": "Guten Tag {name}, eine freundliche Erinnerung von {business}: Ihr offener Betrag "
    "beträgt {amount}. Bitte begleichen Sie ihn bei nächster Gelegenheit. Vielen Dank!",
    "fr": "Bonjour {name}, petit rappel de {business} : votre solde restant dû est de "
    "{amount}. Merci de le régler dès que possible.",
    "ja": "{name}様、{business}からのお知らせです。未払い残高は{amount}です。"
    "お早めにお支払いくださいますようお願いいたします。",
}


class NothingOwed(Conflict):
    code, title = "nothing_owed", "This customer owes nothing; there is nothing to remind"


class SmsUnavailable(HaatError):
    status, code, title = 503, "sms_unavailable", "The SMS gateway could not send the message"


def format_amount(amount_minor: int, currency: str, language: str) -> str:
    """``amount_minor`` (minor units of ``currency``) as text for ``language``'s locale."""
    digits = get_currency_precision(currency)
    major = Decimal(amount_minor).scaleb(-digits)
    return format_currency(major, currency, locale=LOCALES.get(language, "en_IN"))


def reminder_text(language: str, name: str, business: str, amount_minor: int, currency: str) -> str:
    """The reminder in ``language`` (English for an unknown one)."""
    template = TEMPLATES.get(language, TEMPLATES["en"])
    amount = format_amount(amount_minor, currency, language if language in TEMPLATES else "en")
    return template.format(name=name, business=business, amount=amount)


async def send_reminder(
    session: AsyncSession,
    actor: Actor,
    customer_id: uuid.UUID,
    *,
    sms: SmsSender,
    limiter: RateLimiter,
) -> ReminderOut:
    """Text the customer what they owe (business admins and editors).

    Raises 401, 403, 404, 409 (balance not positive), 429 (already reminded today, with
    Retry-After), 503 (the SMS gateway failed).
    """
    customer = await get_customer(session, actor, customer_id, write=True)
    balance = await balance_for(session, actor, customer_id)
    if balance.balance_minor <= 0 or balance.currency is None:
        raise NothingOwed()
    await limiter.hit(
        REMINDER_LIMIT,
        "khata-reminder",
        str(customer.id),
        detail="This customer has already been reminded today",
    )
    text = reminder_text(
        customer.preferred_language,
        customer.name,
        await business_name(session, customer.business_id),
        balance.balance_minor,
        balance.currency,
    )
    try:
        await sms.send(customer.phone, text)
    except Exception as exc:  # a gateway failure is not the caller's fault, nor a 500
        log.warning("khata.reminder_failed", customer_id=str(customer.id), error=repr(exc))
        raise SmsUnavailable() from exc
    return ReminderOut(
        customer_id=customer.id,
        phone=customer.phone,
        language=customer.preferred_language,
        balance_minor=balance.balance_minor,
        currency=balance.currency,
        text=text,
    )
