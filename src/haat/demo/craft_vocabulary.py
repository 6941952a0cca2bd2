"""Vocabulary for the demo craft catalogue: product types, craft profiles and palettes.

Pure data, read by `haat.demo.catalog_content`. A *product type* fixes the subcategory, the SKU
code, the attribute family (`kind`) and the plausible size and weight of a kind of product. A
*craft profile* lists what a craft's workshops sell: (type, title noun, price range in rupees).
A cluster gets the first profile whose keywords occur in its craft text, else the fallback of
its category. Prices are indicative shop prices in INR, not market data; the jewellery rates
per gram are fixed indicative figures including making charges, not live metal prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


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


T = ProductType
_DRAPE = "drape"
_OBJ = "object"
_PAPER_SIZES = ("28 x 38", "38 x 56", "56 x 76", "30 x 45")
_FRAMED_SIZES = ("30 x 38", "38 x 46", "46 x 61", "61 x 76")

TYPES: dict[str, ProductType] = {
    # textiles
    "saree": T("SAR", "Sarees", "saree", (450, 900)),
    "mekhela": T("MKC", "Mekhela chadors", _DRAPE, (500, 900), sizes=("260 x 115", "275 x 120")),
    "dupatta": T("DUP", "Dupattas", _DRAPE, (120, 350), sizes=("225 x 100", "250 x 110")),
    "stole": T("STL", "Stoles", _DRAPE, (90, 250), sizes=("180 x 65", "200 x 70")),
    "shawl": T("SHL", "Shawls", _DRAPE, (250, 700), sizes=("200 x 100", "230 x 110")),
    "muffler": T("MUF", "Mufflers", _DRAPE, (80, 200), sizes=("160 x 30", "180 x 35")),
    "safa": T("SAF", "Turbans", _DRAPE, (250, 450), sizes=("900 x 100",)),
    "hanky": T("HKF", "Pocket squares", _DRAPE, (10, 25), sizes=("30 x 30", "35 x 35")),
    "skirt": T("SKR", "Wrap skirts", _DRAPE, (250, 450), sizes=("100 x 85", "110 x 95")),
    "kurta": T("KUR", "Kurtas", "apparel", (180, 400)),
    "cap": T("CAP", "Caps", "apparel", (60, 120)),
    "fabric": T("FAB", "Fabrics", "fabric", (250, 500), sizes=("250 x 110", "250 x 115")),
    "blouse": T("BLP", "Blouse pieces", "fabric", (60, 150), sizes=("100 x 110", "80 x 110")),
    "bedsheet": T(
        "BED", "Bedsheets", "home", (700, 1500), ("228 x 254", "274 x 274"), thread_count=(144, 220)
    ),
    "quilt": T(
        "QLT", "Quilts", "home", (900, 1800), ("152 x 228", "228 x 254"), thread_count=(120, 180)
    ),
    "cushion": T("CUS", "Cushion covers", "home", (150, 400), ("40 x 40", "45 x 45", "60 x 60")),
    "table_linen": T(
        "TBL",
        "Table linen",
        "home",
        (150, 900),
        ("150 x 35", "180 x 35", "150 x 228"),
        thread_count=(120, 180),
    ),
    "wall_hanging": T(
        "WHG", "Wall hangings", "home", (200, 900), ("100 x 30", "90 x 60", "120 x 45")
    ),
    "throw": T("THR", "Throws and blankets", "home", (700, 1600), ("130 x 180", "150 x 230")),
    # objects
    "bag": T("BAG", "Bags", _OBJ, (200, 900), dims=((25, 42), (20, 35), (6, 14))),
    "clutch": T("BAG", "Bags", _OBJ, (120, 300), dims=((20, 26), (10, 14), (3, 6))),
    "wallet": T("WAL", "Wallets and pouches", _OBJ, (40, 150), dims=((10, 20), (8, 14), (1, 3))),
    "vase": T("VAS", "Vases", _OBJ, (400, 1500), dims=((10, 18), (10, 18), (18, 35))),
    "plate": T("PLT", "Decorative plates", _OBJ, (300, 1200), dims=((20, 35), (2, 4)), round=True),
    "tableware": T("TBW", "Tableware", _OBJ, (800, 2500), dims=((25, 35), (20, 30), (8, 15))),
    "bowl": T("BWL", "Bowls", _OBJ, (200, 900), dims=((12, 25), (6, 12)), round=True),
    "tile": T("TIL", "Tiles", _OBJ, (200, 450), sizes=("10 x 10", "15 x 15", "20 x 20")),
    "knobs": T("KNB", "Knobs and handles", _OBJ, (150, 350), dims=((3, 5), (3, 5), (3, 5))),
    "coasters": T("CST", "Coasters", _OBJ, (150, 600), sizes=("9 x 9", "10 x 10")),
    "mug": T("MUG", "Mugs and cups", _OBJ, (500, 900), dims=((8, 10), (8, 10), (9, 12))),
    "jar": T("JAR", "Jars", _OBJ, (600, 1500), dims=((10, 16), (14, 25)), round=True),
    "planter": T("PLN", "Planters", _OBJ, (600, 3500), dims=((12, 30), (12, 30)), round=True),
    "lamp": T("LMP", "Lamps and diyas", _OBJ, (600, 2500), dims=((12, 25), (12, 25), (20, 45))),
    "small_lamp": T("LMP", "Lamps and diyas", _OBJ, (100, 600), dims=((6, 12), (6, 12), (4, 10))),
    "figurine": T("FIG", "Figurines", _OBJ, (300, 2500), dims=((10, 30), (5, 15), (10, 35))),
    "wall_decor": T("WDC", "Wall decor", _OBJ, (600, 3000), dims=((25, 60), (20, 45), (2, 5))),
    "box": T("BOX", "Boxes", _OBJ, (150, 1200), dims=((8, 25), (6, 18), (5, 10))),
    "tray": T("TRY", "Trays", _OBJ, (400, 1500), dims=((25, 45), (18, 30), (3, 6))),
    "puja": T("PUJ", "Puja items", _OBJ, (600, 1500), dims=((20, 30), (3, 8)), round=True),
    "drinkware": T("DRK", "Drinkware", _OBJ, (250, 900), dims=((7, 9), (7, 9), (10, 26))),
    "candle": T("CND", "Candle stands", _OBJ, (400, 2000), dims=((8, 15), (8, 15), (15, 40))),
    "desk": T("DSK", "Desk accessories", _OBJ, (150, 600), dims=((7, 12), (7, 12), (9, 14))),
    "frame": T("FRM", "Frames", _OBJ, (400, 3500), dims=((20, 60), (15, 45), (2, 5))),
    "mirror": T("MIR", "Mirrors", _OBJ, (100, 1200), dims=((5, 25), (5, 30), (1, 4))),
    "ornament": T("ORN", "Ornaments", _OBJ, (60, 300), dims=((6, 10), (6, 10), (6, 10))),
    "accessory": T("ACC", "Accessories", _OBJ, (10, 40), dims=((1, 3), (1, 3), (1, 2))),
    "glass_bangles": T("BNG", "Bangles", "bangles", (60, 250)),
    "furniture": T("FUR", "Furniture", _OBJ, (6000, 25000), dims=((40, 120), (40, 80), (40, 110))),
    "table_top": T("FUR", "Furniture", _OBJ, (15000, 25000), dims=((60, 60), (2, 3)), round=True),
    "swing": T("SWG", "Furniture", _OBJ, (25000, 45000), dims=((120, 180), (50, 70), (180, 220))),
    "basket": T("BSK", "Baskets", _OBJ, (150, 700), dims=((15, 35), (10, 30)), round=True),
    "game": T("GAM", "Games", _OBJ, (1000, 4000), dims=((30, 45), (30, 45), (2, 8))),
    "stationery": T("STN", "Stationery", _OBJ, (50, 400), dims=((15, 22), (10, 15), (1, 3))),
    "footwear": T("CHP", "Footwear", "footwear", (450, 900)),
    # toys
    "toy_small": T("TOY", "Toys", "toy", (40, 150), dims=((4, 8), (4, 8), (5, 9)), age="3+ years"),
    "toy_baby": T(
        "TOY", "Toys", "toy", (60, 150), dims=((10, 15), (4, 6), (4, 6)), age="6+ months"
    ),
    "toy": T("TOY", "Toys", "toy", (150, 600), dims=((12, 25), (8, 15), (10, 20)), age="3+ years"),
    "toy_set": T(
        "TOY", "Toy sets", "toy", (600, 2000), dims=((25, 45), (15, 30), (8, 15)), age="3+ years"
    ),
    "doll": T("FIG", "Wooden figurines", _OBJ, (100, 1200), dims=((6, 30), (5, 25), (8, 25))),
    # paintings
    "painting": T("PNT", "Paintings", "painting", (100, 400), sizes=_PAPER_SIZES),
    "framed_painting": T(
        "PNT", "Paintings", "painting", (2000, 9000), sizes=_FRAMED_SIZES, framed=True
    ),
    "scroll": T("SCR", "Scroll paintings", "painting", (200, 600), sizes=("150 x 30", "180 x 45")),
    "wood_painting": T("PNT", "Paintings", "painting", (800, 2500), sizes=("30 x 45", "45 x 60")),
    # jewellery (weights of the metal piece)
    "necklace": T("NCK", "Necklaces", "jewellery", (30, 80)),
    "long_necklace": T("NCK", "Necklaces", "jewellery", (80, 160)),
    "earrings": T("EAR", "Earrings", "jewellery", (6, 16)),
    "jhumkas": T("EAR", "Earrings", "jewellery", (12, 28)),
    "pendant": T("PND", "Pendants", "jewellery", (5, 14)),
    "bangle": T("BNG", "Bangles", "jewellery", (18, 45)),
    "bangle_pair": T("BNG", "Bangles", "jewellery", (35, 70)),
    "bracelet": T("BRC", "Bracelets", "jewellery", (12, 35)),
    "ring": T("RNG", "Rings", "jewellery", (3, 9)),
    "brooch": T("BRH", "Brooches", "jewellery", (6, 16)),
    "cufflinks": T("CUF", "Cufflinks", "jewellery", (8, 16)),
    "anklets": T("ANK", "Anklets", "jewellery", (40, 90)),
    "tikka": T("TIK", "Maang tikkas", "jewellery", (8, 16)),
    "waist_belt": T("WBL", "Waist belts", "jewellery", (150, 260)),
    "hair": T("HAI", "Hair ornaments", "jewellery", (12, 30)),
}

It = Item
P = CraftProfile

# Specific crafts first: the first profile whose keyword occurs in the craft text wins.
PROFILES: tuple[CraftProfile, ...] = (
    # ---- textiles
    P(
        ("patola",),
        palette="silk",
        items=(
            It("saree", "double ikat {fabric} saree, paan bhat pattern", 95000, 220000),
            It("saree", "double ikat {fabric} saree, chhabadi bhat pattern", 110000, 250000),
            It("saree", "double ikat {fabric} saree, narikunjar motif", 120000, 260000),
            It("saree", "double ikat {fabric} saree, ratanchowk pattern", 100000, 230000),
            It("dupatta", "double ikat {fabric} dupatta", 35000, 70000),
            It("stole", "double ikat {fabric} stole", 15000, 30000),
            It("hanky", "double ikat {fabric} pocket square", 2500, 4500),
            It("wall_hanging", "double ikat {fabric} wall panel", 18000, 40000),
        ),
    ),
    P(
        ("kanchipuram",),
        palette="silk",
        items=(
            It("saree", "saree with contrast korvai border", 18000, 60000),
            It("saree", "saree with temple border and zari pallu", 15000, 55000),
            It("saree", "saree with checked kattam body", 12000, 35000),
            It("saree", "saree with mayilchakram (peacock) buttas", 20000, 65000),
            It("saree", "bridal saree with heavy zari work", 45000, 150000),
            It("dupatta", "dupatta with zari border", 5000, 14000),
            It("blouse", "blouse piece with zari border", 1500, 4000),
            It("stole", "stole with woven buttas", 3000, 7000),
        ),
    ),
    P(
        ("paithani",),
        palette="silk",
        items=(
            It("saree", "{fabric} saree with peacock (mor) pallu", 18000, 90000),
            It("saree", "{fabric} saree with lotus border", 16000, 70000),
            It("saree", "{fabric} saree with parrot (tota-maina) pallu", 20000, 85000),
            It("saree", "{fabric} saree with asawali flower-vine border", 22000, 80000),
            It("dupatta", "{fabric} dupatta with peacock motifs", 6000, 20000),
            It("stole", "{fabric} stole with zari border", 3500, 9000),
            It("blouse", "{fabric} blouse piece with zari border", 1500, 3500),
            It("clutch", "{fabric} clutch bag with peacock motif", 900, 2500),
        ),
    ),
    P(
        ("brocade", "banarasi"),
        palette="silk",
        items=(
            It("saree", "katan {fabric} saree with kadhua buttis", 9000, 45000),
            It("saree", "brocade {fabric} saree with jangla pattern", 12000, 55000),
            It("saree", "tanchoi {fabric} saree", 8000, 30000),
            It("saree", "brocade {fabric} saree with zari border", 7000, 35000),
            It("dupatta", "brocade {fabric} dupatta", 3000, 12000),
            It("fabric", "brocade {fabric} kurta fabric, 2.5 m", 2500, 8000),
            It("stole", "brocade {fabric} stole", 2000, 6000),
            It("cushion", "brocade cushion covers, set of 2", 1200, 3500),
        ),
    ),
    P(
        ("muga",),
        palette="muga",
        items=(
            It("mekhela", "mekhela chador with woven border", 18000, 60000),
            It("mekhela", "mekhela chador with jaapi motifs", 22000, 65000),
            It("mekhela", "mekhela chador, plain weave", 15000, 40000),
            It("saree", "saree with woven red border", 20000, 65000),
            It("saree", "saree with floral buttas", 22000, 70000),
            It("stole", "stole", 4000, 12000),
            It("dupatta", "dupatta with woven border", 6000, 16000),
            It("fabric", "shirt fabric, 2.5 m", 5000, 10000),
        ),
    ),
    P(
        ("pashmina",),
        palette="natural_wool",
        maker="spinners and weavers",
        items=(
            It("shawl", "hand-spun shawl, plain weave", 15000, 40000),
            It("shawl", "shawl with sozni embroidery", 35000, 120000),
            It("shawl", "shawl with hand-embroidered border", 22000, 60000),
            It("shawl", "reversible men's shawl", 18000, 45000),
            It("stole", "stole", 9000, 22000),
            It("stole", "stole with paisley embroidery", 14000, 35000),
            It("muffler", "muffler", 4500, 10000),
            It("stole", "reversible stole", 10000, 25000),
        ),
    ),
    P(
        ("kullu",),
        palette="wool",
        items=(
            It("shawl", "{fabric} shawl with geometric border", 2500, 7000),
            It("shawl", "angora shawl with woven border", 4500, 9000),
            It("shawl", "ladies' {fabric} shawl with all-over pattern", 3500, 8500),
            It("shawl", "{fabric} pattu wrap", 3000, 8000),
            It("stole", "{fabric} stole", 1200, 3000),
            It("muffler", "{fabric} muffler", 600, 1500),
            It("cap", "topi (woollen cap) with patterned band", 450, 900),
            It("throw", "{fabric} throw blanket", 3500, 8000),
        ),
    ),
    P(
        ("naga",),
        palette="naga",
        items=(
            It("shawl", "handwoven shawl with bold stripes", 2000, 6000),
            It("shawl", "loin-loom shawl", 2500, 7000),
            It("stole", "handwoven stole", 900, 2500),
            It("table_linen", "loin-loom table runner", 700, 1800),
            It("cushion", "handwoven cushion covers, set of 2", 700, 1600),
            It("bag", "handwoven shoulder bag", 800, 2200),
            It("skirt", "loin-loom wrap skirt", 1500, 4000),
            It("muffler", "handwoven muffler", 500, 1200),
        ),
    ),
    P(
        ("ikat",),
        items=(
            It("saree", "{fabric} saree with diamond pattern", 5000, 18000),
            It("saree", "{fabric} saree with chevron border", 4500, 15000),
            It("saree", "{fabric} saree with woven checks", 4500, 14000),
            It("dupatta", "{fabric} dupatta", 1500, 4500),
            It("bedsheet", "cotton double bedsheet", 2200, 5500),
            It("cushion", "cotton cushion covers, set of 2", 700, 1500),
            It("fabric", "unstitched {fabric} kurta fabric, 2.5 m", 1200, 3200),
            It("stole", "{fabric} stole", 900, 2500),
        ),
    ),
    P(
        ("doria",),
        items=(
            It("saree", "{fabric} saree with zari border", 2500, 9000),
            It("saree", "{fabric} saree with block-printed motifs", 1800, 5000),
            It("saree", "{fabric} saree with woven checks", 1800, 5500),
            It("saree", "plain {fabric} saree with contrast pallu", 1500, 4500),
            It("dupatta", "{fabric} dupatta", 900, 2800),
            It("dupatta", "{fabric} dupatta with gota border", 1500, 3500),
            It("stole", "{fabric} stole", 700, 1800),
            It("fabric", "unstitched {fabric} suit fabric, 2.5 m", 1200, 2800),
        ),
    ),
    P(
        ("bandhani", "tie-dye"),
        maker="tie-dyers",
        items=(
            It("saree", "silk saree", 4000, 15000),
            It("saree", "cotton saree", 1800, 5000),
            It("dupatta", "silk dupatta", 1500, 4500),
            It("dupatta", "cotton dupatta", 700, 1800),
            It("dupatta", "silk odhni", 2500, 6000),
            It("safa", "cotton safa (turban), 9 m", 600, 1500),
            It("stole", "cotton stole", 500, 1200),
            It("fabric", "cotton kurta fabric, 2.5 m", 900, 2000),
        ),
    ),
    P(
        ("block print",),
        palette="natural_dye",
        maker="block printers",
        items=(
            It(
                "bedsheet",
                "hand block printed cotton double bedsheet with 2 pillow covers",
                1800,
                4200,
            ),
            It("bedsheet", "hand block printed cotton king-size bedsheet", 2200, 5000),
            It("quilt", "hand block printed cotton quilt (razai)", 3200, 7500),
            It("cushion", "hand block printed cotton cushion covers, set of 2", 500, 1200),
            It("table_linen", "hand block printed cotton table cover", 900, 2200),
            It("dupatta", "hand block printed cotton dupatta", 700, 1600),
            It("fabric", "hand block printed unstitched cotton kurta fabric, 2.5 m", 700, 1800),
            It("kurta", "hand block printed cotton kurta", 900, 2200),
            It("stole", "hand block printed cotton stole", 500, 1200),
        ),
    ),
    P(
        ("chikankari",),
        palette="chikan",
        maker="embroiderers",
        items=(
            It("kurta", "hand-embroidered cotton kurta", 1800, 4500),
            It("kurta", "hand-embroidered muslin kurta", 2500, 6500),
            It("kurta", "hand-embroidered cotton kurta with shadow work", 2200, 5500),
            It("kurta", "hand-embroidered men's cotton kurta", 2000, 5000),
            It("saree", "hand-embroidered muslin saree", 5500, 18000),
            It("dupatta", "hand-embroidered cotton dupatta", 1200, 3500),
            It("cushion", "hand-embroidered cushion covers, set of 2", 900, 2200),
            It("stole", "hand-embroidered muslin stole", 1200, 3000),
        ),
    ),
    P(
        ("phulkari",),
        maker="embroiderers",
        items=(
            It("dupatta", "hand-embroidered dupatta", 2200, 8000),
            It("dupatta", "bagh dupatta, fully embroidered", 6000, 18000),
            It("kurta", "hand-embroidered cotton kurta", 1800, 4500),
            It("stole", "hand-embroidered stole", 1200, 3000),
            It("cushion", "embroidered cushion covers, set of 2", 900, 2200),
            It("shawl", "hand-embroidered shawl", 3500, 9000),
            It("wall_hanging", "embroidered wall hanging", 1500, 4000),
            It("bag", "embroidered tote bag", 900, 2000),
        ),
    ),
    P(
        ("kutch",),
        maker="embroiderers",
        items=(
            It("cushion", "mirror-work cushion covers, set of 2", 900, 2200),
            It("wall_hanging", "embroidered toran (door hanging)", 900, 2500),
            It("wall_hanging", "mirror-work wall hanging", 2000, 6000),
            It("bag", "embroidered shoulder bag", 900, 2500),
            It("dupatta", "embroidered dupatta", 2000, 6500),
            It("stole", "mirror-work stole", 1200, 3000),
            It("kurta", "embroidered cotton kurta", 2200, 5000),
            It("table_linen", "embroidered table runner", 900, 2200),
        ),
    ),
    P(
        ("embroider",),
        maker="embroiderers",
        items=(
            It("kurta", "embroidered {fabric} kurta", 1500, 4500),
            It("dupatta", "embroidered {fabric} dupatta", 1200, 4000),
            It("stole", "embroidered {fabric} stole", 900, 2500),
            It("cushion", "embroidered cushion covers, set of 2", 700, 1800),
            It("wall_hanging", "embroidered wall hanging", 1200, 3500),
            It("bag", "embroidered tote bag", 800, 2000),
            It("table_linen", "embroidered table runner", 800, 2000),
        ),
    ),
    P(
        ("saree", "sari"),
        items=(
            It("saree", "{fabric} saree with contrast border", 2500, 9000),
            It("saree", "{fabric} saree with zari border", 3500, 12000),
            It("saree", "{fabric} saree with woven buttis", 3000, 10000),
            It("saree", "checked {fabric} saree", 2000, 7000),
            It("saree", "{fabric} saree with striped pallu", 2500, 8000),
            It("saree", "{fabric} saree with temple border", 2800, 9000),
            It("dupatta", "{fabric} dupatta", 1200, 3500),
            It("stole", "{fabric} stole", 900, 2200),
            It("blouse", "unstitched {fabric} blouse piece", 450, 1200),
        ),
    ),
    P(
        ("shawl", "stole"),
        palette="wool",
        items=(
            It("shawl", "{fabric} shawl with woven border", 2000, 6000),
            It("shawl", "{fabric} shawl with all-over pattern", 2500, 7000),
            It("stole", "{fabric} stole", 900, 2500),
            It("stole", "striped {fabric} stole", 900, 2500),
            It("muffler", "{fabric} muffler", 500, 1300),
            It("throw", "{fabric} throw blanket", 2500, 6500),
            It("cushion", "{fabric} cushion covers, set of 2", 700, 1600),
        ),
    ),
    # ---- pottery
    P(
        ("blue pottery",),
        palette="blue_pottery",
        maker="potters",
        items=(
            It("vase", "vase with floral pattern", 1200, 3500),
            It("plate", "decorative wall plate", 900, 2800),
            It("tile", "hand-painted tile", 250, 600),
            It("knobs", "drawer knobs, set of 6", 450, 1100),
            It("coasters", "coasters, set of 4", 600, 1400),
            It("bowl", "serving bowl", 700, 1800),
            It("planter", "flower pot", 800, 2200),
            It("small_lamp", "tea light holder", 300, 800),
        ),
    ),
    P(
        ("terracotta",),
        palette="terracotta",
        maker="potters",
        items=(
            It("figurine", "horse figurine", 900, 2600, "horse"),
            It("figurine", "pair of horse figurines", 1800, 4500, "pair of horses"),
            It("figurine", "elephant figurine", 900, 2400, "elephant"),
            It("small_lamp", "diyas, set of 12", 250, 650),
            It("wall_decor", "wall plaque with village scene", 700, 2000, "village scene"),
            It("vase", "flower vase", 600, 1600),
            It("ornament", "hanging bells wind chime", 500, 1200),
            It("planter", "planter", 500, 1400),
        ),
    ),
    P(
        ("pottery", "ceramic"),
        palette="glaze",
        maker="potters",
        items=(
            It("mug", "ceramic coffee mugs, set of 2", 500, 1100),
            It("planter", "glazed ceramic planter", 700, 2000),
            It("vase", "hand-painted ceramic vase", 800, 2200),
            It("tableware", "ceramic dinner plates, set of 4", 1200, 3000),
            It("bowl", "ceramic serving bowls, set of 3", 900, 2400),
            It("jar", "glazed ceramic pickle jar (barni)", 600, 1500),
            It("tableware", "ceramic tea set, 6 cups and kettle", 2200, 5500),
            It("planter", "glazed flower pot with saucer", 600, 1600),
        ),
    ),
    # ---- metalware
    P(
        ("bidri",),
        palette="bidri",
        maker="metalsmiths",
        items=(
            It("vase", "flower vase with silver inlay", 3500, 12000),
            It("box", "round trinket box with silver inlay", 1800, 6000),
            It("box", "jewellery box with silver inlay", 4500, 14000),
            It("plate", "decorative wall plate", 3500, 12000),
            It("desk", "pen stand with silver inlay", 1500, 3800),
            It("bowl", "bowl with floral silver inlay", 2500, 8000),
            It("accessory", "cufflinks with silver inlay", 1500, 3500),
            It("figurine", "elephant figurine", 3000, 9000, "elephant"),
        ),
    ),
    P(
        ("dhokra",),
        palette="bell_metal",
        maker="metal casters",
        items=(
            It("figurine", "elephant figurine", 1500, 4500, "elephant"),
            It("figurine", "horse figurine", 1500, 4500, "horse"),
            It("figurine", "tribal musician figurines, set of 3", 2200, 6000, "tribal musicians"),
            It("figurine", "owl figurine", 800, 2200, "owl"),
            It("figurine", "bullock cart", 2500, 7000, "bullock cart"),
            It("lamp", "hanging oil lamp", 1800, 5000),
            It("wall_decor", "wall hanging with tribal motifs", 1500, 4000, "tribal motifs"),
            It("figurine", "Nandi bull figurine", 1200, 3500, "Nandi bull"),
        ),
    ),
    P(
        ("brass",),
        palette="brass",
        maker="metalsmiths",
        items=(
            It("planter", "planter with stand", 2200, 6500),
            It("vase", "flower vase with engraved pattern", 1500, 5000),
            It("small_lamp", "oil lamps (diyas), set of 2", 900, 2500),
            It("puja", "puja thali set", 1500, 4500),
            It("drinkware", "water bottle, 1 litre", 900, 1800),
            It("drinkware", "tumblers, set of 4", 1200, 2800),
            It("candle", "candle stand", 1200, 3500),
            It("bowl", "serving bowl with lid", 1500, 4000),
            It("figurine", "elephant figurine", 1800, 5500, "elephant"),
        ),
    ),
    # ---- jewellery (price = weight x rupees_per_gram)
    P(
        ("thewa",),
        palette="thewa",
        maker="goldsmiths",
        rupees_per_gram=11000,
        items=(
            It("pendant", "pendant", 0, 0),
            It("earrings", "drop earrings", 0, 0),
            It("bangle", "bangle (kada)", 0, 0),
            It("ring", "ring", 0, 0),
            It("cufflinks", "cufflinks", 0, 0),
            It("necklace", "necklace", 0, 0),
            It("brooch", "brooch", 0, 0),
            It("bracelet", "bracelet", 0, 0),
        ),
    ),
    P(
        ("temple",),
        palette="temple",
        maker="jewellers",
        rupees_per_gram=380,
        items=(
            It("necklace", "choker necklace", 0, 0),
            It("jhumkas", "jhumka earrings", 0, 0),
            It("bangle_pair", "bangles, pair", 0, 0),
            It("tikka", "maang tikka", 0, 0),
            It("long_necklace", "long haaram necklace", 0, 0),
            It("pendant", "pendant with Lakshmi motif", 0, 0),
            It("waist_belt", "waist belt (oddiyanam)", 0, 0),
            It("hair", "hair ornament (jadai billai)", 0, 0),
        ),
    ),
    P(
        ("filigree",),
        palette="silver",
        maker="silversmiths",
        rupees_per_gram=260,
        items=(
            It("earrings", "earrings", 0, 0),
            It("jhumkas", "jhumka earrings", 0, 0),
            It("pendant", "pendant", 0, 0),
            It("necklace", "necklace", 0, 0),
            It("bangle", "bangle", 0, 0),
            It("bracelet", "bracelet", 0, 0),
            It("brooch", "brooch", 0, 0),
            It("anklets", "anklets, pair", 0, 0),
            It("ring", "ring", 0, 0),
        ),
    ),
    # ---- toys
    P(
        ("lacquerware", "channapatna", "etikoppaka"),
        palette="lacquer",
        maker="toy makers",
        items=(
            It("toy_small", "lacquered wooden spinning top", 199, 449),
            It("toy", "stacking ring toy", 449, 899),
            It("toy_baby", "lacquered baby rattle", 299, 599),
            It("toy", "lacquered pull-along elephant", 599, 1199),
            It("toy_set", "wooden train set", 999, 2199),
            It("toy_set", "lacquered kitchen play set", 1299, 2599),
            It("toy", "lacquered doll family, set of 4", 699, 1499),
            It("toy", "lacquered bullock cart", 799, 1599),
            It("toy", "wooden abacus", 699, 1399),
        ),
    ),
    P(
        ("kondapalli",),
        palette="painted_wood",
        maker="toy makers",
        items=(
            It("doll", "wooden village life figurines, set of 6", 900, 2200, "village life"),
            It("doll", "Dasavatharam figurine set", 1800, 4500, "Dasavatharam"),
            It("doll", "elephant with ambari", 700, 1800, "elephant with ambari"),
            It("doll", "bullock cart figurine", 600, 1500, "bullock cart"),
            It("doll", "dancing doll pair", 500, 1200, "dancing couple"),
            It("doll", "palanquin procession set", 2200, 5000, "palanquin procession"),
            It("doll", "farmer couple figurines", 400, 900, "farmer couple"),
            It("toy", "painted wooden horse", 450, 1100),
        ),
    ),
    P(
        ("nirmal",),
        palette="painted_wood",
        maker="toy makers and painters",
        items=(
            It("toy", "painted wooden parrot", 400, 900),
            It("toy_set", "painted wooden fruit set", 600, 1400),
            It("doll", "painted wooden animal figurines, set of 4", 700, 1600, "animals"),
            It("doll", "painted wooden birds, pair", 500, 1200, "birds"),
            It("wood_painting", "painting of flowers on wood", 1500, 4500, "flowers"),
            It(
                "wood_painting",
                "miniature-style court scene painting on wood",
                2500,
                7000,
                "court scene",
            ),
            It("doll", "painted wooden elephant", 800, 2000, "elephant"),
            It("tray", "painted wooden tray", 900, 2200),
        ),
    ),
    # ---- paintings
    P(
        ("madhubani",),
        maker="painters",
        items=(
            It("painting", "painting of a fish pair on handmade paper", 1200, 3500, "fish pair"),
            It("painting", "tree of life painting", 1800, 5500, "tree of life"),
            It("painting", "painting of Radha and Krishna", 2000, 6500, "Radha and Krishna"),
            It("painting", "painting of peacocks", 1200, 3800, "peacocks"),
            It("painting", "kohbar painting", 3000, 9000, "kohbar"),
            It("painting", "painting of the sun and moon", 900, 2500, "sun and moon"),
            It("stationery", "hand-painted bookmarks, set of 4", 200, 500),
            It("stationery", "hand-painted greeting cards, set of 5", 350, 800),
        ),
    ),
    P(
        ("thanjavur", "tanjore"),
        maker="painters",
        items=(
            It("framed_painting", "painting of Krishna with gold foil", 8000, 35000, "Krishna"),
            It("framed_painting", "painting of Lakshmi with gold foil", 9000, 40000, "Lakshmi"),
            It("framed_painting", "painting of Ganesha with gold foil", 6000, 25000, "Ganesha"),
            It("framed_painting", "painting of Balaji with gold foil", 9000, 38000, "Balaji"),
            It("framed_painting", "painting of Saraswati with gold foil", 8000, 32000, "Saraswati"),
            It(
                "framed_painting",
                "painting of baby Krishna with a cow",
                7000,
                28000,
                "Krishna with a cow",
            ),
            It(
                "framed_painting",
                "small painting of Ganesha, gold foil work",
                3500,
                9000,
                "Ganesha",
            ),
        ),
    ),
    P(
        ("pattachitra",),
        maker="chitrakars",
        items=(
            It("painting", "painting of the Jagannath trinity", 1500, 5000, "Jagannath trinity"),
            It("scroll", "Krishna lila scroll painting", 3500, 12000, "Krishna lila"),
            It("painting", "tree of life painting", 1500, 4500, "tree of life"),
            It("painting", "Dashavatara panel painting", 4500, 15000, "Dashavatara"),
            It("painting", "painting of an elephant procession", 1800, 5500, "elephant procession"),
            It("painting", "painting of Ganesha", 1200, 4000, "Ganesha"),
            It("painting", "painting of Radha and Krishna", 1800, 6000, "Radha and Krishna"),
            It("painting", "fish and lotus painting", 900, 2500, "fish and lotus"),
        ),
    ),
    P(
        ("gond",),
        maker="painters",
        items=(
            It("painting", "tree of life painting on canvas", 2500, 9000, "tree of life"),
            It("painting", "painting of deer on canvas", 2200, 7500, "deer"),
            It("painting", "painting of a peacock pair on canvas", 2500, 8500, "peacock pair"),
            It("painting", "painting of fish on canvas", 1800, 6000, "fish"),
            It("painting", "painting of a tiger on canvas", 3000, 11000, "tiger"),
            It("painting", "painting of an elephant on canvas", 2500, 9000, "elephant"),
            It("painting", "painting of birds on a tree on canvas", 2500, 9000, "birds on a tree"),
            It("painting", "small painting of a bird on canvas", 900, 2500, "bird"),
        ),
    ),
    P(
        ("warli",),
        maker="painters",
        items=(
            It("painting", "painting of the tarpa dance on cloth", 1200, 4500, "tarpa dance"),
            It("painting", "harvest scene painting on cloth", 1500, 5000, "harvest"),
            It("painting", "village life painting on cloth", 1200, 4500, "village life"),
            It("painting", "wedding scene painting on cloth", 1800, 6000, "wedding"),
            It("painting", "tree of life painting on cloth", 1200, 4000, "tree of life"),
            It("painting", "fishing scene painting on cloth", 1200, 4000, "fishing"),
            It("wall_hanging", "painted wall hanging", 700, 1800),
            It("painting", "small painting of dancers on cloth", 600, 1500, "dancers"),
        ),
    ),
    P(
        ("painting",),
        maker="painters",
        items=(
            It("painting", "painting of village life", 1200, 4500, "village life"),
            It("painting", "tree of life painting", 1500, 5000, "tree of life"),
            It("painting", "painting of peacocks", 1200, 4000, "peacocks"),
            It("painting", "painting of flowers", 900, 3000, "flowers"),
            It("painting", "painting of elephants", 1500, 5000, "elephants"),
            It("painting", "small painting of birds", 600, 1800, "birds"),
            It("stationery", "hand-painted greeting cards, set of 5", 300, 700),
        ),
    ),
    # ---- woodcraft
    P(
        ("rosewood",),
        palette="wood",
        maker="woodworkers",
        items=(
            It("box", "jewellery box", 2500, 8000),
            It(
                "wall_decor",
                "wall panel with elephant procession",
                8000,
                30000,
                "elephant procession",
            ),
            It("coasters", "coasters, set of 6", 1200, 3000),
            It("tray", "serving tray", 3000, 9000),
            It("figurine", "elephant figurine", 2000, 6000, "elephant"),
            It("desk", "pen stand", 900, 2200),
            It("frame", "photo frame", 1200, 3000),
            It("game", "chess board", 4500, 12000),
        ),
    ),
    P(
        ("carving", "carved"),
        palette="wood",
        maker="woodcarvers",
        items=(
            It("box", "carved {material} jewellery box", 1200, 3500),
            It("wall_decor", "carved {material} wall panel", 3500, 12000),
            It("furniture", "carved {material} side table", 6500, 18000),
            It("frame", "carved {material} mirror frame", 3500, 9000),
            It("tray", "carved {material} serving tray", 1200, 3000),
            It("desk", "carved {material} bookends, pair", 1200, 2800),
            It("figurine", "carved {material} elephant figurine", 900, 2500, "elephant"),
            It("furniture", "carved {material} folding screen, 3 panels", 18000, 45000),
        ),
    ),
    P(
        ("furniture",),
        palette="sankheda",
        maker="furniture makers",
        items=(
            It("furniture", "lacquered {material} armchair", 9000, 22000),
            It("furniture", "lacquered {material} side table", 6500, 15000),
            It("furniture", "lacquered {material} coffee table", 12000, 30000),
            It("swing", "lacquered {material} swing (jhula)", 25000, 60000),
            It("furniture", "lacquered {material} footstool", 3000, 7500),
            It("furniture", "lacquered {material} rocking chair", 15000, 35000),
            It("furniture", "lacquered {material} dining chair", 8000, 18000),
            It("furniture", "lacquered {material} low stool (bajot)", 3500, 8000),
        ),
    ),
    # ---- leather
    P(
        ("kolhapuri", "chappal"),
        palette="leather",
        maker="cobblers",
        items=(
            It("footwear", "chappals for men", 900, 2200),
            It("footwear", "chappals for women with braided straps", 800, 1800),
            It("footwear", "kapshi chappals for men", 1100, 2600),
            It("footwear", "toe-ring chappals for women", 700, 1600),
            It("footwear", "T-strap chappals for men", 1000, 2400),
            It("footwear", "chappals for children", 500, 900),
            It("footwear", "sandals with buckle strap", 1200, 2500),
        ),
    ),
    P(
        ("santiniketan",),
        palette="leather",
        maker="leather workers",
        items=(
            It("bag", "tote bag with embossed motifs", 1500, 3800),
            It("bag", "sling bag", 1200, 2800),
            It("wallet", "wallet with batik-style pattern", 500, 1200),
            It("stationery", "embossed journal, A5", 700, 1600),
            It("wallet", "coin pouch", 250, 600),
            It("wallet", "passport holder", 450, 1000),
            It("bag", "laptop bag", 2800, 5500),
            It("clutch", "embossed clutch", 800, 1800),
        ),
    ),
    # ---- decor
    P(
        ("papier",),
        palette="papier",
        maker="artisans",
        items=(
            It("box", "box with floral pattern", 600, 2000),
            It("box", "jewellery box", 1200, 3500),
            It("vase", "vase", 900, 2800),
            It("ornament", "Christmas ornaments, set of 6", 450, 1100),
            It("bowl", "bowl with lid", 800, 2400),
            It("coasters", "coasters with holder, set of 6", 700, 1800),
            It("ornament", "decorative egg", 350, 900),
            It("plate", "wall plate", 1200, 3500),
            It("box", "pen box (qalamdan)", 600, 1500),
        ),
    ),
    P(
        ("marble", "pietra dura"),
        palette="marble",
        maker="stone inlay artisans",
        items=(
            It("coasters", "coasters, set of 4", 1200, 3500),
            It("box", "trinket box", 1200, 3800),
            It("plate", "decorative plate", 2500, 9000),
            It("figurine", "elephant figurine", 2000, 6500, "elephant"),
            It("table_top", "round table top, 60 cm", 25000, 85000),
            It("box", "jewellery box", 3000, 9500),
            It("small_lamp", "tea light holder", 900, 2500),
            It("game", "chess board", 15000, 40000),
        ),
    ),
    P(
        ("kannadi", "metal mirror"),
        palette="mirror",
        maker="metalsmiths",
        items=(
            It("mirror", "small round metal mirror in brass frame", 3500, 7000),
            It("mirror", "large round metal mirror in brass frame", 9000, 18000),
            It("mirror", "valkannadi (metal mirror with handle)", 9000, 25000),
            It("mirror", "oval metal mirror in brass frame", 6500, 14000),
            It("mirror", "wall-mounted metal mirror", 18000, 42000),
            It("mirror", "metal mirror on a brass stand", 7000, 16000),
            It("mirror", "pocket metal mirror in a gift box", 3200, 6000),
        ),
    ),
    # ---- glass
    P(
        ("glass",),
        palette="glass",
        maker="glassworkers",
        items=(
            It("glass_bangles", "glass bangles, set of 12", 199, 499),
            It("glass_bangles", "glass bangles with gold work, set of 24", 399, 899),
            It("vase", "hand-blown glass vase", 900, 2800),
            It("drinkware", "glass tumblers, set of 6", 700, 1600),
            It("small_lamp", "glass tea light holders, set of 4", 450, 1100),
            It("lamp", "hanging glass lamp", 1800, 4500),
            It("bowl", "decorative glass bowl", 700, 1800),
            It("ornament", "glass Christmas baubles, set of 6", 450, 1000),
        ),
    ),
    # ---- basketry
    P(
        ("sikki", "grass", "basket"),
        palette="grass",
        maker="grass weavers",
        items=(
            It("basket", "lidded basket (pauti)", 600, 1800),
            It("basket", "bread basket", 450, 1000),
            It("tray", "round serving tray", 500, 1300),
            It("figurine", "elephant figurine", 450, 1200, "elephant"),
            It("box", "jewellery box", 550, 1400),
            It("wall_decor", "wall hanging of birds", 700, 1800, "birds"),
            It("coasters", "coasters, set of 6", 300, 700),
            It("basket", "fruit basket", 550, 1300),
        ),
    ),
)

# Used when no profile matches: by CSV category, then GENERIC for an unknown category.
_TEXTILE = P(
    (),
    items=(
        It("saree", "handwoven {fabric} saree", 1800, 6000),
        It("saree", "{fabric} saree with woven border", 2000, 6500),
        It("dupatta", "{fabric} dupatta", 800, 2200),
        It("stole", "{fabric} stole", 600, 1500),
        It("fabric", "unstitched {fabric} kurta fabric, 2.5 m", 900, 2200),
        It("table_linen", "{fabric} table runner", 600, 1400),
        It("cushion", "{fabric} cushion covers, set of 2", 600, 1300),
        It("saree", "sheer {fabric} saree with contrast pallu", 2000, 6000),
    ),
)
GENERIC = P(
    (),
    palette="earth",
    maker="artisans",
    items=(
        It("box", "handmade box", 500, 1500),
        It("bowl", "handmade bowl", 500, 1500),
        It("wall_decor", "wall hanging", 700, 2500),
        It("figurine", "elephant figurine", 600, 2000, "elephant"),
        It("tray", "serving tray", 700, 2000),
        It("coasters", "coasters, set of 4", 400, 1000),
        It("vase", "vase", 700, 2200),
        It("small_lamp", "tea light holder", 300, 900),
    ),
)


def _profile(*keywords: str) -> CraftProfile:
    return next(p for p in PROFILES if p.keywords == keywords)


FALLBACKS: dict[str, CraftProfile] = {
    "Textiles": _TEXTILE,
    "Pottery": _profile("pottery", "ceramic"),
    "Jewellery": _profile("filigree"),
    "Paintings": _profile("painting"),
    "Toys": P(
        (),
        palette="lacquer",
        maker="toy makers",
        items=(
            It("toy_small", "wooden spinning top", 199, 399),
            It("toy", "pull-along wooden toy", 499, 1099),
            It("toy_baby", "wooden baby rattle", 299, 599),
            It("toy", "wooden stacking toy", 449, 899),
            It("toy_set", "wooden kitchen play set", 999, 2299),
            It("doll", "painted wooden dolls, pair", 499, 1199, "dolls"),
            It("toy", "wooden animal puzzle", 399, 899),
        ),
    ),
    "Metalware": P(
        (),
        palette="brass",
        maker="metalsmiths",
        items=(
            It("vase", "metal vase", 1200, 4000),
            It("bowl", "metal bowl", 900, 3000),
            It("box", "metal trinket box", 800, 2500),
            It("figurine", "elephant figurine", 1200, 4000, "elephant"),
            It("lamp", "oil lamp", 800, 2500),
            It("plate", "decorative plate", 1200, 4000),
            It("candle", "candle stand", 900, 2800),
        ),
    ),
    "Woodcraft": P(
        (),
        palette="wood",
        maker="woodworkers",
        items=(
            It("box", "wooden jewellery box", 900, 2800),
            It("tray", "wooden serving tray", 900, 2500),
            It("figurine", "wooden elephant figurine", 700, 2200, "elephant"),
            It("frame", "wooden photo frame", 700, 1800),
            It("coasters", "wooden coasters, set of 4", 400, 900),
            It("wall_decor", "wooden wall panel", 2500, 8000),
            It("desk", "wooden pen stand", 400, 900),
        ),
    ),
    "Leather": P(
        (),
        palette="leather",
        maker="leather workers",
        items=(
            It("bag", "leather tote bag", 1500, 3800),
            It("bag", "leather sling bag", 1200, 2800),
            It("wallet", "leather wallet", 500, 1200),
            It("wallet", "leather card holder", 300, 700),
            It("stationery", "leather journal", 600, 1500),
            It("clutch", "leather clutch", 800, 1800),
            It("footwear", "leather sandals", 900, 2200),
        ),
    ),
    "Decor": GENERIC,
    "Glassware": _profile("glass"),
    "Basketry": _profile("sikki", "grass", "basket"),
}

# Who makes it and which colours, by category, when the profile does not say.
CATEGORY_MAKERS: dict[str, str] = {
    "Textiles": "weavers",
    "Pottery": "potters",
    "Metalware": "metalsmiths",
    "Jewellery": "jewellers",
    "Toys": "toy makers",
    "Paintings": "painters",
    "Woodcraft": "woodworkers",
    "Leather": "leather workers",
    "Decor": "artisans",
    "Glassware": "glassworkers",
    "Basketry": "weavers",
}
CATEGORY_PALETTES: dict[str, str] = {
    "Textiles": "textile",
    "Pottery": "glaze",
    "Metalware": "brass",
    "Jewellery": "silver",
    "Toys": "lacquer",
    "Woodcraft": "wood",
    "Leather": "leather",
    "Glassware": "glass",
    "Basketry": "grass",
}

PALETTES: dict[str, tuple[str, ...]] = {
    "textile": (
        "maroon",
        "mustard yellow",
        "indigo",
        "peacock blue",
        "parrot green",
        "rani pink",
        "off-white",
        "rust",
        "bottle green",
        "deep purple",
        "black",
        "teal",
        "beige",
    ),
    "silk": (
        "maroon",
        "magenta",
        "royal blue",
        "emerald green",
        "mustard",
        "bottle green",
        "crimson red",
        "purple",
        "peacock blue",
        "orange with green border",
    ),
    "muga": ("natural golden", "golden with red border", "golden with green border"),
    "natural_wool": (
        "natural grey",
        "ivory",
        "charcoal",
        "camel brown",
        "dark brown",
        "black",
        "maroon",
        "bottle green",
    ),
    "wool": ("grey", "maroon", "navy blue", "charcoal", "brown", "off-white", "black"),
    "naga": ("red and black", "black and white", "red, black and yellow", "blue and black"),
    "natural_dye": (
        "indigo",
        "madder red",
        "black and cream",
        "ochre and black",
        "indigo and white",
        "rust",
        "red on white",
        "green on white",
    ),
    "chikan": ("white", "off-white", "powder blue", "pastel pink", "mint green", "lilac"),
    "blue_pottery": ("cobalt blue and white", "turquoise and white", "blue and green"),
    "terracotta": ("natural terracotta", "burnt ochre", "dark red-brown"),
    "glaze": ("cobalt blue", "turquoise", "cream and brown", "sea green", "ochre", "white"),
    "bidri": ("black with silver inlay",),
    "bell_metal": ("antique bronze", "natural bell metal"),
    "brass": ("polished brass", "antique brass", "engraved matt brass", "brass with enamel"),
    "thewa": ("emerald green glass", "ruby red glass", "sapphire blue glass", "black glass"),
    "temple": ("red kemp stones", "green kemp stones", "red and green kemp stones"),
    "silver": ("bright silver", "oxidised silver"),
    "lacquer": ("red and yellow", "multicolour", "green and orange", "blue and red", "natural"),
    "painted_wood": ("multicolour", "green and gold", "red and gold", "natural with colours"),
    "wood": ("natural", "dark walnut", "honey"),
    "sankheda": ("maroon and gold", "green and gold", "orange and gold", "brown and gold"),
    "leather": ("natural tan", "dark brown", "black", "maroon", "mustard"),
    "papier": ("red and gold", "blue and gold", "black and gold", "white and gold"),
    "marble": ("white with multicolour inlay", "white with green inlay", "black with inlay"),
    "mirror": ("polished brass",),
    "glass": ("ruby red", "cobalt blue", "emerald green", "amber", "clear", "multicolour"),
    "grass": ("natural golden", "golden with pink", "golden with green and magenta"),
    "earth": ("natural", "multicolour", "brown", "red"),
}

# The title prefix when "craft minus trailing product words" would read badly.
TITLE_LABELS: dict[str, str] = {
    "Jaipur": "Jaipur blue pottery",
    "Bagru": "Bagru",
    "Sanganer": "Sanganeri",
    "Nagercoil": "Nagercoil temple jewellery",
    "Varanasi": "Banarasi",
    "Moradabad": "Moradabad brass",
    "Firozabad": "Firozabad",
    "Saharanpur": "Saharanpur",
    "Agra": "Agra marble inlay",
    "Aranmula": "Aranmula kannadi",
}
# Trailing words of a craft name that name the products, not the craft ("Ilkal sarees").
TRAILING_PRODUCT_WORDS = frozenset(
    {
        "sarees",
        "saree",
        "painting",
        "paintings",
        "toys",
        "toy",
        "embroidery",
        "craft",
        "jewellery",
        "furniture",
        "chappals",
        "shawls",
        "and",
        "lacquerware",
        "tie-dye",
        "pottery",
    }
)
# Materials that name a process rather than a substance, and how descriptions say them.
PROCESS_MATERIALS: dict[str, str] = {
    "lost wax": "cast by the lost-wax process",
    "inlay": "inlaid by hand",
}
# Plural product words in craft names, for "the Ilkal saree tradition".
SINGULAR: dict[str, str] = {
    "sarees": "saree",
    "toys": "toy",
    "paintings": "painting",
    "shawls": "shawl",
    "chappals": "chappal",
}
# Craft names whose first word is an ordinary word, lower-cased inside a sentence.
COMMON_FIRST_WORDS = frozenset({"blue", "temple", "marble"})
# Words that name a fibre, in the form titles use ("cotton-silk saree").
FIBRES = ("cotton", "silk", "wool", "linen", "jute")

CARE: dict[str, str] = {
    "saree": "Dry clean the first few times; store folded in a muslin cloth.",
    "drape": "Dry clean or hand wash gently in cold water; dry in the shade.",
    "fabric": "Wash separately in cold water before stitching, as natural dyes may bleed.",
    "apparel": "Hand wash separately in cold water and dry in the shade.",
    "home": "Machine wash on a gentle cycle in cold water; colours may fade a little over time.",
    "object": "Wipe with a soft dry cloth; keep away from standing water.",
    "toy": "Wipe clean with a dry cloth.",
    "painting": "Keep out of direct sunlight and away from damp walls.",
    "jewellery": "Store in the pouch provided and keep away from perfume and water.",
    "footwear": "Keep dry; oil the leather now and then to keep it supple.",
    "bangles": "Handle with care; glass can break if dropped.",
}

REJECTION_REASONS: dict[str, tuple[str, ...]] = {
    "any": (
        "Photos missing; add at least one photo of the product",
        "Main photo is blurred; upload a sharper photo taken in daylight",
        "Title is in capital letters; write it in sentence case",
        "Description does not say what the product is made of; list the materials",
        "Dimensions missing; give the size in cm",
    ),
    "textile": ("Price seems to be per metre; state the price of the whole piece",),
    "jewellery": ("Net weight and purity missing from the description; add both",),
    "diamond": (
        "Photos missing; add at least one photo of the stone",
        "Grading report missing; upload the lab report or mark the stone as uncertified",
        "Price is written in the title; keep it in the price field only",
    ),
}
