"""Vocabulary for the demo craft catalogue: product types, craft profiles and palettes.

The words live in ``data/craft_vocabulary.json`` (written for Haat); this module reads them
into typed objects for `haat.demo.catalog_content`. A *product type* fixes the subcategory,
the SKU code, the attribute family (`kind`) and the plausible size and weight of a kind of
product. A *craft profile* lists what a craft's workshops sell: (type, title noun, price range
in rupees). A cluster gets the first profile whose keywords occur in its craft text, else the
fallback of its category. Prices are indicative shop prices in INR, not market data; the
jewellery rates per gram are fixed indicative figures including making charges, not live metal
prices.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

DATA = Path(__file__).parent / "data" / "craft_vocabulary.json"


@dataclass(frozen=True)
class ProductType:
    """A kind of product. Sizes are in cm, weights in g.

    `sizes` are fixed "L x W" choices (textiles, paintings); `dims` are (lo, hi) ranges per axis
    (L, W, H) or, when `round`, (diameter, height).
    """

    code: str
    subcategory: str
    kind: str  # attribute family: saree, drape, fabric, apparel, home, object, toy, ...
    weight_g: tuple[int, int]
    sizes: tuple[str, ...] = ()
    dims: tuple[tuple[int, int], ...] = ()
    round: bool = False
    thread_count: tuple[int, int] | None = None
    age: str | None = None  # recommended age, toys only
    framed: bool = False  # paintings only


class Item(NamedTuple):
    """One sellable product of a craft: title noun and price range in whole rupees.

    In `noun`, `{fabric}` becomes the cluster's fibres (e.g. "cotton-silk") and `{material}` its
    first material.
    """

    type: str
    noun: str
    low: int
    high: int
    subject: str = ""  # what a painting or figurine shows


@dataclass(frozen=True)
class CraftProfile:
    keywords: tuple[str, ...]  # matched against the lower-cased craft text
    items: tuple[Item, ...]
    palette: str = ""  # key of PALETTES; empty: the category's default
    maker: str = ""  # who makes it ("weavers"); empty: the category's default
    rupees_per_gram: int = 0  # jewellery only: indicative price per gram incl. making


def _type(raw: dict[str, Any]) -> ProductType:
    return ProductType(
        code=raw["code"],
        subcategory=raw["subcategory"],
        kind=raw["kind"],
        weight_g=(raw["weight_g"][0], raw["weight_g"][1]),
        sizes=tuple(raw.get("sizes", ())),
        dims=tuple((lo, hi) for lo, hi in raw.get("dims", ())),
        round=raw.get("round", False),
        thread_count=tuple(raw["thread_count"]) if "thread_count" in raw else None,
        age=raw.get("age"),
        framed=raw.get("framed", False),
    )


def _profile(raw: dict[str, Any]) -> CraftProfile:
    return CraftProfile(
        keywords=tuple(raw["keywords"]),
        items=tuple(Item(*item) for item in raw["items"]),
        palette=raw.get("palette", ""),
        maker=raw.get("maker", ""),
        rupees_per_gram=raw.get("rupees_per_gram", 0),
    )


_RAW = json.loads(DATA.read_text(encoding="utf-8"))
TYPES: dict[str, ProductType] = {code: _type(raw) for code, raw in _RAW["types"].items()}
PROFILES: tuple[CraftProfile, ...] = tuple(_profile(raw) for raw in _RAW["profiles"])
# Used when no profile matches: by CSV category, then GENERIC for an unknown category.
GENERIC = _profile(_RAW["generic"])


def _fallback(raw: dict[str, Any]) -> CraftProfile:
    if raw.get("generic"):
        return GENERIC
    if "profile" in raw:  # one of PROFILES, named by its keywords
        return next(p for p in PROFILES if p.keywords == tuple(raw["profile"]))
    return _profile(raw)


FALLBACKS: dict[str, CraftProfile] = {k: _fallback(raw) for k, raw in _RAW["fallbacks"].items()}
# Who makes it and which colours, by category, when the profile does not say.
CATEGORY_MAKERS: dict[str, str] = _RAW["category_makers"]
CATEGORY_PALETTES: dict[str, str] = _RAW["category_palettes"]
PALETTES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _RAW["palettes"].items()}
# The title prefix when "craft minus trailing product words" would read badly.
TITLE_LABELS: dict[str, str] = _RAW["title_labels"]
# Trailing words of a craft name that name the products, not the craft ("Ilkal sarees").
TRAILING_PRODUCT_WORDS = frozenset(_RAW["trailing_product_words"])
# Materials that name a process rather than a substance, and how descriptions say them.
PROCESS_MATERIALS: dict[str, str] = _RAW["process_materials"]
# Plural product words in craft names, for "the Ilkal saree tradition".
SINGULAR: dict[str, str] = _RAW["singular"]
# Craft names whose first word is an ordinary word, lower-cased inside a sentence.
COMMON_FIRST_WORDS = frozenset(_RAW["common_first_words"])
# Words that name a fibre, in the form titles use ("cotton-silk saree").
FIBRES: tuple[str, ...] = tuple(_RAW["fibres"])
CARE: dict[str, str] = _RAW["care"]
REJECTION_REASONS: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in _RAW["rejection_reasons"].items()
}
