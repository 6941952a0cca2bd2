"""Loose diamonds from the diamonds data set (`data/diamonds.csv.gz`, source and licence in
`data/README.md`), as USD products of the demo's jewellery shop."""

from __future__ import annotations

import csv
import gzip
import io
import random
from functools import cache
from importlib.resources import files

from haat.demo import craft_vocabulary as vocab
from haat.demo.specs import ProductSpec, status_for

_DIAMOND_COLUMNS = ("carat", "cut", "color", "clarity", "depth", "table", "price", "x", "y", "z")


@cache
def _clean_diamond_rows() -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(1-based data row number, raw values) of `diamonds.csv.gz`, header excluded, without
    rows that have a zero dimension and without exact repeats of an earlier row."""
    raw = (files("haat.demo") / "data" / "diamonds.csv.gz").read_bytes()
    reader = csv.reader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    header = tuple(next(reader))
    if header != _DIAMOND_COLUMNS:
        raise ValueError(f"unexpected diamonds.csv.gz header: {header}")
    seen: set[tuple[str, ...]] = set()
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, values in enumerate(reader, start=1):
        row = tuple(values)
        if any(float(v) == 0 for v in row[7:10]) or row in seen:
            continue
        seen.add(row)
        rows.append((number, row))
    return tuple(rows)


def diamond_products(limit: int = 2000) -> list[ProductSpec]:
    """Loose round diamonds from the diamonds data set, as USD products, in file order.

    Rows with a zero x, y or z and exact duplicate rows are dropped; the remaining stones are
    shuffled with a fixed seed and the first `limit` are kept (so a smaller limit gives a subset
    of a larger one, and the picks span the whole price range). `price_minor` is the data set's
    USD price x 100 (cents); the SKU is `DIA-` and the 1-based data row number (header not
    counted). Raises ValueError for a negative limit.
    """
    if limit < 0:
        raise ValueError("limit must be >= 0")
    rows = _clean_diamond_rows()
    order = list(range(len(rows)))
    random.Random(42).shuffle(order)
    picked = sorted(order[:limit])
    return [_diamond(*rows[i]) for i in picked]


def _diamond(number: int, row: tuple[str, ...]) -> ProductSpec:
    values = dict(zip(_DIAMOND_COLUMNS, row, strict=True))
    carat = float(values["carat"])
    x, y, z = (float(values[axis]) for axis in "xyz")
    depth, table = float(values["depth"]), float(values["table"])
    cut, color, clarity = values["cut"], values["color"], values["clarity"]
    sku = f"DIA-{number:06d}"
    status, reason = status_for(sku, vocab.REJECTION_REASONS["diamond"])
    description = (
        f"A loose round brilliant diamond of {carat:.2f} carat, graded {cut} cut, {color} "
        f"colour and {clarity} clarity. It measures {x:.2f} x {y:.2f} x {z:.2f} mm, with a "
        f"total depth of {depth:g}% and a table of {table:g}%. The stone is sold without a "
        "laboratory grading report."
    )
    return ProductSpec(
        title=f"{carat:.2f} ct {cut} cut round diamond, {color} colour, {clarity} clarity",
        description=description,
        category="Jewellery",
        subcategory="Loose diamonds",
        price_minor=int(values["price"]) * 100,
        currency="USD",
        sku=sku,
        stock_quantity=1,
        attributes={
            "carat": carat,
            "cut": cut,
            "color": color,
            "clarity": clarity,
            "depth_pct": depth,
            "table_pct": table,
            "x_mm": x,
            "y_mm": y,
            "z_mm": z,
            "shape": "round",
            "certified": False,
        },
        status_hint=status,
        rejection_reason=reason,
    )
