"""Importing metal rates from CSV, all or nothing, with an error per bad line.

The file is UTF-8 CSV with a header row naming (in any order) ``metal`` (gold, silver,
platinum), ``date`` (YYYY-MM-DD, not after today), ``inr_per_gram`` (rupees per gram of fine
metal, at most 2 decimal places: ``12908.23``) and optionally ``source`` (default: the file
name). A row for a metal and date already stored replaces that rate; two rows of the same
metal and date in one file are an error. Any error refuses the whole file (422 naming each
line, the header being line 1); otherwise the rows are stored and every metal touched is
re-priced once.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Metal
from haat.core.errors import Unprocessable
from haat.identity.actor import Actor
from haat.pricing import repository
from haat.pricing.models import MetalRate
from haat.pricing.repricing import Repriced, reprice_metal
from haat.pricing.schemas import MetalRateCreate

REQUIRED = ("metal", "date", "inr_per_gram")
MAX_ROWS = 100_000
MAX_ERRORS = 100


class InvalidRateFile(Unprocessable):
    code, title = "invalid_rate_file", "The rate file has errors; nothing was imported"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    repriced: tuple[Repriced, ...]


def _rupees_to_paise(text: str) -> int:
    value = Decimal(text.strip().replace(",", ""))
    paise = value * 100
    if not value.is_finite() or paise != paise.to_integral_value():
        raise ValueError("inr_per_gram must be rupees with at most 2 decimal places")
    return int(paise)


def parse_rates(text: str, default_source: str) -> list[MetalRateCreate]:
    """The rows of a rate file as validated rates. Raises `InvalidRateFile` (422) listing
    each bad line as ``{loc: ["file", line, column], msg, type}`` (at most 100)."""
    reader = csv.DictReader(io.StringIO(text, newline=None))  # \r, \r\n or \n line ends
    try:
        return _parse(reader, default_source)
    except csv.Error as exc:
        raise InvalidRateFile(
            f"Line {reader.line_num} is not valid CSV: {exc}",
            errors=[{"loc": ["file", reader.line_num], "msg": str(exc), "type": "csv"}],
        ) from None


def _parse(reader: csv.DictReader[str], default_source: str) -> list[MetalRateCreate]:
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidRateFile(
            f"The header (line 1) must name {', '.join(REQUIRED)}; missing: {', '.join(missing)}",
            errors=[
                {"loc": ["file", 1, name], "msg": "missing column", "type": "missing"}
                for name in missing
            ],
        )
    reader.fieldnames = header
    errors: list[dict[str, object]] = []
    rates: list[MetalRateCreate] = []
    seen: dict[tuple[Metal, date], int] = {}
    for record in reader:
        line = reader.line_num
        if len(rates) >= MAX_ROWS:
            errors.append({"loc": ["file", line], "msg": "too many rows", "type": "too_many"})
            break
        try:
            paise = _rupees_to_paise(record.get("inr_per_gram") or "")
        except (ValueError, InvalidOperation) as exc:
            message = str(exc) if isinstance(exc, ValueError) else "not a number"
            errors.append({"loc": ["file", line, "inr_per_gram"], "msg": message, "type": "value"})
            continue
        try:
            rate = MetalRateCreate.model_validate(
                {
                    "metal": (record.get("metal") or "").strip().lower(),
                    "as_of": (record.get("date") or "").strip(),
                    "rate_minor_per_g": paise,
                    "source": (record.get("source") or "").strip() or default_source,
                }
            )
        except ValidationError as exc:
            columns = {"as_of": "date", "rate_minor_per_g": "inr_per_gram"}
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else ""
                errors.append(
                    {
                        "loc": ["file", line, columns.get(field, field)],
                        "msg": error["msg"],
                        "type": error["type"],
                    }
                )
            continue
        key = (rate.metal, rate.as_of)
        if key in seen:
            errors.append(
                {
                    "loc": ["file", line, "date"],
                    "msg": f"a second {rate.metal.value} rate for {rate.as_of} (see line "
                    f"{seen[key]})",
                    "type": "duplicate",
                }
            )
            continue
        seen[key] = line
        rates.append(rate)
    if errors:
        lines = sorted({int(str(e["loc"][1])) for e in errors if isinstance(e["loc"], list)})
        shown = ", ".join(str(n) for n in lines[:20])
        raise InvalidRateFile(
            f"{len(errors)} error(s) on line(s) {shown}; nothing was imported.",
            errors=errors[:MAX_ERRORS],
        )
    return rates


async def import_rates(
    session: AsyncSession, actor: Actor, text: str, *, default_source: str
) -> ImportResult:
    """Validate the whole file (`parse_rates`), then store it (`store_rates`); platform
    admins only (401 / 403)."""
    user_id = actor.require_platform_admin()
    return await store_rates(session, parse_rates(text, default_source), user_id)


async def store_rates(
    session: AsyncSession,
    rates: list[MetalRateCreate],
    created_by: uuid.UUID | None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Store validated rates: new metal+date pairs are added, existing ones take the new
    rate and source; then each metal touched is re-priced once. ``progress(n)`` is called as
    rows are stored (the `haat pricing import` bar). Flushes; never commits."""
    metals = {r.metal for r in rates}
    existing: dict[tuple[Metal, date], MetalRate] = {}
    if metals:
        stored = await repository.of_metals(session, metals)
        existing = {(row.metal, row.as_of): row for row in stored}
    created = updated = 0
    for rate in rates:
        row = existing.get((rate.metal, rate.as_of))
        if row is None:
            new = MetalRate(
                metal=rate.metal,
                as_of=rate.as_of,
                rate_minor_per_g=rate.rate_minor_per_g,
                source=rate.source,
                created_by=created_by,
            )
            await repository.add(session, new, flush=False)
            created += 1
        else:
            row.rate_minor_per_g, row.source = rate.rate_minor_per_g, rate.source
            updated += 1
        if progress is not None:
            progress(1)
    repriced = tuple([await reprice_metal(session, metal) for metal in sorted(metals)])
    return ImportResult(created, updated, repriced)
