"""Languages, currencies and countries Haat accepts."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from babel.numbers import list_currencies

# The nine languages of the export-marketplace use case (`ks`, Kashmiri, is written right to
# left in Perso-Arabic script).
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "hi", "es", "bn", "ks", "ta", "de", "fr", "ja")
# Each language's English name, as prompts to a language model name it (Kashmiri with its
# script, since it is also written in Devanagari).
ENGLISH_NAMES: dict[str, str] = {
    "en": "English",
    "hi": "Hindi",
    "es": "Spanish",
    "bn": "Bengali",
    "ks": "Kashmiri (Perso-Arabic script)",
    "ta": "Tamil",
    "de": "German",
    "fr": "French",
    "ja": "Japanese",
}


@lru_cache
def iso4217_codes() -> frozenset[str]:
    """ISO 4217 currency codes known to Babel's CLDR data."""
    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in iso4217_codes()


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 region that has a phone numbering plan."""
    return code in phonenumbers.SUPPORTED_REGIONS
