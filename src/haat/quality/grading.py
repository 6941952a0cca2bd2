"""Photo quality grading: a score in [0, 1], a grade and the factors behind it.

This grades the *photograph* (its size, focus, light, noise, compression, colour and
framing), never the craftsmanship of what it shows. It runs offline on every upload, on the
stored image (longest side at most 1200 px, as buyers see it), in tens of milliseconds.

Each factor is a raw measure from `measures.py` mapped to a sub-score in [0, 1]: 1 up to a
"good" value, then halved at every fixed step beyond it (`Decay`). The score is the weighted
harmonic mean of the sub-scores: one bad factor (a blurred or black photo) pulls the score
down far more than an arithmetic mean would, as a buyer's eye does, while small flaws cost
little (this aggregation and the weights are this module's design, not a published model).
Anchors come from published guidance where there is some (cited at each constant); the others
(blur, noise, contrast, JPEG) were set on the calibration half of the benchmark photos
(`bench/photo_set.py`, fold A) and are reported on the other half too (`bench/RESULTS.md`).

Grades: A >= 0.8, B >= 0.6, C >= 0.4, otherwise "retake".
"""

from __future__ import annotations

import enum
import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from haat.quality import measures

MODEL_VERSION = "photo-quality-1"

# Square window (px) of the stored image on which the pixel-level measures (blur, noise,
# JPEG blocking) run, centred on the subject: it keeps a 1200 px photo within the time
# budget and judges focus where the product is, not on a deliberately soft background.
DETAIL_WINDOW = 384
# The colour and framing measures run on a box-filtered copy at most this many px long.
OVERVIEW_SIDE = 160
ADVICE_BELOW = 0.7  # a factor whose sub-score is below this gets its advice
SUBJECT_MIN_SHARE = 0.02  # a subject smaller than 2 % of the frame is judged with the frame
_FLOOR = 0.01  # lowest sub-score, so that the harmonic mean stays defined


class Grade(enum.StrEnum):
    A = "A"
    B = "B"
    C = "C"
    RETAKE = "retake"


GRADE_THRESHOLDS: tuple[tuple[Grade, float], ...] = (
    (Grade.A, 0.8),
    (Grade.B, 0.6),
    (Grade.C, 0.4),
)
GRADE_RANK = {Grade.RETAKE: 0, Grade.C: 1, Grade.B: 2, Grade.A: 3}


def grade_for(score: float) -> Grade:
    """The letter for a score in [0, 1]: A >= 0.8, B >= 0.6, C >= 0.4, else retake."""
    for grade, threshold in GRADE_THRESHOLDS:
        if score >= threshold:
            return grade
    return Grade.RETAKE


@dataclass(frozen=True)
class Decay:
    """A sub-score of 1 up to the ``good`` value, then halved at every ``halving`` beyond it
    (a negative ``halving`` for measures where lower is worse), never below ``floor``:
    ``2 ** -((value - good) / halving)``. A factor that spoils a photo keeps the lowest floor;
    one that only makes it less attractive (contrast, framing) a higher one, so that it
    cannot sink a photo alone."""

    good: float
    halving: float
    floor: float = _FLOOR

    def __call__(self, value: float) -> float:
        steps = max((value - self.good) / self.halving, 0.0)
        return float(max(2.0**-steps, self.floor))


# --- anchors -------------------------------------------------------------------------------
# Resolution: the pixel count against a 1000 px longest side, (side / 1000) ** 2. 1000 px is
# the size from which Amazon enables zoom; 500 px, eBay's minimum for listing photos, keeps
# a quarter (Amazon Seller Central "Product image requirements"; eBay "Picture policy").
RESOLUTION_GOOD_PX = 1000
# Sharpness: a blur_effect up to 0.40 is what the sharp calibration photos measure (their
# range was 0.23-0.40); every 0.08 more halves the sub-score (fold A).
SHARPNESS = Decay(good=0.40, halving=0.08)
# Exposure: within 1 EV of mid-grey is a matter of taste; each further half stop halves
# (a choice, checked on fold A).
EXPOSURE_TOLERANCE_EV = 1.0
EXPOSURE = Decay(good=EXPOSURE_TOLERANCE_EV, halving=0.5)
# Clipping: up to 2 % of the subject blown or crushed (glints, a black pupil) is normal;
# every 5 % more halves (a choice, checked on fold A).
CLIPPING = Decay(good=0.02, halving=0.05)
# Contrast: RMS contrast 0.15 is a well-lit subject; every 0.04 less halves, down to 0.35 (fold A).
CONTRAST = Decay(good=0.15, halving=-0.04, floor=0.35)
# Noise: sigma of 1.5/255 is a clean photo; every 3/255 more halves (fold A).
NOISE = Decay(good=1.5 / 255, halving=3 / 255)
# JPEG: a Wang-Sheikh-Bovik score of 8.5 (of 10) shows no blocks; every point less halves (fold A).
COMPRESSION = Decay(good=8.5, halving=-1.0)
# Colourfulness: Hasler-Süsstrunk's "moderately colourful" (M = 33) scores 1; a grey photo
# keeps 0.5, since grey and white products exist.
COLOURFULNESS_ONE = 33.0
COLOURFULNESS_GREY = 0.5
# Subject fill: Amazon asks the product to fill 85 % of the frame; every 15 % less halves,
# down to 0.3.
SUBJECT_FILL = Decay(good=0.85, halving=-0.15, floor=0.3)

WEIGHTS: dict[str, float] = {
    "resolution": 0.16,
    "sharpness": 0.18,
    "exposure": 0.14,
    "highlight_clipping": 0.06,
    "shadow_clipping": 0.05,
    "contrast": 0.07,
    "noise": 0.12,
    "compression": 0.12,
    "colourfulness": 0.03,
    "subject_fill": 0.07,
}
UNITS = {
    "resolution": "px",
    "sharpness": "blur_effect",
    "exposure": "EV",
    "highlight_clipping": "fraction",
    "shadow_clipping": "fraction",
    "contrast": "rms",
    "noise": "sigma",
    "compression": "wsb_score",
    "colourfulness": "hasler_susstrunk_m",
    "subject_fill": "fraction",
}


@dataclass(frozen=True)
class Factor:
    """One measured factor: ``value`` in ``unit``, its ``score`` in [0, 1] and ``weight``."""

    name: str
    value: float
    unit: str
    score: float
    weight: float


@dataclass(frozen=True)
class Assessment:
    """The grading of one photograph. ``advice`` holds advice codes (see `advice.py`), the
    factor most worth fixing first; ``width``/``height`` are the graded image's, in px."""

    score: float
    grade: Grade
    factors: tuple[Factor, ...]
    advice: tuple[str, ...]
    model_version: str
    width: int
    height: int


def grade_image_bytes(data: bytes) -> Assessment:
    """Grade an encoded image (the stored JPEG or WEBP; any format Pillow reads).

    Transparent pixels are laid on white, as a product page shows them. Raises Pillow's
    ``OSError``/``ValueError`` on data it cannot decode (the upload path has already
    checked it). CPU-bound (about 40 ms of CPU at 1200 px, `bench/RESULTS.md`): call it from
    a worker thread.
    """
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return grade_image(image)


def grade_image(image: Image.Image) -> Assessment:
    """Grade a decoded Pillow image of any mode (see `grade_image_bytes`)."""
    rgb = _flatten(image)
    width, height = rgb.size
    factor = max(1, -(-max(width, height) // OVERVIEW_SIDE))  # ceiling division
    overview = rgb.reduce(factor) if factor > 1 else rgb
    overview_rgb = np.asarray(overview)
    overview_luma = np.asarray(overview.convert("L"), dtype=np.float32) / 255.0
    subject = measures.find_subject(overview_rgb)
    mask = subject.mask if subject.mask.mean() >= SUBJECT_MIN_SHARE else None
    detail = _detail_window(np.asarray(rgb.convert("L"), dtype=np.float32) / 255.0, subject)

    highlights, shadows = measures.clipped_fractions(overview_luma, mask)
    raw = {
        "resolution": float(max(width, height)),
        "sharpness": measures.blur_effect(detail),
        "exposure": measures.exposure_ev(overview_luma, mask),
        "highlight_clipping": highlights,
        "shadow_clipping": shadows,
        "contrast": measures.rms_contrast(overview_luma, mask),
        "noise": measures.noise_sigma(detail),
        "compression": measures.jpeg_quality_score(detail),
        "colourfulness": measures.colourfulness(overview_rgb, mask),
        "subject_fill": subject.fill,
    }
    factors = tuple(
        Factor(name, round(value, 6), UNITS[name], round(_sub_score(name, value), 4), weight)
        for name, value in raw.items()
        for weight in (WEIGHTS[name],)
    )
    score = round(weighted_harmonic_mean(factors), 4)
    return Assessment(
        score=score,
        grade=grade_for(score),
        factors=factors,
        advice=advice_codes(factors),
        model_version=MODEL_VERSION,
        width=width,
        height=height,
    )


def _flatten(image: Image.Image) -> Image.Image:
    """An opaque "RGB" copy: transparency composited on white, grey or palette expanded."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode.startswith("I"):
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _detail_window(luma: NDArray[np.float32], subject: measures.Subject) -> NDArray[np.float32]:
    """The ``DETAIL_WINDOW``-square of ``luma`` centred on the subject box, its corner on
    the 8-px JPEG block grid (the whole image when smaller)."""
    height, width = luma.shape
    top, left, bottom, right = subject.box
    rows = _span(height, (top + bottom) / 2)
    cols = _span(width, (left + right) / 2)
    return luma[rows, cols]


def _span(length: int, centre: float) -> slice:
    if length <= DETAIL_WINDOW:
        return slice(0, length)
    start = round(centre * length - DETAIL_WINDOW / 2)
    start = min(max(start, 0), length - DETAIL_WINDOW) // 8 * 8
    return slice(start, start + DETAIL_WINDOW)


def _sub_score(name: str, value: float) -> float:
    if name == "resolution":
        return max(min((value / RESOLUTION_GOOD_PX) ** 2, 1.0), _FLOOR)
    if name == "exposure":
        return EXPOSURE(abs(value))
    if name in ("highlight_clipping", "shadow_clipping"):
        return CLIPPING(value)
    if name == "colourfulness":
        share = min(value / COLOURFULNESS_ONE, 1.0)
        return COLOURFULNESS_GREY + (1 - COLOURFULNESS_GREY) * share
    ramps = {
        "sharpness": SHARPNESS,
        "contrast": CONTRAST,
        "noise": NOISE,
        "compression": COMPRESSION,
        "subject_fill": SUBJECT_FILL,
    }
    return ramps[name](value)


def weighted_harmonic_mean(factors: tuple[Factor, ...]) -> float:
    """sum(w) / sum(w / s) over the factors' weights w and sub-scores s (each >= 0.01)."""
    total = sum(f.weight for f in factors)
    return total / sum(f.weight / max(f.score, _FLOOR) for f in factors)


def advice_codes(factors: tuple[Factor, ...]) -> tuple[str, ...]:
    """Advice codes for the factors scoring below ``ADVICE_BELOW``, the costliest first (by
    the factor's share of the harmonic mean's loss, w * (1/s - 1)). When nothing stands out
    from the background, that is the only advice: the other measures then describe a blank."""
    if any(f.name == "subject_fill" and f.value == 0 for f in factors):
        return ("subject_missing",)
    weak = sorted(
        (f for f in factors if f.score < ADVICE_BELOW),
        key=lambda f: f.weight * (1 / max(f.score, _FLOOR) - 1),
        reverse=True,
    )
    return tuple(_code(f) for f in weak)


def _code(factor: Factor) -> str:
    if factor.name == "exposure":
        return "too_dark" if factor.value < 0 else "too_bright"
    return {
        "resolution": "too_small",
        "sharpness": "blurry",
        "highlight_clipping": "highlights_clipped",
        "shadow_clipping": "shadows_clipped",
        "contrast": "low_contrast",
        "noise": "noisy",
        "compression": "over_compressed",
        "colourfulness": "dull_colours",
        "subject_fill": "subject_small",
    }[factor.name]
