"""What a shopper's question asks for, read with rules (no model): the kind of question, the
words to search for and a price range.

Pure functions, no database. Questions are read in English (the catalogue's language); the
answer's language is chosen separately. Recognised forms:

* a product search, optionally bounded: "silver jhumkas under 2000 rupees", "shawls between
  $50 and $120", "pottery over ₹5,000", "brass lamp below 1.5k";
* a stock question: "is the blue pottery vase in stock", "do you have pashmina stoles";
* a comparison: "what is the difference between these two shawls", "compare X and Y";
* an order question: "where is my order HT-2026-000123", "status of my last order".

Amounts are turned into integer minor units of the named currency (or of the asker's own
currency when none is named) with `haat.core.money.to_minor`; "k" means thousand and "lakh"
one hundred thousand (Indian numbering).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from haat.core.money import to_minor


class IntentKind(enum.StrEnum):
    SEARCH = "search"
    STOCK = "stock"
    COMPARE = "compare"
    ORDER = "order"


@dataclass(frozen=True)
class Intent:
    """A parsed question. Prices are minor units of ``currency`` (None: no bound)."""

    kind: IntentKind
    # Each group is a word of the question and the catalogue's words for it (synonyms);
    # a product must match one word of every group.
    groups: list[tuple[str, ...]] = field(default_factory=list)
    min_price: int | None = None
    max_price: int | None = None
    currency: str | None = None
    order_number: str | None = None

    @property
    def query(self) -> str:
        """The question's own product words joined by spaces (for the answer and the
        embedding of the question)."""
        return " ".join(group[0] for group in self.groups)


ORDER_NUMBER = re.compile(r"\bHT-\d{4}-\d{6}\b", re.IGNORECASE)
_CURRENCY_WORDS = {
    "₹": "INR",
    "rs": "INR",
    "inr": "INR",
    "rupee": "INR",
    "rupees": "INR",
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "yen": "JPY",
}
_WORDS = r"(?:rupees?|rs\.?|inr|dollars?|usd|euros?|eur|pounds?|gbp|jpy|yen)"
_CUR = rf"(?:[₹$€£¥]|{_WORDS}(?!\w))"
_NUM = r"\d[\d,]*(?:\.\d+)?\s*(?:k|lakhs?|lacs?)?"
_AMOUNT = rf"(?:{_CUR}\s*)?(?P<{{n}}>{_NUM})(?:\s*{_CUR})?"
_BELOW = r"(?<!\w)(?:under|below|less than|cheaper than|within|upto|up to|at most|max(?:imum)?|<)"
_ABOVE = r"(?<!\w)(?:over|above|more than|at least|min(?:imum)?|from|>)"
_BETWEEN = re.compile(
    rf"\bbetween\s+{_AMOUNT.format(n='low')}\s+(?:and|to|-)\s+{_AMOUNT.format(n='high')}",
    re.IGNORECASE,
)
_RANGE = re.compile(
    rf"{_AMOUNT.format(n='low')}\s*(?:-|to)\s*{_AMOUNT.format(n='high')}", re.IGNORECASE
)
_MAX = re.compile(rf"{_BELOW}\s*{_AMOUNT.format(n='high')}", re.IGNORECASE)
_MIN = re.compile(rf"{_ABOVE}\s*{_AMOUNT.format(n='low')}", re.IGNORECASE)
_CURRENCY_IN = re.compile(
    rf"[₹$€£¥]|(?<!\w){_WORDS}(?!\w)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_STOCK = re.compile(
    r"\b(in stock|out of stock|available|availability|do you have|have you got|any left|"
    r"how many)\b",
    re.IGNORECASE,
)
_COMPARE = re.compile(
    r"\b(difference|differences|differ|compare|comparison|versus|vs\.?|better)\b", re.IGNORECASE
)
_ORDER = re.compile(
    r"\b(my order|my orders|my last order|my latest order|order status|where is my|"
    r"track my|tracking|my parcel|my package|delivery of my)\b",
    re.IGNORECASE,
)

# Words that carry no product meaning in a question (the index also drops English stop
# words, but these would otherwise have to match in an all-words search).
_STOP_TEXT = """
anything everything item items product products stuff
a an and any are as at be been between buy can cheap cheaper compare comparison could
difference differences differ do does for from get give got have how i in into is it its
looking me more my need of on one or please price priced prices rate show some stock that
the them these this those to two under below over above less than upto up want what which
who whats with within would you your available availability much many left cost costs tell
find search sell sells selling something thing things there here versus vs better about like
other others also only still out was were am best good nice new help hello hi hey k lakh
lakhs lac lacs rs inr rupee rupees usd dollar dollars eur euro euros gbp pound pounds jpy
yen maximum minimum max min most least budget
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# Shoppers' words for things the catalogue names otherwise (Indian English and Hindi
# loan words in Latin script), as extra search words.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "jhumka": ("earrings",),
    "jhumkas": ("earrings",),
    "jhumki": ("earrings",),
    "earring": ("earrings",),
    "kurti": ("kurta",),
    "kurtis": ("kurta",),
    "sari": ("saree",),
    "saris": ("saree",),
    "sarees": ("saree",),
    "chunni": ("dupatta",),
    "scarf": ("stole",),
    "scarves": ("stole",),
    "wrap": ("shawl",),
    "necklaces": ("necklace",),
    "haar": ("necklace",),
    "kada": ("bangle",),
    "diya": ("diyas", "lamp"),
    "lamps": ("lamp",),
    "sandals": ("chappals",),
    "slippers": ("chappals",),
    "footwear": ("chappals",),
    "artwork": ("painting",),
    "jewelry": ("jewellery",),
    "color": ("colour",),
    "grey": ("charcoal",),
    "kids": ("children",),
    "rug": ("runner",),
    "pot": ("pottery",),
    "ceramic": ("pottery", "ceramic"),
    "statue": ("figurine",),
    "sculpture": ("figurine",),
    "purse": ("clutch", "bag"),
    "cufflink": ("cufflinks",),
}


def parse(question: str, default_currency: str = "INR") -> Intent:
    """Read ``question`` into an `Intent` (never fails: unknown questions are searches).
    Amounts without a currency word are in ``default_currency`` (the asker's)."""
    text = question.strip()
    number = ORDER_NUMBER.search(text)
    if number or _ORDER.search(text):
        return Intent(
            kind=IntentKind.ORDER, order_number=number.group(0).upper() if number else None
        )
    low, high, currency, rest = _price_range(text, default_currency)
    kind = IntentKind.SEARCH
    if _COMPARE.search(rest):
        kind = IntentKind.COMPARE
    elif _STOCK.search(rest):
        kind = IntentKind.STOCK
    return Intent(
        kind=kind,
        groups=search_groups(rest),
        min_price=low,
        max_price=high,
        currency=currency,
    )


def search_groups(text: str) -> list[tuple[str, ...]]:
    """The product words of ``text`` (numbers included: "1.57 ct"), lower-cased, without
    stop words, each with its synonyms:
    ``"silver jhumkas"`` -> ``[("silver",), ("jhumkas", "earrings")]``.
    No repeated word; at most 8 groups."""
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for word in _WORD.findall(text.lower()):
        if word in STOP_WORDS or word in seen:
            continue
        group = tuple(w for w in dict.fromkeys((word, *SYNONYMS.get(word, ()))) if w not in seen)
        seen.update(group)
        groups.append(group)
    return groups[:8]


def _price_range(text: str, default: str) -> tuple[int | None, int | None, str | None, str]:
    """(min, max, currency, the text without the price phrases). Bounds are minor units of
    the currency named in the question, else of ``default``; the currency is None when the
    question has no price bound."""
    named = _CURRENCY_IN.search(text)
    unit = _CURRENCY_WORDS[named.group(0).lower().rstrip(".")] if named else default
    low = high = None
    rest = text
    for pattern in (_BETWEEN, _RANGE):
        match = pattern.search(rest)
        if match:
            low, high = _amount(match.group("low"), unit), _amount(match.group("high"), unit)
            rest = rest[: match.start()] + " " + rest[match.end() :]
            break
    else:
        match = _MAX.search(rest)
        if match:
            high = _amount(match.group("high"), unit)
            rest = rest[: match.start()] + " " + rest[match.end() :]
        match = _MIN.search(rest)
        if match:
            low = _amount(match.group("low"), unit)
            rest = rest[: match.start()] + " " + rest[match.end() :]
    if low is not None and high is not None and low > high:
        low, high = high, low
    currency = unit if low is not None or high is not None else None
    return low, high, currency, _CURRENCY_IN.sub(" ", rest)


def _amount(text: str, currency: str) -> int | None:
    """ "2,000" -> 200000 (INR paise); "1.5k" -> 150000; "2 lakh" -> 20000000."""
    cleaned = text.lower().replace(",", "").strip()
    factor = 1
    for suffix, value in (("lakhs", 100_000), ("lakh", 100_000), ("lacs", 100_000)):
        if cleaned.endswith(suffix):
            cleaned, factor = cleaned.removesuffix(suffix), value
            break
    else:
        if cleaned.endswith("lac"):
            cleaned, factor = cleaned.removesuffix("lac"), 100_000
        elif cleaned.endswith("k"):
            cleaned, factor = cleaned.removesuffix("k"), 1000
    try:
        amount = Decimal(cleaned.strip()) * factor
        return to_minor(amount, currency)
    except (InvalidOperation, ValueError):
        return None
