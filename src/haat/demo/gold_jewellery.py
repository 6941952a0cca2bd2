"""The demo jeweller's gold pieces, priced from the seeded gold rate (`haat.pricing`).

Each piece states what a hallmarked gold item's tag does: fineness (BIS grades 916 = 22K,
750 = 18K, 585 = 14K), gross weight to the milligram and the shop's making charge. No price is
written here: the price is the rate in force (the real monthly series seeded by
`haat.pricing.seed`) x weight x fineness, plus the making charge, as for any jewellery product.
"""

from __future__ import annotations

from dataclasses import dataclass

from haat.catalog.jewellery import JewellerySpec
from haat.catalog.models import Metal
from haat.demo.specs import ProductSpec
from haat.pricing.jewellery import price


@dataclass(frozen=True)
class GoldPiece:
    sku: str
    title: str
    subcategory: str
    purity: int
    weight_mg: int
    making_charge_bp: int | None
    making_charge_per_g_minor: int | None
    stock: int
    what: str


KARAT = {999: "24K", 916: "22K", 750: "18K", 585: "14K"}
PIECES = (
    GoldPiece(
        "GLD-KADA-01",
        "22K gold plain kada",
        "Bangles",
        916,
        24_350,
        1200,
        None,
        2,
        "a plain round kada for everyday wear, size 2.6",
    ),
    GoldPiece(
        "GLD-CHN-01",
        "22K gold rope chain, 20 inches",
        "Necklaces",
        916,
        10_250,
        1000,
        None,
        3,
        "a hollow-free rope chain with a lobster clasp",
    ),
    GoldPiece(
        "GLD-JHM-01",
        "22K gold jhumka earrings",
        "Earrings",
        916,
        8_400,
        1400,
        None,
        2,
        "a pair of bell-shaped jhumkas with screw backs",
    ),
    GoldPiece(
        "GLD-RNG-01",
        "18K gold ring mount for a solitaire",
        "Rings",
        750,
        3_600,
        None,
        95_000,
        4,
        "a six-prong ring mount, sold without the stone",
    ),
    GoldPiece(
        "GLD-HOOP-01",
        "14K gold hoop earrings",
        "Earrings",
        585,
        2_900,
        None,
        80_000,
        3,
        "a pair of small polished hoops",
    ),
)


def _making_text(piece: GoldPiece) -> str:
    if piece.making_charge_bp is not None:
        return f"a making charge of {piece.making_charge_bp / 100:g} % of the metal value"
    assert piece.making_charge_per_g_minor is not None
    return f"a making charge of ₹{piece.making_charge_per_g_minor // 100:,} a gram"


def gold_specs(rate_minor_per_g: int) -> list[ProductSpec]:
    """`PIECES` as approved INR products priced at ``rate_minor_per_g`` (paise per gram of
    fine gold), in order."""
    specs = []
    for piece in PIECES:
        karat = KARAT[piece.purity]
        breakdown = price(
            rate_minor_per_g,
            piece.weight_mg,
            piece.purity,
            making_charge_bp=piece.making_charge_bp,
            making_charge_per_g_minor=piece.making_charge_per_g_minor,
        )
        specs.append(
            ProductSpec(
                title=piece.title,
                description=(
                    f"{piece.what.capitalize()} in {karat} ({piece.purity}) gold, "
                    f"{piece.weight_mg / 1000:.3f} g gross weight, BIS hallmarked. Priced from "
                    f"the gold rate by weight and fineness, with {_making_text(piece)}, plus "
                    "3 % GST."
                ),
                category="Jewellery",
                subcategory=piece.subcategory,
                price_minor=breakdown.subtotal_minor,
                currency="INR",
                sku=piece.sku,
                stock_quantity=piece.stock,
                attributes={"metal": "gold", "karat": karat, "hallmark": "BIS"},
                status_hint="approved",
            )
        )
    return specs


def jewellery_spec(piece: GoldPiece) -> JewellerySpec:
    """What ``piece``'s tag states, as the catalogue stores it."""
    return JewellerySpec(
        metal=Metal.GOLD,
        purity=piece.purity,
        weight_mg=piece.weight_mg,
        making_charge_bp=piece.making_charge_bp,
        making_charge_per_g_minor=piece.making_charge_per_g_minor,
    )
