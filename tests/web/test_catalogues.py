"""The translation catalogues: complete, not fuzzy, placeholders intact, up to date with the
strings in the code and templates, and the formatting rules of each locale."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from haat.core.i18n import SUPPORTED_LANGUAGES
from haat.web import i18n

ROOT = Path(__file__).resolve().parents[2]
POT = i18n.LOCALES_DIR / "messages.pot"
TRANSLATED = [code for code in SUPPORTED_LANGUAGES if code != "en"]


def _catalog(code: str):  # type: ignore[no-untyped-def]
    with i18n.po_path(code).open("rb") as fh:
        return read_po(fh, locale=code)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_is_translated_and_not_fuzzy(code: str) -> None:
    catalog = _catalog(code)
    with POT.open("rb") as fh:
        template = read_po(fh)
    wanted = {m.id for m in template if m.id}
    have = {m.id for m in catalog if m.id}
    assert wanted - have == set(), f"{code}: strings missing from the catalogue"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            problems.append(message.id)
    assert problems == [], f"{code}: untranslated or fuzzy: {problems}"
    if isinstance(catalog.num_plurals, int):
        for message in catalog:
            if message.pluralizable:
                assert len(message.string) == catalog.num_plurals, message.id


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_survive_translation(code: str) -> None:
    """Babel's checkers: the same python-format placeholders in every translation."""
    errors = [(m.id, [str(e) for e in errs]) for m, errs in _catalog(code).check() if errs]
    assert errors == []


def test_template_is_up_to_date(tmp_path: Path) -> None:
    """Re-extracting gives the committed messages.pot: no string in the code or templates
    escapes the catalogues (run `make messages` after changing UI text)."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "--sort-output",
            "-k",
            "viewer.gettext",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )

    def ids(path: Path) -> set[object]:
        with path.open("rb") as fh:
            return {m.id for m in read_po(fh) if m.id}

    assert ids(fresh) == ids(POT)


def test_languages_and_directions() -> None:
    assert i18n.language("ks").direction == "rtl"
    assert i18n.language("ks").html_lang == "ks-Arab"
    assert i18n.language("hi").direction == "ltr"
    assert i18n.language("xx").code == "en"
    assert i18n.language("en", "IN").locale == "en_IN"
    assert i18n.language("de", "ZZ").locale == "de"


def test_compiled_catalogue_translates() -> None:
    assert i18n.translations("hi").gettext("Search products") == "उत्पाद खोजें"
    assert i18n.translations("en").gettext("Search products") == "Search products"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("hi-IN,hi;q=0.9,en;q=0.8", ("hi", "IN")),
        ("en-IN", ("en", "IN")),
        ("fr-CH, fr;q=0.9, en;q=0.8", ("fr", "CH")),
        ("xx, de;q=0.5", ("de", None)),
        ("ja;q=0, es;q=0.1", ("es", None)),
        ("pt-BR", None),
        ("", None),
        ("en;q=abc", None),
    ],
)
def test_accept_language(header: str, expected: tuple[str, str | None] | None) -> None:
    assert i18n.parse_accept_language(header) == expected


def test_money_numbers_and_dates_per_locale() -> None:
    from haat.web import formatting

    def fmt(code: str, region: str | None = None) -> dict[str, object]:
        return {"lang": i18n.language(code, region)}

    assert formatting.money(fmt("en", "IN"), 15_000_000, "INR") == "₹1,50,000.00"
    assert formatting.money(fmt("hi"), 15_000_000, "INR") == "₹1,50,000.00"
    assert formatting.money(fmt("en"), 15_000_000, "INR") == "₹150,000.00"
    assert formatting.money(fmt("de"), 15_000_000, "INR") == "150.000,00\xa0₹"
    assert formatting.money(fmt("ja"), 1500, "JPY") == "￥1,500"
    assert formatting.number(fmt("hi"), 150000) == "1,50,000"
    assert formatting.day(fmt("de"), date(2026, 12, 1)) == "01.12.2026"
    assert formatting.money(fmt("en"), None, "INR") == ""
    assert formatting.percent_bp(fmt("en"), 1800) == "18%"
