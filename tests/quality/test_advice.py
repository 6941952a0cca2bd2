"""Advice texts: every code in the nine languages, and no English left in the others."""

from __future__ import annotations

import re

import pytest

from haat.core.i18n import SUPPORTED_LANGUAGES
from haat.quality.advice import ADVICE, advice_text
from haat.quality.grading import WEIGHTS, Factor, advice_codes

# English words of the advice texts that are not also words of Spanish, German or French.
ENGLISH_WORDS = {
    "the", "and", "your", "with", "from", "near", "window", "daylight", "shoot", "hold",
    "steady", "phone", "tap", "focus", "light", "more", "too", "dark", "bright", "blurry",
    "small", "upload", "camera's", "least", "long", "side", "move", "out",
    "sun", "turn", "down", "parts", "pure", "white", "black", "avoid", "soft", "add",
    "front", "bounce", "card", "looks", "flat", "hazy", "wipe", "lens", "place", "product",
    "background", "different", "tone", "grainy", "does", "boost", "its", "sensitivity",
    "blocky", "send", "file", "not", "copy", "forwarded", "through", "chat",
    "app", "colours", "dull", "away", "coloured", "yellow", "lamps", "frame", "closer", "crop",
    "fills", "most", "nothing", "stands", "check", "that", "graded", "yet", "again", "ask",
    "detail", "has", "have",
}  # fmt: skip
LATIN_SCRIPT = {"es", "de", "fr"}


def test_every_code_has_a_text_in_every_language() -> None:
    for code, texts in ADVICE.items():
        assert set(texts) == set(SUPPORTED_LANGUAGES), code
        assert all(text.strip() for text in texts.values()), code
        assert len(set(texts.values())) == len(texts), f"{code}: a text is repeated"


def test_every_code_the_grading_gives_has_advice() -> None:
    dark = tuple(Factor(name, -2.0, "", 0.05, w) for name, w in WEIGHTS.items())
    bright = tuple(Factor(name, 2.0, "", 0.05, w) for name, w in WEIGHTS.items())
    blank = tuple(Factor(name, 0.0, "", 0.05, w) for name, w in WEIGHTS.items())
    assert advice_codes(blank) == ("subject_missing",)
    codes = set(advice_codes(dark)) | set(advice_codes(bright)) | {"subject_missing", "not_graded"}
    assert codes == set(ADVICE)


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
def test_no_english_is_left_in_other_languages(language: str) -> None:
    for code, texts in ADVICE.items():
        text = texts[language]
        assert text != texts["en"], (code, language)
        if language in LATIN_SCRIPT:
            words = set(re.findall(r"[\w']+", text.lower()))
            assert not words & ENGLISH_WORDS, (code, language, words & ENGLISH_WORDS)
        else:
            assert not re.search(r"[A-Za-z]", text), (code, language, text)


def test_unknown_languages_fall_back_to_english() -> None:
    assert (
        advice_text("too_dark", "xx")
        == advice_text("too_dark", None)
        == ("too dark: shoot near a window in daylight")
    )
    assert advice_text("too_dark", "hi") == ADVICE["too_dark"]["hi"]
    with pytest.raises(KeyError):
        advice_text("no_such_advice", "en")
