"""Content of the demo marketplace, as pure functions: craft clusters and their products
(loose diamonds are in `diamonds.py`).

No database and no HTTP: these functions read the data packaged in `haat/demo/data/` (sources
and licences in its README) and return plain frozen dataclasses that the demo loader turns into
businesses and products. Output is deterministic: the same call always gives the same result.
Money is integer minor units (`price_minor`) with an ISO 4217 `currency`.
"""

from __future__ import annotations

import csv
import io
import random
import re
from functools import cache
from importlib.resources import files

from haat.demo import craft_vocabulary as vocab
from haat.demo.specs import AttributeValue, ClusterRow, ProductSpec, status_for

_PURITY = {"gold": 916, "silver": 925, "platinum": 950}  # parts per thousand
_KARAT = {916: "22K", 750: "18K", 585: "14K"}

# ---------------------------------------------------------------- clusters


def load_clusters() -> list[ClusterRow]:
    """Read the 49 craft clusters packaged in `haat/demo/data/craft_clusters.csv`, in file order.

    `materials` is the `;`-separated column split into a list; `gi_tag` is True for "yes".
    """
    text = (files("haat.demo") / "data" / "craft_clusters.csv").read_text(encoding="utf-8")
    return [
        ClusterRow(
            name=row["cluster"],
            town=row["town"],
            state=row["state"],
            craft=row["craft"],
            category=row["category"],
            materials=[m.strip() for m in row["materials"].split(";") if m.strip()],
            gi_tag=row["gi_tag"].strip().lower() == "yes",
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


def cluster_code(name: str) -> str:
    """Three-letter SKU prefix of a cluster: "Channapatna" -> "CHN", "Srinagar Papier" -> "SPR".

    The first letter of the name, then two of the consonants after it (by default the first and
    the last; a multi-word name uses the second word's initial instead of the first). Packaged
    clusters that would clash take the next free pair, in file order, so their codes are unique.
    """
    packaged = _packaged_codes()
    return packaged[name] if name in packaged else _code_candidates(name)[0]


def _code_candidates(name: str) -> list[str]:
    words = [w for w in (re.sub(r"[^A-Z]", "", w.upper()) for w in name.split()) if w] or ["X"]
    rest = [c for c in "".join(words)[1:] if c not in "AEIOU"] or ["X"]
    first = words[0][0]
    pairs = [(rest[0], rest[-1])] if len(words) == 1 else [(words[1][0], rest[-1])]
    pairs += [(a, b) for i, a in enumerate(rest) for b in rest[i + 1 :]]
    pairs += [(rest[0], "X")]
    return list(dict.fromkeys(first + a + b for a, b in pairs))


@cache
def _packaged_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for cluster in load_clusters():
        used = set(codes.values())
        codes[cluster.name] = next(c for c in _code_candidates(cluster.name) if c not in used)
    return codes


# ---------------------------------------------------------------- craft products


def craft_products(cluster: ClusterRow) -> list[ProductSpec]:
    """Six to eight products of a craft cluster, written from its craft, materials and GI fact.

    Prices are INR paise, rounded as shops do (e.g. 49900 = Rs 499, 240000 = Rs 2,400). SKUs are
    `<cluster code>-<type code>-<nnn>`, unique within the cluster. The category is the CSV
    category; the subcategory is the product type ("Sarees", "Vases"). Deterministic: seeded by
    the cluster name.
    """
    rng = random.Random(cluster.name)
    profile = _profile_for(cluster)
    label = _title_label(cluster)
    fabric = _fabric(cluster.materials, label)
    materials_text = " ".join(cluster.materials).lower()
    items = [
        item
        for item in profile.items
        if "zari" not in item.noun or "zari" in materials_text or "zari" in label.lower()
    ]
    count = min(rng.randint(6, 8), len(items))
    chosen = rng.sample(items, count)
    palette = vocab.PALETTES[
        profile.palette or vocab.CATEGORY_PALETTES.get(cluster.category, "earth")
    ]
    code = cluster_code(cluster.name)
    products: list[ProductSpec] = []
    for index, item in enumerate(chosen, start=1):
        ptype = vocab.TYPES[item.type]
        noun = _clean(item.noun.format(fabric=fabric, material=cluster.materials[0]))
        colour = rng.choice(palette)
        attributes = _base_attributes(cluster)
        rupees = _fill_type_attributes(attributes, ptype, item, profile, cluster, colour, rng)
        title = f"{label} {noun}"
        if len(palette) > 1 and ptype.kind != "painting":
            title += f", {colour}"
        sku = f"{code}-{ptype.code}-{index:03d}"
        status, reason = status_for(sku, _reason_pool(cluster.category, ptype.kind))
        products.append(
            ProductSpec(
                title=title,
                description=_description(cluster, profile, ptype, attributes, rng),
                category=cluster.category,
                subcategory=ptype.subcategory,
                price_minor=_shop_rupees(rupees, rng) * 100,
                currency="INR",
                sku=sku,
                stock_quantity=_stock(rupees, rng),
                attributes=attributes,
                status_hint=status,
                rejection_reason=reason,
            )
        )
    return products


def _profile_for(cluster: ClusterRow) -> vocab.CraftProfile:
    craft = cluster.craft.lower()
    for profile in vocab.PROFILES:
        # A keyword must start a word: "naga" matches "Naga shawls", not "Karimnagar".
        if any(re.search(rf"\b{re.escape(keyword)}", craft) for keyword in profile.keywords):
            return profile
    return vocab.FALLBACKS.get(cluster.category, vocab.GENERIC)


def _title_label(cluster: ClusterRow) -> str:
    """The words a title starts with: the craft without trailing product words."""
    if cluster.name in vocab.TITLE_LABELS:
        return vocab.TITLE_LABELS[cluster.name]
    words = cluster.craft.split()
    while len(words) > 1 and words[-1].lower() in vocab.TRAILING_PRODUCT_WORDS:
        words.pop()
    return " ".join(words)


def _fabric(materials: list[str], label: str) -> str:
    """Fibres of the cloth in title form ("cotton-silk"), leaving out any the label names."""
    fibres: list[str] = []
    for material in materials:
        if "thread" in material or "floss" in material:
            continue  # embroidery thread, not the cloth
        for fibre in vocab.FIBRES:
            if fibre in material.split() and fibre not in fibres:
                fibres.append(fibre)
    if any(fibre in label.lower() for fibre in fibres):
        return ""
    return "-".join(fibres)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _base_attributes(cluster: ClusterRow) -> dict[str, AttributeValue]:
    return {
        "material": ", ".join(cluster.materials),
        "technique": cluster.craft,
        "origin_cluster": cluster.name,
        "origin_state": cluster.state,
        "gi_tag": cluster.gi_tag,
    }


def _fill_type_attributes(
    attrs: dict[str, AttributeValue],
    ptype: vocab.ProductType,
    item: vocab.Item,
    profile: vocab.CraftProfile,
    cluster: ClusterRow,
    colour: str,
    rng: random.Random,
) -> float:
    """Add the product-type attributes to `attrs`; return the unrounded price in rupees."""
    kind = ptype.kind
    if kind == "jewellery":
        return _fill_jewellery(attrs, ptype, profile, cluster, colour, rng)
    if kind == "saree":
        length = rng.choice((5.5, 6.0, 6.3))
        attrs.update(length_m=length, width_cm=rng.randint(112, 120), blouse_piece=length > 6)
    elif kind == "fabric":
        length_cm, width_cm = (int(v) for v in rng.choice(ptype.sizes).split(" x "))
        attrs.update(length_m=length_cm / 100, width_cm=width_cm)
    elif kind == "apparel":
        attrs["size"] = (
            "free size" if ptype.subcategory == "Caps" else rng.choice(("S", "M", "L", "XL"))
        )
    elif kind == "footwear":
        attrs["size_uk"] = rng.randint(2, 5) if "children" in item.noun else rng.randint(4, 11)
    elif kind == "bangles":
        attrs["bangle_size"] = rng.choice(("2.4", "2.6", "2.8"))
    elif kind == "painting":
        attrs.update(medium=", ".join(cluster.materials), framed=ptype.framed)
    _fill_dimensions(attrs, ptype, rng)
    if kind != "painting":
        attrs["colour"] = colour
    if ptype.thread_count:
        attrs["thread_count"] = rng.randrange(ptype.thread_count[0], ptype.thread_count[1] + 1, 4)
    if ptype.age:
        attrs["recommended_age"] = ptype.age
    if item.subject:
        attrs["subject"] = item.subject
    attrs["weight_g"] = rng.randint(*ptype.weight_g)
    return rng.uniform(item.low, item.high)


def _fill_dimensions(
    attrs: dict[str, AttributeValue], ptype: vocab.ProductType, rng: random.Random
) -> None:
    if ptype.kind in ("saree", "fabric", "apparel", "footwear", "bangles"):
        return
    if ptype.sizes:
        attrs["dimensions_cm"] = rng.choice(ptype.sizes)
    elif ptype.round:
        (d_lo, d_hi), (h_lo, h_hi) = ptype.dims
        attrs.update(diameter_cm=rng.randint(d_lo, d_hi), height_cm=rng.randint(h_lo, h_hi))
    elif ptype.dims:
        attrs["dimensions_cm"] = " x ".join(str(rng.randint(lo, hi)) for lo, hi in ptype.dims)


def _fill_jewellery(
    attrs: dict[str, AttributeValue],
    ptype: vocab.ProductType,
    profile: vocab.CraftProfile,
    cluster: ClusterRow,
    colour: str,
    rng: random.Random,
) -> float:
    metal = next((m for m in cluster.materials if m in _PURITY), "silver")
    weight = round(rng.uniform(*ptype.weight_g), 1)
    attrs.update(metal=metal, purity=_PURITY[metal], weight_g=weight, colour=colour)
    for material in cluster.materials:
        if material.endswith(" plating"):
            attrs["plating"] = material.removesuffix(" plating")
        elif "stone" in material:
            attrs["stones"] = material
    if ptype.subcategory == "Bangles":
        attrs["bangle_size"] = rng.choice(("2.4", "2.6", "2.8"))
    rate = profile.rupees_per_gram or vocab.FALLBACKS["Jewellery"].rupees_per_gram
    return weight * rate * rng.uniform(0.95, 1.1)


def _description(
    cluster: ClusterRow,
    profile: vocab.CraftProfile,
    ptype: vocab.ProductType,
    attrs: dict[str, AttributeValue],
    rng: random.Random,
) -> str:
    """Two to four sentences: who made it where, materials and size, GI fact, care."""
    maker = profile.maker or vocab.CATEGORY_MAKERS.get(cluster.category, "artisans")
    tradition = _tradition(cluster)
    place = f"{cluster.town}, {cluster.state}"
    intro = rng.choice(
        (
            f"Handmade by {maker} in {place}, in {tradition}.",
            f"It comes from {cluster.town} in {cluster.state}, where {maker} work in {tradition}.",
            f"{maker.capitalize()} in {place}, made this by hand in {tradition}.",
        )
    )
    sentences = [
        intro,
        f"Made from {_materials_phrase(cluster.materials)}; {_detail(ptype, attrs)}.",
    ]
    if cluster.gi_tag:
        craft = _craft_singular(cluster)
        sentences.append(
            rng.choice(
                (
                    f"The {craft} craft is GI-tagged, registered as a Geographical Indication "
                    "of its home region; this tells you where the craft comes from and is not "
                    "a certificate for this piece.",
                    f"The {craft} craft is GI-tagged: its name is a registered Geographical "
                    "Indication for its region of origin, an indicative fact about the craft "
                    "rather than a certification of this item.",
                )
            )
        )
    if not cluster.gi_tag or rng.random() < 0.5:
        sentences.append(vocab.CARE[ptype.kind])
    return " ".join(sentences)


def _craft_singular(cluster: ClusterRow) -> str:
    """The craft as a singular noun phrase: "Ilkal sarees" -> "Ilkal saree"."""
    words = [vocab.SINGULAR.get(w, w) for w in cluster.craft.split()]
    if words[0].lower() in vocab.COMMON_FIRST_WORDS:
        words[0] = words[0].lower()
    return " ".join(words)


def _tradition(cluster: ClusterRow) -> str:
    """ "the Ilkal saree tradition", "the temple jewellery tradition of Nagercoil"."""
    craft = _craft_singular(cluster)
    named = cluster.town.lower() in craft.lower() or cluster.name.lower() in craft.lower()
    return f"the {craft} tradition" + ("" if named else f" of {cluster.town}")


def _materials_phrase(materials: list[str]) -> str:
    substances = [m for m in materials if m not in vocab.PROCESS_MATERIALS]
    processes = [vocab.PROCESS_MATERIALS[m] for m in materials if m in vocab.PROCESS_MATERIALS]
    phrase = _join_and(substances or materials)
    return ", ".join([phrase, *processes]) if substances else phrase


def _join_and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _detail(ptype: vocab.ProductType, attrs: dict[str, AttributeValue]) -> str:
    kind = ptype.kind
    if kind == "saree":
        blouse = ", with an unstitched blouse piece" if attrs["blouse_piece"] else ""
        return f"the saree is {attrs['length_m']} m long and {attrs['width_cm']} cm wide{blouse}"
    if kind == "fabric":
        return f"the piece is {attrs['length_m']} m long and {attrs['width_cm']} cm wide"
    if kind == "jewellery":
        purity = int(attrs["purity"])
        karat = f" ({_KARAT[purity]})" if purity in _KARAT else ""
        return f"it weighs {attrs['weight_g']} g, in {attrs['metal']} of {purity}{karat} purity"
    if kind == "apparel":
        return (
            f"this one is {attrs['size']}"
            if attrs["size"] == "free size"
            else (f"this one is size {attrs['size']}")
        )
    if kind == "footwear":
        return f"this pair is UK size {attrs['size_uk']} and weighs about {attrs['weight_g']} g"
    if kind == "bangles":
        return f"the bangles are size {attrs['bangle_size']}"
    if kind == "painting":
        framed = "framed " if attrs["framed"] else ""
        return f"the {framed}work measures {attrs['dimensions_cm']} cm"
    if "diameter_cm" in attrs:
        size = f"about {attrs['diameter_cm']} cm across and {attrs['height_cm']} cm high"
    else:
        size = f"about {attrs['dimensions_cm']} cm"
    return f"it measures {size} and weighs about {attrs['weight_g']} g"


def _shop_rupees(rupees: float, rng: random.Random) -> int:
    """Round a price as shops do: Rs 499, Rs 2,400 or Rs 2,399, Rs 38,500, Rs 1,25,000."""
    if rupees < 1000:
        return max(99, round(rupees / 100) * 100 - 1)
    if rupees < 20000:
        hundreds = round(rupees / 100) * 100
        return hundreds - 1 if rng.random() < 0.5 else hundreds
    step = 500 if rupees < 100000 else 1000
    return round(rupees / step) * step


def _stock(rupees: float, rng: random.Random) -> int:
    """Units in stock: 0 for about 1 in 12 products, fewer of the costly pieces."""
    if rng.random() < 0.08:
        return 0
    ceiling = 60 if rupees < 2000 else 25 if rupees < 10000 else 8 if rupees < 50000 else 3
    return rng.randint(1, ceiling)


def _reason_pool(category: str, kind: str) -> tuple[str, ...]:
    extra: tuple[str, ...] = ()
    if category == "Textiles" and kind in ("saree", "drape", "fabric", "home"):
        extra = vocab.REJECTION_REASONS["textile"]
    elif kind == "jewellery":
        extra = vocab.REJECTION_REASONS["jewellery"]
    return vocab.REJECTION_REASONS["any"] + extra
