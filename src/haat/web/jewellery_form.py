"""The seller portal's "Jewellery pricing" form: a product's metal-rate spec as form text, and
form text back to the service's own request model (`haat.pricing.schemas.JewelleryIn`).

Numbers are read and written as the page's locale writes them (Babel, CLDR symbols):
``10.250`` g in ``en_IN``, ``10,250`` in ``de``. The making charge is typed either as a
percentage of the metal value (``12.5`` -> 1250 basis points) or as rupees a gram of gross
weight (``950`` -> 95000 paise); both conversions are exact in `decimal.Decimal`, and an
amount with more places than the unit holds is refused rather than rounded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from haat.catalog.models import Metal
from haat.catalog.schemas import JewelleryOut
from haat.core.money import minor_units, to_decimal
from haat.pricing.jewellery import PURITIES
from haat.pricing.models import CURRENCY
from haat.pricing.schemas import MAX_WEIGHT_G, JewelleryIn
from haat.web.forms import validate
from haat.web.viewer import Viewer

FIELDS = ("metal", "purity", "weight_g", "making_kind", "making_amount")
PERCENT, PER_GRAM = "percent", "per_gram"
KARAT = {999: "24K", 916: "22K", 750: "18K", 585: "14K"}
# The schema's field names as the form's.
_FORM_FIELD = {
    "making_charge_bp": "making_amount",
    "making_charge_per_g_minor": "making_amount",
    "__all__": "making_amount",
}


def _number(text: str, locale: str) -> Decimal | None:
    """``text`` as the locale writes a number, or None when it is not one."""
    if not text:
        return None
    try:
        value = parse_decimal(text, locale=locale, strict=True)
    except NumberFormatError:
        return None
    return value if value.is_finite() else None


def _exact_units(value: Decimal, places: int) -> int | None:
    """``value`` x 10^``places`` as an integer (percent -> basis points with 2, rupees ->
    paise with INR's minor units), or None when ``value`` has more decimal places than that
    (nothing is rounded)."""
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def values_of(current: JewelleryOut | None, locale: str) -> dict[str, str]:
    """The form's fields for ``current`` pricing (or the defaults of a first one)."""
    if current is None:
        return {"metal": Metal.GOLD.value, "purity": "916", "making_kind": PERCENT}
    if current.making_charge_bp is not None:
        kind, amount = PERCENT, Decimal(current.making_charge_bp).scaleb(-2)
    else:
        assert current.making_charge_per_g_minor is not None
        kind, amount = PER_GRAM, to_decimal(current.making_charge_per_g_minor, CURRENCY)
    return {
        "metal": current.metal.value,
        "purity": str(current.purity),
        "weight_g": format_decimal(Decimal(current.weight_g), format="0.000", locale=locale),
        "making_kind": kind,
        "making_amount": format_decimal(amount, format="0.##", locale=locale),
    }


def parse(values: dict[str, str], locale: str) -> tuple[JewelleryIn | None, set[str]]:
    """The form as a `JewelleryIn` validated exactly as the API does, or None and the names
    of the form fields that failed."""
    invalid: set[str] = set()
    data: dict[str, Any] = {"metal": values.get("metal", ""), "purity": values.get("purity", "")}
    weight = _number(values.get("weight_g", ""), locale)
    if weight is None:
        invalid.add("weight_g")
    else:
        data["weight_g"] = weight
    kind = values.get("making_kind")
    amount = _number(values.get("making_amount", ""), locale)
    places = 2 if kind == PERCENT else minor_units(CURRENCY)
    units = _exact_units(amount, places) if amount is not None else None
    if kind not in (PERCENT, PER_GRAM):
        invalid.add("making_kind")
    elif units is None:
        invalid.add("making_amount")
    else:
        data["making_charge_bp" if kind == PERCENT else "making_charge_per_g_minor"] = units
    body, failed = validate(JewelleryIn, data)
    invalid |= {_FORM_FIELD.get(name, name) for name in failed}
    if "making_kind" in invalid and units is not None:
        invalid.discard("making_amount")  # the amount is fine; only its kind is missing
    return (None if invalid else body), invalid


def examples(locale: str) -> dict[str, str]:
    """Sample entries for the hints, written as the locale writes numbers."""
    return {
        "weight": format_decimal(Decimal("10.250"), format="0.000", locale=locale),
        "percent": format_decimal(Decimal("12.5"), locale=locale),
        "rupees": format_decimal(Decimal(950), locale=locale),
    }


def metal_names(viewer: Viewer) -> dict[str, str]:
    _ = viewer.gettext
    return {"gold": _("Gold"), "silver": _("Silver"), "platinum": _("Platinum")}


def messages(viewer: Viewer, values: dict[str, str], invalid: set[str]) -> dict[str, str]:
    """What to say next to each invalid field, in the page's language."""
    _ = viewer.gettext
    locale = viewer.lang.locale
    names = metal_names(viewer)
    metal = values.get("metal", "")
    sample = examples(locale)
    said: dict[str, str] = {}
    if "metal" in invalid:
        said["metal"] = _("Choose gold, silver or platinum.")
    if "purity" in invalid:
        if metal in names:
            allowed = ", ".join(str(p) for p in PURITIES[Metal(metal)])
            said["purity"] = _(
                "%(metal)s is hallmarked at %(purities)s parts per thousand: choose one of these."
            ) % {"metal": names[metal], "purities": allowed}
        else:
            said["purity"] = _("Choose a purity.")
    if "weight_g" in invalid:
        said["weight_g"] = _(
            "Enter the weight in grams, more than 0 and at most %(max)s, with up to 3 "
            "decimals (for example %(example)s)."
        ) % {
            "max": format_decimal(MAX_WEIGHT_G, locale=locale),
            "example": sample["weight"],
        }
    if "making_kind" in invalid:
        said["making_kind"] = _("Choose a percentage or rupees a gram.")
    if "making_amount" in invalid:
        if values.get("making_kind") == PER_GRAM:
            said["making_amount"] = _(
                "Enter rupees a gram with up to 2 decimals (for example %(example)s)."
            ) % {"example": sample["rupees"]}
        else:
            said["making_amount"] = _(
                "Enter a percentage from 0 to %(max)s with up to 2 decimals (for example "
                "%(example)s)."
            ) % {
                "max": format_decimal(1000, locale=locale),
                "example": sample["percent"],
            }
    return said


def purity_groups(viewer: Viewer) -> list[tuple[str, str, list[tuple[int, str]]]]:
    """(metal, its name, [(purity, label)]) for the purity select's option groups."""
    names = metal_names(viewer)
    return [
        (
            metal.value,
            names[metal.value],
            [(p, f"{p} ({KARAT[p]})" if metal == Metal.GOLD else str(p)) for p in PURITIES[metal]],
        )
        for metal in Metal
    ]
