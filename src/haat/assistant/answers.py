"""Templated answers: the facts found, written out in the asker's language (`phrases.py`).

Pure functions over `ProductFact` / `OrderFact`: no database. Money is formatted with
`haat.core.money.format_money` in the language's locale; a converted display price follows
the price of record as "≈ ..." (it is approximate and never charged).
"""

from __future__ import annotations

from babel.dates import format_date

from haat.assistant.intent import Intent
from haat.assistant.phrases import LOCALES, phrase
from haat.assistant.schemas import OrderFact, ProductFact
from haat.core.money import format_money

COMPARED_ATTRIBUTES = (
    ("attr_material", ("material", "metal", "medium")),
    ("attr_colour", ("colour", "color")),
    ("attr_size", ("dimensions_cm", "size", "size_uk", "length_m", "carat")),
    ("attr_weight", ("weight_g",)),
)


def money(language: str, minor: int, currency: str) -> str:
    """``minor`` units of ``currency`` written in the language's locale ("₹1,800.00")."""
    return format_money(minor, currency, LOCALES.get(language, "en_IN"))


def price_text(language: str, fact: ProductFact) -> str:
    """ "₹1,800.00" or, with a display price in another currency, "₹1,800.00 (≈ €18.50)"."""
    text = money(language, fact.price_minor, fact.currency)
    shown = fact.display_price
    if shown is not None and shown.converted and shown.amount_minor is not None:
        text += f" (≈ {money(language, shown.amount_minor, shown.currency)})"
    return text


def stock_text(language: str, fact: ProductFact) -> str:
    """ "in stock (59)" or "out of stock", in ``language``."""
    if fact.in_stock:
        return phrase(language, "in_stock", count=fact.stock_quantity)
    return phrase(language, "out_of_stock")


def item_line(language: str, fact: ProductFact) -> str:
    """One product of an answer: title, price, stock and seller, in ``language``."""
    return phrase(
        language,
        "item",
        title=fact.title,
        price=price_text(language, fact),
        stock=stock_text(language, fact),
        seller=fact.seller.name,
    )


def bound_text(language: str, intent: Intent) -> str:
    """The price range of the question in words ("" without one)."""
    if intent.currency is None:
        return ""
    low = money(language, intent.min_price, intent.currency) if intent.min_price else None
    high = money(language, intent.max_price, intent.currency) if intent.max_price else None
    if low and high:
        return phrase(language, "bound_between", low=low, high=high)
    if high:
        return phrase(language, "bound_max", high=high)
    if low:
        return phrase(language, "bound_min", low=low)
    return ""


def search_answer(language: str, intent: Intent, facts: list[ProductFact], exact: bool) -> str:
    """The answer to a product search: the matches, or that there are none and the close
    alternatives (if any)."""
    bound = bound_text(language, intent)
    lines = [item_line(language, f) for f in facts]
    if exact and facts:
        head = (
            phrase(language, "found", query=intent.query, bound=bound)
            if intent.groups
            else phrase(language, "found_any", bound=bound)
        )
        return "\n".join([head, *lines])
    head = phrase(language, "none", query=intent.query or "…", bound=bound)
    if not facts:
        return f"{head} {phrase(language, 'try_other_words')}"
    return "\n".join([head, phrase(language, "alternatives"), *lines])


def stock_answer(language: str, intent: Intent, facts: list[ProductFact], exact: bool) -> str:
    """Whether the best match is in stock, then the other matches."""
    if not exact or not facts:
        return search_answer(language, intent, facts, exact)
    best = facts[0]
    key = "stock_yes" if best.in_stock else "stock_no"
    head = phrase(
        language, key, title=best.title, count=best.stock_quantity, price=price_text(language, best)
    )
    others = [item_line(language, f) for f in facts[1:]]
    return "\n".join([head, *others])


def compare_answer(
    language: str, a: ProductFact, b: ProductFact, attributes: tuple[dict[str, object], ...]
) -> str:
    """Two products side by side: price (and which is cheaper), material, colour, size,
    weight, stock, seller. ``attributes`` are the two products' attribute dicts."""
    lines = [phrase(language, "compare_intro", a=a.title, b=b.title)]
    lines.append(
        phrase(
            language,
            "compare_row",
            name=phrase(language, "attr_price"),
            a=price_text(language, a),
            b=price_text(language, b),
        )
    )
    lines.append(_price_difference(language, a, b))
    for key, names in COMPARED_ATTRIBUTES:
        values = [_first(attrs, names) for attrs in attributes]
        if any(values):
            lines.append(
                phrase(
                    language,
                    "compare_row",
                    name=phrase(language, key),
                    a=values[0] or "—",
                    b=values[1] or "—",
                )
            )
    for key, (va, vb) in (
        ("attr_stock", (stock_text(language, a), stock_text(language, b))),
        ("attr_seller", (a.seller.name, b.seller.name)),
    ):
        lines.append(phrase(language, "compare_row", name=phrase(language, key), a=va, b=vb))
    return "\n".join(line for line in lines if line)


def _price_difference(language: str, a: ProductFact, b: ProductFact) -> str:
    """Which costs less and by how much: in the products' own currency when they share it,
    else in the display currency both were converted to; "" when neither is possible."""
    pa: tuple[int, str] | None
    pb: tuple[int, str] | None
    if a.currency == b.currency:
        pa, pb = (a.price_minor, a.currency), (b.price_minor, b.currency)
    else:
        pa, pb = _comparable(a), _comparable(b)
    if pa is None or pb is None or pa[1] != pb[1]:
        return ""
    if pa[0] == pb[0]:
        return phrase(language, "compare_same_price", price=money(language, pa[0], pa[1]))
    cheaper, difference = (a, pb[0] - pa[0]) if pa[0] < pb[0] else (b, pa[0] - pb[0])
    return phrase(
        language,
        "compare_cheaper",
        cheaper=cheaper.title,
        difference=money(language, difference, pa[1]),
    )


def _comparable(fact: ProductFact) -> tuple[int, str] | None:
    """The display price (or the own price when it is in the display currency)."""
    shown = fact.display_price
    if shown is not None:
        if not shown.converted or shown.amount_minor is None:
            return None
        return shown.amount_minor, shown.currency
    return fact.price_minor, fact.currency


def _first(attrs: dict[str, object], names: tuple[str, ...]) -> str:
    for name in names:
        value = attrs.get(name)
        if value not in (None, "") and not isinstance(value, bool):
            return str(value)
    return ""


def order_answer(language: str, order: OrderFact) -> str:
    """The order's status, seller, date and total, in ``language``."""
    return phrase(
        language,
        "order_status",
        number=order.number,
        seller=order.seller,
        status=phrase(language, f"status_{order.status}"),
        date=format_date(order.placed_at.date(), "medium", locale=LOCALES.get(language, "en_IN")),
        total=money(language, order.total_minor, order.currency),
    )
