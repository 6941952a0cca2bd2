"""The demo marketplace's content: clusters, craft products and loose diamonds."""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter
from importlib.resources import files

import pytest

from haat.demo.catalog_content import cluster_code, craft_products, load_clusters
from haat.demo.diamonds import diamond_products
from haat.demo.specs import STATUSES, ClusterRow, ProductSpec

# India's bounding box, degrees (mainland plus islands, generously rounded).
LAT_RANGE = (6.0, 37.5)
LON_RANGE = (68.0, 97.5)
CATEGORIES = {
    "Textiles", "Pottery", "Metalware", "Jewellery", "Toys", "Paintings", "Woodcraft",
    "Leather", "Decor", "Glassware", "Basketry",
}  # fmt: skip
GI_WORDS = re.compile(r"\bGI\b|Geographical Indication")


@pytest.fixture(scope="module")
def clusters() -> list[ClusterRow]:
    return load_clusters()


@pytest.fixture(scope="module")
def products_by_cluster(clusters: list[ClusterRow]) -> dict[str, list[ProductSpec]]:
    return {c.name: craft_products(c) for c in clusters}


@pytest.fixture(scope="module")
def diamonds() -> list[ProductSpec]:
    return diamond_products(2000)


@pytest.fixture(scope="module")
def diamond_csv_rows() -> list[dict[str, str]]:
    raw = (files("haat.demo") / "data" / "diamonds.csv.gz").read_bytes()
    return list(csv.DictReader(gzip.decompress(raw).decode().splitlines()))


def test_clusters_load_with_coordinates_in_india(clusters: list[ClusterRow]) -> None:
    assert len(clusters) == 49
    assert len({c.name for c in clusters}) == 49
    for c in clusters:
        assert LAT_RANGE[0] < c.latitude < LAT_RANGE[1], c
        assert LON_RANGE[0] < c.longitude < LON_RANGE[1], c
        assert c.category in CATEGORIES
        assert c.materials and all(m and m == m.strip() for m in c.materials)
    channapatna = clusters[0]
    assert channapatna.name == "Channapatna"
    assert channapatna.materials == ["ivory wood", "lac", "vegetable dyes"]
    assert channapatna.gi_tag is True
    assert {c.name for c in clusters if not c.gi_tag} == {"Jodhpur", "Agra"}


def test_cluster_codes_are_unique(clusters: list[ClusterRow]) -> None:
    codes = [cluster_code(c.name) for c in clusters]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)
    assert cluster_code("Channapatna") == "CHN"


def test_every_cluster_yields_six_to_eight_products(
    clusters: list[ClusterRow], products_by_cluster: dict[str, list[ProductSpec]]
) -> None:
    for c in clusters:
        products = products_by_cluster[c.name]
        assert 6 <= len(products) <= 8, c.name
        assert len({p.title for p in products}) == len(products), c.name
        for p in products:
            assert p.category == c.category
            assert p.subcategory
            assert p.currency == "INR"
            assert p.sku.startswith(cluster_code(c.name) + "-")
            assert 0 <= p.stock_quantity <= 60
            assert p.attributes["origin_cluster"] == c.name
            assert p.attributes["origin_state"] == c.state
            assert p.attributes["technique"] == c.craft
            assert p.attributes["gi_tag"] is c.gi_tag
            assert "material" in p.attributes
            assert all(isinstance(v, str | int | float | bool) for v in p.attributes.values())
            assert c.town in p.description and c.state in p.description
            sentences = re.findall(r"[.!?](?:\s|$)", p.description)
            assert 2 <= len(sentences) <= 4, p.description


def test_skus_are_unique_across_the_demo(
    products_by_cluster: dict[str, list[ProductSpec]], diamonds: list[ProductSpec]
) -> None:
    skus = [p.sku for ps in products_by_cluster.values() for p in ps] + [p.sku for p in diamonds]
    assert len(skus) == len(set(skus))


def test_prices_are_positive_whole_rupees_ending_like_shop_prices(
    products_by_cluster: dict[str, list[ProductSpec]],
) -> None:
    for p in (p for ps in products_by_cluster.values() for p in ps):
        assert isinstance(p.price_minor, int) and p.price_minor > 0
        assert p.price_minor % 100 == 0  # whole rupees
        assert p.price_minor % 10000 in (0, 9900), p  # Rs ...99 or Rs ...00


def test_prices_follow_the_product(products_by_cluster: dict[str, list[ProductSpec]]) -> None:
    pashmina = min(p.price_minor for p in products_by_cluster["Srinagar"])
    toys = max(p.price_minor for p in products_by_cluster["Channapatna"])
    assert pashmina > 2 * toys


def test_specialised_by_craft(products_by_cluster: dict[str, list[ProductSpec]]) -> None:
    def subcategories(name: str) -> Counter[str]:
        return Counter(p.subcategory for p in products_by_cluster[name])

    assert subcategories("Kanchipuram")["Sarees"] >= 3
    assert set(subcategories("Srinagar")) <= {"Shawls", "Stoles", "Mufflers"}
    assert set(subcategories("Kolhapur")) == {"Footwear"}
    assert "saree" not in " ".join(p.title.lower() for p in products_by_cluster["Jaipur"])
    assert all(p.title.startswith("Channapatna ") for p in products_by_cluster["Channapatna"])
    # "Karimnagar" contains "naga" but is filigree, not Naga shawls.
    assert all("metal" in p.attributes for p in products_by_cluster["Karimnagar"])


def test_gi_text_only_for_gi_tagged_clusters(
    clusters: list[ClusterRow], products_by_cluster: dict[str, list[ProductSpec]]
) -> None:
    for c in clusters:
        for p in products_by_cluster[c.name]:
            if c.gi_tag:
                assert "GI-tagged" in p.description
                assert "Geographical Indication" in p.description
            else:
                assert not GI_WORDS.search(p.description), p.description
            assert not GI_WORDS.search(p.title)


def test_jewellery_clusters_carry_metal_purity_and_weight(
    clusters: list[ClusterRow], products_by_cluster: dict[str, list[ProductSpec]]
) -> None:
    jewellery = [c for c in clusters if c.category == "Jewellery"]
    assert len(jewellery) == 4
    for c in jewellery:
        for p in products_by_cluster[c.name]:
            metal = p.attributes["metal"]
            assert metal in c.materials
            assert p.attributes["purity"] == {"gold": 916, "silver": 925}[metal]
            assert isinstance(p.attributes["weight_g"], float) and p.attributes["weight_g"] > 0


def test_textiles_carry_colour_and_sarees_a_length(
    clusters: list[ClusterRow], products_by_cluster: dict[str, list[ProductSpec]]
) -> None:
    for c in clusters:
        if c.category != "Textiles":
            continue
        for p in products_by_cluster[c.name]:
            assert "colour" in p.attributes
            if p.subcategory == "Sarees":
                assert 5 <= p.attributes["length_m"] <= 7


def test_diamonds(diamonds: list[ProductSpec], diamond_csv_rows: list[dict[str, str]]) -> None:
    assert len(diamonds) == 2000
    assert len({p.sku for p in diamonds}) == 2000
    numbers = [int(p.sku.removeprefix("DIA-")) for p in diamonds]
    assert numbers == sorted(numbers)  # file order
    for p, number in zip(diamonds, numbers, strict=True):
        row = diamond_csv_rows[number - 1]
        a = p.attributes
        assert p.price_minor == int(row["price"]) * 100
        assert p.currency == "USD"
        assert a["carat"] == float(row["carat"]) and a["cut"] == row["cut"]
        assert a["color"] == row["color"] and a["clarity"] == row["clarity"]
        assert min(a["x_mm"], a["y_mm"], a["z_mm"]) > 0
        assert a["shape"] == "round" and a["certified"] is False
        assert (p.category, p.subcategory, p.stock_quantity) == ("Jewellery", "Loose diamonds", 1)
        assert p.title == (
            f"{float(row['carat']):.2f} ct {row['cut']} cut round diamond, "
            f"{row['color']} colour, {row['clarity']} clarity"
        )
    prices = sorted(p.price_minor for p in diamonds)
    assert prices[0] < 50_000 and prices[-1] > 1_500_000  # spans the price range (cents)


def test_diamonds_drop_duplicates_and_smaller_limits_are_subsets(
    diamond_csv_rows: list[dict[str, str]],
) -> None:
    everything = diamond_products(len(diamond_csv_rows))
    rows = [tuple(diamond_csv_rows[int(p.sku[4:]) - 1].values()) for p in everything]
    assert len(rows) == len(set(rows))
    assert len(everything) < len(diamond_csv_rows) - 150
    small = {p.sku for p in diamond_products(50)}
    assert len(small) == 50 and small <= {p.sku for p in diamond_products(500)}
    assert diamond_products(0) == []
    with pytest.raises(ValueError):
        diamond_products(-1)


def test_status_mix(
    products_by_cluster: dict[str, list[ProductSpec]], diamonds: list[ProductSpec]
) -> None:
    products = [p for ps in products_by_cluster.values() for p in ps] + diamonds
    counts = Counter(p.status_hint for p in products)
    assert set(counts) == set(STATUSES)
    assert 0.6 < counts["approved"] / len(products) < 0.8
    assert counts.most_common(1)[0][0] == "approved"
    crafts = [p for ps in products_by_cluster.values() for p in ps]
    assert set(Counter(p.status_hint for p in crafts)) == set(STATUSES)
    for p in products:
        assert (p.rejection_reason is not None) == (p.status_hint == "rejected")


def test_deterministic(clusters: list[ClusterRow]) -> None:
    assert load_clusters() == clusters
    assert [craft_products(c) for c in clusters] == [craft_products(c) for c in clusters]
    assert diamond_products(300) == diamond_products(300)
