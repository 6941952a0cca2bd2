"""Grading real photographs: the score falls as each controlled degradation grows, and each
measure responds to what it measures."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image
from scipy.stats import spearmanr

from haat.catalog.images import process_image
from haat.quality import measures
from haat.quality.grading import (
    UNITS,
    WEIGHTS,
    Decay,
    Grade,
    grade_for,
    grade_image,
    grade_image_bytes,
)
from tests.quality.photos import DEGRADATIONS, degraded, load


def stored_grade(upload: bytes) -> float:
    """The score of an upload as the API grades it: on the stored 1200 px JPEG."""
    stored = process_image(upload, max_bytes=64 << 20, max_pixels=50_000_000)
    return grade_image_bytes(stored.data).score


@pytest.mark.parametrize("kind", [d.kind for d in DEGRADATIONS])
@pytest.mark.parametrize("photo", ["coffee", "motorcycle", "camera"])
def test_the_score_falls_as_the_degradation_grows(photo: str, kind: str) -> None:
    scores = [stored_grade(degraded(photo, kind, severity)) for severity in range(5)]
    assert all(
        later <= earlier + 0.005 for earlier, later in zip(scores, scores[1:], strict=False)
    ), scores
    assert spearmanr(range(5), scores).statistic <= -0.85, scores
    assert scores[4] < scores[0] - 0.3, scores
    assert grade_for(scores[4]) in (Grade.C, Grade.RETAKE), scores


def test_an_assessment_has_every_factor_with_its_value_and_sub_score() -> None:
    assessment = grade_image_bytes(degraded("coffee", "blur", 0))
    assert [f.name for f in assessment.factors] == list(WEIGHTS)
    assert sum(f.weight for f in assessment.factors) == pytest.approx(1.0)
    for factor in assessment.factors:
        assert factor.unit == UNITS[factor.name]
        assert 0.0 < factor.score <= 1.0
    assert 0.0 <= assessment.score <= 1.0
    assert assessment.grade == grade_for(assessment.score)
    assert (assessment.width, assessment.height) == (600, 400)


def test_grade_thresholds() -> None:
    assert grade_for(1.0) == grade_for(0.8) == Grade.A
    assert grade_for(0.7999) == grade_for(0.6) == Grade.B
    assert grade_for(0.5999) == grade_for(0.4) == Grade.C
    assert grade_for(0.3999) == grade_for(0.0) == Grade.RETAKE


def test_decay_halves_at_every_step_and_keeps_its_floor() -> None:
    worse_up = Decay(good=1.0, halving=0.5)
    assert worse_up(0.2) == worse_up(1.0) == 1.0
    assert worse_up(1.5) == pytest.approx(0.5)
    assert worse_up(2.0) == pytest.approx(0.25)
    assert worse_up(50.0) == 0.01
    worse_down = Decay(good=0.15, halving=-0.04, floor=0.35)
    assert worse_down(0.11) == pytest.approx(0.5)
    assert worse_down(0.0) == 0.35


def test_each_advice_names_the_weakest_factor_first() -> None:
    blurred = grade_image_bytes(degraded("coffee", "blur", 4))
    assert blurred.advice[0] == "blurry" and blurred.grade == Grade.RETAKE
    dark = grade_image_bytes(degraded("motorcycle", "underexposure", 4))
    assert dark.advice[0] == "too_dark"
    small = grade_image_bytes(degraded("coffee", "downscale", 4))
    assert small.advice[0] == "too_small"
    noisy = grade_image_bytes(degraded("coffee", "noise", 4))
    assert noisy.advice[0] == "noisy"
    blocky = grade_image_bytes(degraded("coffee", "jpeg", 4))
    assert blocky.advice[0] == "over_compressed"


def _on_white(rgb: np.ndarray, share: float, side: int = 1000) -> Image.Image:
    """The photo scaled to ``share`` of a white square canvas, centred: a product shot."""
    photo = Image.fromarray(rgb)
    scale = share * side / max(photo.size)
    photo = photo.resize((round(photo.width * scale), round(photo.height * scale)))
    canvas = Image.new("RGB", (side, side), (255, 255, 255))
    canvas.paste(photo, ((side - photo.width) // 2, (side - photo.height) // 2))
    return canvas


def test_a_white_backdrop_is_not_clipping_and_the_subject_fill_is_measured() -> None:
    small = grade_image(_on_white(load("coffee"), 0.3))
    factors = {f.name: f for f in small.factors}
    assert factors["subject_fill"].value == pytest.approx(0.3, abs=0.03)
    assert "subject_small" in small.advice
    assert factors["highlight_clipping"].score == 1.0  # the white backdrop is not blown light
    framed = grade_image(_on_white(load("coffee"), 0.9))
    factors = {f.name: f for f in framed.factors}
    assert factors["subject_fill"].value >= 0.85 and factors["subject_fill"].score == 1.0
    assert "subject_small" not in framed.advice and framed.score > small.score


def test_a_blank_photo_has_no_subject() -> None:
    blank = grade_image(Image.new("RGB", (1000, 800), (128, 128, 128)))
    assert blank.advice == ("subject_missing",) and blank.grade == Grade.RETAKE
    assert {f.name: f.value for f in blank.factors}["subject_fill"] == 0.0


def test_transparent_pixels_are_graded_on_white() -> None:
    rgba = Image.fromarray(load("coffee")).convert("RGBA")
    rgba.putalpha(0)
    buffer = io.BytesIO()
    rgba.save(buffer, "PNG")
    graded = grade_image_bytes(buffer.getvalue())
    assert {f.name: f.value for f in graded.factors}["exposure"] > 2  # all white
    assert graded.advice == ("subject_missing",)


def test_the_measures_respond_to_what_they_measure() -> None:
    grey = np.asarray(Image.fromarray(load("camera")).convert("L"), dtype=np.float64) / 255
    rng = np.random.default_rng(1)
    assert measures.noise_sigma(grey + rng.normal(0, 0.05, grey.shape)) == pytest.approx(
        0.05, abs=0.006
    )
    from scipy import ndimage

    blurred = [measures.blur_effect(ndimage.gaussian_filter(grey, s)) for s in (0, 1, 2, 4)]
    assert blurred == sorted(blurred)
    assert measures.exposure_ev(np.full((8, 8), 0.4613)) == pytest.approx(0.0, abs=0.01)
    assert measures.exposure_ev(np.full((8, 8), 0.2348)) == pytest.approx(-2.0, abs=0.01)
    assert measures.colourfulness(np.stack([grey * 255] * 3, -1).astype(np.uint8)) == 0.0
    assert measures.colourfulness(load("astronaut")) > 59  # "quite colourful" or more
    jpeg = []
    for quality in (90, 30, 10):
        buffer = io.BytesIO()
        Image.fromarray(load("camera")).save(buffer, "JPEG", quality=quality)
        decoded = np.asarray(Image.open(buffer).convert("L"), dtype=np.float64) / 255
        jpeg.append(measures.jpeg_quality_score(decoded))
    assert jpeg == sorted(jpeg, reverse=True)


def test_a_flat_colour_jpeg_gets_a_finite_score() -> None:
    """A one-colour JPEG has no wavelet detail at all (scikit-image's noise estimate is NaN
    there); it must still get a number, and the advice to retake it."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(buffer, "JPEG")
    stored = process_image(buffer.getvalue(), max_bytes=2**24, max_pixels=50_000_000)
    graded = grade_image_bytes(stored.data)
    assert math.isfinite(graded.score) and graded.grade == Grade.RETAKE
    assert {f.name: f.value for f in graded.factors}["noise"] == 0.0
