"""The raw measures of a photograph, each from a published method (NumPy, SciPy, scikit-image).

Every function takes NumPy arrays and returns plain floats; none knows about scores or grades
(`grading.py` turns these values into sub-scores). Conventions: ``luma`` is a 2-D float array
of Rec. 601 luma in [0, 1] (what Pillow's ``convert("L")`` computes, divided by 255); ``rgb``
is an ``(h, w, 3)`` ``uint8`` array in sRGB.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage
from skimage.color import deltaE_cie76, rgb2lab
from skimage.measure import blur_effect as _blur_effect
from skimage.restoration import estimate_sigma

FloatArray = NDArray[np.floating]

# CIE 1976 colour difference (ΔE*ab) under which two colours count as "the same background".
# A just-noticeable difference is about 2.3 (Sharma, "Digital Color Imaging Handbook", 2003,
# ch. 1); 10 is about four of them, enough for the shading of a sheet or a wall.
BACKGROUND_DELTA_E = 10.0
BORDER_FRACTION = 0.04  # the outer 4 % of each side is the border ring read as background
# A dark background (L* <= 50: black cloth, a night sky, a vignette) is plain when 60 % of the
# border ring has its colour; a light one must be a seamless backdrop, 90 % of the ring, and
# must surround its subject (the subject box at most 90 % of the frame). Otherwise a light
# "background" is taken for a blown-out sky or wall, whose clipped highlights count: sensors
# clip highlights hard, while deep shadows are usually meant.
DARK_PLAIN_SHARE = 0.6
LIGHT_PLAIN_SHARE = 0.9
LIGHT_L_STAR = 50.0
SURROUNDED_AREA = 0.9
# Wang, Sheikh & Bovik (2002), eq. 5: constants fitted to subjective scores of JPEG images.
_WSB_ALPHA, _WSB_BETA = -245.9, 261.9
_WSB_GAMMA = (-0.0240, 0.0160, 0.0064)


def blur_effect(luma: FloatArray) -> float:
    """Strength of blur, 0 (sharp) to 1 (fully blurred): scikit-image's
    ``skimage.measure.blur_effect`` with its default 11-pixel re-blurring filter.

    Source: F. Crété-Roffet, T. Dolmière, P. Ladret and M. Nicolas, "The blur effect:
    perception and estimation with a new no-reference perceptual blur metric", Proc. SPIE
    6492, Human Vision and Electronic Imaging XII (2007). The image is re-blurred and the
    loss of neighbour differences measured; a sharp image loses much, a blurred one little.
    """
    return float(_blur_effect(luma))


def noise_sigma(luma: FloatArray) -> float:
    """Standard deviation of the Gaussian noise, in units of the [0, 1] luma range:
    ``skimage.restoration.estimate_sigma``, the median absolute deviation of the finest
    diagonal wavelet (Daubechies 2) coefficients divided by 0.6745.

    Source: D. L. Donoho and I. M. Johnstone, "Ideal spatial adaptation by wavelet
    shrinkage", Biometrika 81(3):425-455 (1994), section 4.2.

    A flat image has no non-zero detail coefficient, where scikit-image answers NaN (the
    median of nothing): no measurable noise, so 0.0.
    """
    sigma = float(estimate_sigma(luma))
    return sigma if math.isfinite(sigma) else 0.0


def jpeg_quality_score(luma: FloatArray) -> float:
    """No-reference JPEG quality on the 1-10 scale of the method's subjective scores (10 is
    best): blockiness across the 8 x 8 block grid against activity inside the blocks.

    Source: Z. Wang, H. R. Sheikh and A. C. Bovik, "No-reference perceptual quality
    assessment of JPEG compressed images", Proc. IEEE ICIP 2002, vol. I, pp. 477-480,
    eqs. 1-5 with their published constants (alpha = -245.9, beta = 261.9, gamma1 = -0.0240,
    gamma2 = 0.0160, gamma3 = 0.0064). ``luma`` must start on the block grid (crop at
    multiples of 8); values are scaled to 0-255 as in the paper. No library implements this
    measure, hence this function.
    """
    image = np.asarray(luma, dtype=np.float64) * 255.0
    features = [_wsb_features(image), _wsb_features(image.T)]
    # A flat block interior (a = 0) or no zero crossing (z = 0) is the extreme of blocking.
    b, a, z = (max(float(np.mean([f[i] for f in features])), 1e-6) for i in range(3))
    g1, g2, g3 = _WSB_GAMMA
    return float(_WSB_ALPHA + _WSB_BETA * b**g1 * a**g2 * z**g3)


def _wsb_features(image: NDArray[np.float64]) -> tuple[float, float, float]:
    """Blockiness B, activity A and zero-crossing rate Z along rows (Wang et al., eqs. 1-3)."""
    width = image.shape[1]
    d = np.diff(image, axis=1)  # d(m, n) = x(m, n + 1) - x(m, n)
    if width < 16:
        return 0.0, float(np.mean(np.abs(d))) if d.size else 0.0, 0.0
    boundary = d[:, 7::8]  # differences across the block edges (columns 8j - 1 | 8j)
    b = float(np.mean(np.abs(boundary)))
    a = (8.0 * float(np.mean(np.abs(d))) - b) / 7.0
    signs = np.sign(d)
    z = float(np.mean(signs[:, :-1] * signs[:, 1:] < 0))
    return b, max(a, 0.0), z


def colourfulness(rgb: NDArray[np.uint8], mask: NDArray[np.bool_] | None = None) -> float:
    """Colourfulness M on the 0-255 scale: 0 for grey, about 33 "moderately colourful",
    about 59 "quite colourful", above 82 "highly colourful".

    Source: D. Hasler and S. Süsstrunk, "Measuring colourfulness in natural images", Proc.
    SPIE 5007, Human Vision and Electronic Imaging VIII (2003), eq. for M^(3) with the
    opponent channels rg = R - G and yb = (R + G) / 2 - B:
    M = sqrt(sd(rg)^2 + sd(yb)^2) + 0.3 * sqrt(mean(rg)^2 + mean(yb)^2).
    Only the pixels where ``mask`` is true count, when it is given.
    """
    pixels = rgb.reshape(-1, 3).astype(np.float64)
    if mask is not None:
        pixels = pixels[mask.reshape(-1)]
    if pixels.size == 0:
        return 0.0
    r, g, b = pixels[:, 0], pixels[:, 1], pixels[:, 2]
    rg, yb = r - g, 0.5 * (r + g) - b
    spread = np.hypot(rg.std(), yb.std())
    mean = np.hypot(rg.mean(), yb.mean())
    return float(spread + 0.3 * mean)


def exposure_ev(luma: FloatArray, mask: NDArray[np.bool_] | None = None) -> float:
    """How many stops (EV) the mean light of the photo lies above (+) or below (-) mid-grey.

    Luma is linearised with the sRGB transfer function (IEC 61966-2-1), averaged (over
    ``mask`` when given) as an averaging light meter does, and compared with 18 % reflectance,
    the mid-grey meters are calibrated to (ISO 2720; the Kodak grey card): log2 of the ratio
    is the difference in stops. Doubling the light adds exactly one stop until pixels clip.
    """
    values = luma[mask] if mask is not None else luma.reshape(-1)
    if values.size == 0:
        return 0.0
    linear = np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)
    return float(np.log2(max(float(linear.mean()), 1e-5) / 0.18))


def clipped_fractions(
    luma: FloatArray, mask: NDArray[np.bool_] | None = None
) -> tuple[float, float]:
    """Fractions of pixels blown to white (luma >= 250/255) and crushed to black
    (luma <= 5/255), among the pixels where ``mask`` is true when it is given."""
    values = luma[mask] if mask is not None else luma.reshape(-1)
    if values.size == 0:
        return 0.0, 0.0
    return float(np.mean(values >= 250 / 255)), float(np.mean(values <= 5 / 255))


def rms_contrast(luma: FloatArray, mask: NDArray[np.bool_] | None = None) -> float:
    """RMS contrast: the standard deviation of luma in [0, 1] (E. Peli, "Contrast in complex
    images", J. Opt. Soc. Am. A 7(10):2032-2040, 1990), over ``mask`` when given."""
    values = luma[mask] if mask is not None else luma.reshape(-1)
    return float(values.std()) if values.size else 0.0


@dataclass(frozen=True)
class Subject:
    """Where the photographed object is, found against a plain background.

    ``plain_background`` is false for a busy scene, where the subject is taken to be the
    whole frame. ``fill`` is the larger of the subject box's width and height as a fraction
    of the frame's (1.0 for a busy scene). ``mask`` marks subject pixels of the analysed
    image; ``box`` is (top, left, bottom, right) as fractions of the frame.
    """

    plain_background: bool
    fill: float
    mask: NDArray[np.bool_]
    box: tuple[float, float, float, float]


def find_subject(rgb: NDArray[np.uint8]) -> Subject:
    """Separate the subject from a plain background, if the photo has one.

    The background colour is the median CIELAB colour of the border ring (the outer 4 % of
    each side). It is plain when enough of the ring lies within ΔE*ab 10 of it (CIE 1976
    difference, ``skimage.color.deltaE_cie76``): 60 % for a dark background, 90 % for a light
    one, which must also leave a margin around the subject (see ``LIGHT_PLAIN_SHARE``).
    Subject pixels are those farther than ΔE 10 from it, cleaned by a 3 x 3 binary opening
    (``scipy.ndimage``); the box spans the 0.5-99.5 % quantiles of their coordinates, so
    stray specks do not widen it.
    """
    height, width = rgb.shape[:2]
    whole = np.ones((height, width), dtype=bool)
    lab = rgb2lab(rgb)
    ring = max(1, round(BORDER_FRACTION * min(height, width)))
    border = np.concatenate(
        [
            lab[:ring].reshape(-1, 3),
            lab[-ring:].reshape(-1, 3),
            lab[:, :ring].reshape(-1, 3),
            lab[:, -ring:].reshape(-1, 3),
        ]
    )
    background = np.median(border, axis=0)
    light = background[0] > LIGHT_L_STAR
    share = np.mean(deltaE_cie76(border, background) <= BACKGROUND_DELTA_E)
    if share < (LIGHT_PLAIN_SHARE if light else DARK_PLAIN_SHARE):
        return Subject(False, 1.0, whole, (0.0, 0.0, 1.0, 1.0))
    mask = ndimage.binary_opening(
        deltaE_cie76(lab, background) > BACKGROUND_DELTA_E, structure=np.ones((3, 3))
    )
    rows, cols = np.nonzero(mask)
    if rows.size == 0:
        return Subject(True, 0.0, mask, (0.5, 0.5, 0.5, 0.5))
    top, bottom = np.quantile(rows, [0.005, 0.995])
    left, right = np.quantile(cols, [0.005, 0.995])
    box = (top / height, left / width, (bottom + 1) / height, (right + 1) / width)
    spans = (min(box[2] - box[0], 1.0), min(box[3] - box[1], 1.0))
    if light and spans[0] * spans[1] > SURROUNDED_AREA:
        return Subject(False, 1.0, whole, (0.0, 0.0, 1.0, 1.0))
    return Subject(True, float(max(spans)), mask, tuple(float(v) for v in box))  # type: ignore[arg-type]
