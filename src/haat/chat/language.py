"""Detecting which of Haat's nine languages a message is written in, offline, with Lingua
(`lingua-language-detector`: n-gram models that ship inside the package).

The detector knows only the languages Haat supports, so it never answers with a tenth one.
Lingua has no Kashmiri model; of the nine languages only Kashmiri is written in Perso-Arabic
script, so Lingua's Urdu model stands for it (both share that script and much vocabulary).
"""

from __future__ import annotations

import threading
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# Haat code -> Lingua language. Urdu stands for Kashmiri (see the module's docstring).
_LANGUAGES: dict[str, Language] = {
    "en": Language.ENGLISH,
    "hi": Language.HINDI,
    "es": Language.SPANISH,
    "bn": Language.BENGALI,
    "ks": Language.URDU,
    "ta": Language.TAMIL,
    "de": Language.GERMAN,
    "fr": Language.FRENCH,
    "ja": Language.JAPANESE,
}
_CODES = {language: code for code, language in _LANGUAGES.items()}
# Below this confidence (0..1) among the nine, the language is left undecided.
MIN_CONFIDENCE = 0.5
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    with _lock:
        return (
            LanguageDetectorBuilder.from_languages(*_LANGUAGES.values())
            .with_preloaded_language_models()
            .build()
        )


def warm_up() -> None:
    """Load the models now (about 0.5 s, ~100 MB); otherwise the first detection does it.
    Blocking: call it from a worker thread."""
    _detector()


def detect_language(text: str) -> str | None:
    """The Haat language code of ``text`` ("en", "hi", ..., "ja"), or None when the text has
    no letters or no language reaches a confidence of 0.5. Takes well under a millisecond for
    a chat message once the models are loaded."""
    if not any(ch.isalpha() for ch in text):
        return None
    detector = _detector()
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return _CODES.get(values[0].language)
