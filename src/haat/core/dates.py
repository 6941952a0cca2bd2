"""Calendar dates on the wire."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BeforeValidator


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD`` strings: not pydantic's lax reading of numbers as Unix times."""
    if isinstance(value, str) and not (len(value) == 10 and value[4] == value[7] == "-"):
        raise ValueError("a date as YYYY-MM-DD")
    if isinstance(value, int | float):
        raise ValueError("a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_day)]
