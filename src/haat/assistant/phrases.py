"""The assistant's sentences in the nine languages (`haat.core.i18n.SUPPORTED_LANGUAGES`).

The sentences are data, in ``phrases.json`` beside this module: one table per language, of
``str.format`` templates; every language has every key (a test checks it). The English,
Hindi, Spanish, Tamil, German, French and Japanese texts were written for Haat; the Bengali
(bn) and Kashmiri (ks) texts still need a native speaker's review (docs/assistant.md).
Product titles, seller names and attribute values stay as the seller wrote them.
"""

from __future__ import annotations

import json
from importlib import resources

PHRASES: dict[str, dict[str, str]] = json.loads(
    resources.files("haat.assistant").joinpath("phrases.json").read_text(encoding="utf-8")
)

# Locales for numbers, dates and money in each answer language (CLDR via Babel).
LOCALES: dict[str, str] = {
    "en": "en_IN",
    "hi": "hi_IN",
    "es": "es",
    "bn": "bn_IN",
    "ks": "ks_Arab_IN",
    "ta": "ta_IN",
    "de": "de_DE",
    "fr": "fr_FR",
    "ja": "ja_JP",
}


def phrase(language: str, key: str, **fields: object) -> str:
    """The sentence ``key`` in ``language`` (English for an unknown language) with
    ``fields`` filled in. Raises `KeyError` for an unknown key."""
    table = PHRASES.get(language, PHRASES["en"])
    return table[key].format(**fields)
