"""A customer's khata statement as CSV (the ``csv`` module) or PDF (fpdf2).

CSV amounts are plain decimals in major units (``1234.50``, ``-200.00``), one row per entry
between an ``opening`` and a ``closing`` row; text that a spreadsheet would run as a formula
(starting with ``= + - @``) is prefixed with ``'``.

PDF text: fpdf2's core fonts only know Latin-1, so the PDF embeds DejaVu Sans when the system
has it (Debian's ``fonts-dejavu-core``; see `FONT_PATHS`), which covers Latin, Greek and
Cyrillic. Characters the font lacks, and scripts that need shaping which fpdf2 cannot do
without HarfBuzz (Devanagari, Bengali, Tamil, Perso-Arabic, ...), are transliterated to Latin
with ``text-unidecode`` (e.g. "राम" -> "raam"), and "?" where even that has nothing. Without
DejaVu the same rule applies against Latin-1 and Helvetica. A name never breaks the PDF.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel.numbers import format_currency, get_currency_precision
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from text_unidecode import unidecode

from haat.customers.schemas import StatementLine, StatementOut

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),  # Fedora
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),  # Arch
    Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"),
)
# Scripts that render wrongly without a shaping engine: Hebrew to Arabic Extended, the Indic
# blocks through Myanmar, and the Arabic presentation forms.
_SHAPED_RANGES = ((0x0590, 0x08FF), (0x0900, 0x109F), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "date",
    "entry_id",
    "kind",
    "method",
    "reference",
    "description",
    "amount",
    "balance",
    "currency",
)


def major(amount_minor: int, currency: str | None) -> str:
    """Minor units as a plain decimal string of major units (``123450`` INR -> ``1234.50``)."""
    digits = get_currency_precision(currency) if currency else 2
    return str(Decimal(amount_minor).scaleb(-digits))


def _cell_text(value: str | None) -> str:
    value = value or ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _details(line: StatementLine) -> str:
    parts = [line.method.value if line.method else "", line.reference or "", line.description]
    if line.reverses_id:
        parts.insert(0, f"reverses {str(line.reverses_id)[:8]}")
    return " · ".join(p for p in parts if p)


def download(statement: StatementOut, file_format: str) -> tuple[bytes, str, str]:
    """The statement as a file: ``(body, media type, file name)`` for ``csv`` or ``pdf``
    (the name is ``khata-<phone digits>-<last day>.<format>``)."""
    name = f"khata-{statement.customer.phone.lstrip('+')}-{statement.date_to.isoformat()}"
    if file_format == "csv":
        return render_csv(statement).encode(), "text/csv; charset=utf-8", f"{name}.csv"
    return render_pdf(statement), "application/pdf", f"{name}.pdf"


def render_csv(statement: StatementOut) -> str:
    """The statement as CSV text (UTF-8, header row, ``\\r\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    cur = statement.currency or ""
    opening_day = statement.date_from.isoformat() if statement.date_from else ""
    opening = major(statement.opening_balance_minor, statement.currency)
    writer.writerow([opening_day, "", "opening", "", "", "Opening balance", "", opening, cur])
    for line in statement.lines:
        writer.writerow(
            [
                line.occurred_on.isoformat(),
                str(line.entry_id),
                line.kind.value,
                line.method.value if line.method else "",
                _cell_text(line.reference),
                _cell_text(line.description),
                major(line.effect_minor, statement.currency),
                major(line.balance_minor, statement.currency),
                cur,
            ]
        )
    closing = major(statement.closing_balance_minor, statement.currency)
    last = statement.date_to.isoformat()
    writer.writerow([last, "", "closing", "", "", "Closing balance", "", closing, cur])
    return buffer.getvalue()


@lru_cache
def _unicode_font() -> tuple[str, frozenset[int]] | None:
    """The path of an installed DejaVu Sans and the code points it covers, or None."""
    from fontTools.ttLib import TTFont

    for path in FONT_PATHS:
        if path.is_file():
            with TTFont(str(path), lazy=True) as font:
                return str(path), frozenset(font.getBestCmap())
    return None


def _needs_shaping(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in _SHAPED_RANGES)


def printable(text: str, covered: frozenset[int] | None) -> str:
    """``text`` with every character the PDF font cannot draw as-is transliterated to Latin
    (``covered`` is the font's code points; None means Latin-1 core fonts)."""
    out: list[str] = []
    for ch in text:
        code, category = ord(ch), unicodedata.category(ch)
        if category.startswith("C"):  # controls, format marks
            continue
        ok = code < 256 if covered is None else code in covered and not _needs_shaping(code)
        if ok:
            out.append(ch)
            continue
        latin = unidecode(ch).replace("[?]", "")
        if latin.isascii() and latin.strip():
            out.append(latin)
        elif not category.startswith("M"):  # a sign such as a virama may vanish; a letter not
            out.append("?")
    return " ".join("".join(out).split())


class _StatementPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font_size(8)
        self.cell(0, 6, f"{self.page_no()}/{{nb}}", align="C")


def _money(amount_minor: int, currency: str | None) -> str:
    if not currency:
        return major(amount_minor, None)
    value = Decimal(amount_minor).scaleb(-get_currency_precision(currency))
    return format_currency(
        value, currency, locale="en_IN", format="#,##,##0.00", currency_digits=True
    )


def render_pdf(statement: StatementOut) -> bytes:
    """The statement as a one-table A4 PDF (bytes starting with ``%PDF``)."""
    font = _unicode_font()
    pdf = _StatementPdf(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    if font is not None:
        pdf.add_font("DejaVu", "", font[0])
        pdf.set_font("DejaVu", size=10)
        covered: frozenset[int] | None = font[1]
    else:
        pdf.set_font("Helvetica", size=10)
        covered = None

    def fit(value: str, limit: int = 200) -> str:
        value = printable(value, covered)
        return value if len(value) <= limit else value[: limit - 3] + "..."

    pdf.add_page()
    pdf.set_font_size(15)
    pdf.cell(0, 9, fit(f"Khata statement: {statement.business_name}"), new_y=YPos.NEXT)
    pdf.set_x(15)
    pdf.set_font_size(10)
    customer = statement.customer
    period = (
        f"{statement.date_from.isoformat() if statement.date_from else 'start'}"
        f" to {statement.date_to.isoformat()}"
    )
    for label, value in (
        ("Customer", f"{customer.name} ({customer.phone})"),
        ("Period", period),
        ("Currency", statement.currency or "-"),
    ):
        pdf.cell(0, 6, fit(f"{label}: {value}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    widths = (24, 24, 72, 30, 30)
    cur = statement.currency

    def row(cells: tuple[str, str, str, str, str], *, fill: bool = False) -> None:
        for i, (w, value) in enumerate(zip(widths, cells, strict=True)):
            last = i == len(widths) - 1
            pdf.cell(
                w,
                7,
                value,
                border=1,
                align="R" if i >= 3 else "L",
                fill=fill,
                new_x=XPos.LMARGIN if last else XPos.RIGHT,
                new_y=YPos.NEXT if last else YPos.TOP,
            )

    pdf.set_fill_color(230, 230, 230)
    row(("Date", "Kind", "Details", "Amount", "Balance"), fill=True)
    opening = _money(statement.opening_balance_minor, cur)
    row(("", "", "Opening balance", "", opening))
    for line in statement.lines:
        row(
            (
                line.occurred_on.isoformat(),
                line.kind.value,
                fit(_details(line), 40),
                _money(line.effect_minor, cur),
                _money(line.balance_minor, cur),
            )
        )
    row(("", "", "Closing balance", "", _money(statement.closing_balance_minor, cur)), fill=True)
    pdf.ln(4)
    pdf.set_font_size(8)
    pdf.multi_cell(
        0,
        4,
        "Balance = credits - payments + adjustments; positive means the customer owes.",
    )
    return bytes(pdf.output())
