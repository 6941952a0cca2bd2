"""Languages of the pages: gettext catalogues, the choice of language, and formatting locales.

Catalogues are the ``locales/<lang>/LC_MESSAGES/messages.po`` files (made and updated with
``pybabel``, see docs/web.md). They are compiled in memory when the app starts, so no ``.mo``
file has to be built or kept in git. The UI language is one of
`haat.core.i18n.SUPPORTED_LANGUAGES`; the formatting locale may be narrower (``en_IN`` for an
English-speaking visitor in India: numbers grouped 1,50,000).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale, localedata
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from haat.core.i18n import SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"

# The names each language calls itself, for the switcher.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "hi": "हिन्दी",
    "es": "Español",
    "bn": "বাংলা",
    "ks": "کٲشُر",
    "ta": "தமிழ்",
    "de": "Deutsch",
    "fr": "Français",
    "ja": "日本語",
}


@dataclass(frozen=True)
class Language:
    """A UI language (``code``, a catalogue) and the locale numbers and dates follow."""

    code: str
    locale: str  # Babel/POSIX form: "en_IN", "hi", "ks"
    direction: str  # "ltr" or "rtl"
    translations: NullTranslations

    @property
    def html_lang(self) -> str:
        """BCP 47 for ``<html lang>``: ``en-IN``, ``ks-Arab``."""
        return "ks-Arab" if self.code == "ks" else self.locale.replace("_", "-")


def po_path(code: str) -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(SUPPORTED_LANGUAGES))
def translations(code: str) -> NullTranslations:
    """The compiled catalogue of ``code``; English is the source language (identity)."""
    path = po_path(code)
    if code == DEFAULT_LANGUAGE or not path.exists():
        return NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def load_all() -> None:
    """Compile every catalogue now (at start-up), so a broken file fails the start."""
    for code in SUPPORTED_LANGUAGES:
        translations(code)


@lru_cache(maxsize=256)
def _formatting_locale(code: str, region: str | None) -> str:
    if region:
        candidate = f"{code}_{region.upper()}"
        if localedata.exists(candidate):
            return candidate
    return code


def language(code: str | None, region: str | None = None) -> Language:
    """The `Language` for a supported code (else English), formatted for ``region``
    (ISO 3166 alpha-2) when Babel knows that combination: ``language("en", "IN")`` formats
    like ``en_IN``."""
    code = code if code in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    locale = _formatting_locale(code, region)
    direction = Locale.parse(locale).text_direction
    return Language(code, locale, direction, translations(code))


def parse_accept_language(header: str | None) -> tuple[str, str | None] | None:
    """The best supported ``(language, region)`` of an ``Accept-Language`` header
    (RFC 9110 §12.5.4: tags weighted by ``q``, ``q=0`` refused), or None."""
    if not header:
        return None
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        if tag and q > 0:
            weighted.append((-q, index, tag.strip()))
    for _q, _i, tag in sorted(weighted):
        pieces = tag.replace("_", "-").split("-")
        primary = pieces[0].lower()
        if primary in SUPPORTED_LANGUAGES:
            region = next((p for p in pieces[1:] if len(p) == 2 and p.isalpha()), None)
            return primary, region.upper() if region else None
    return None
