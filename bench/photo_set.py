"""Real photographs that ship inside installed packages, and controlled degradations of them.

Used by `bench/photo_quality.py` (the figures of issue 6) and `tests/quality/` (the score
must fall as each degradation grows). Nothing is downloaded: every loader below reads a file
that the scikit-image or scikit-learn wheel carries (each loader's docstring gives its
source and licence). 18 photos are distinct; two more are crops of the two largest photos
(the centre of the retina photo, the left half of the Hubble deep field), said as such in
`bench/RESULTS.md`.

Fold A (even positions) is the calibration half on which the anchors without a published
value were set; fold B (odd positions) never was.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image
from scipy import ndimage

Rgb = NDArray[np.uint8]


@dataclass(frozen=True)
class Photo:
    name: str
    load: Callable[[], Rgb]
    source: str
    fold: str = ""


def _skimage(name: str) -> Callable[[], Rgb]:
    def load() -> Rgb:
        from skimage import data

        image = getattr(data, name)()
        if isinstance(image, tuple):  # stereo_motorcycle: (left, right, disparity)
            image = image[0]
        return _rgb(np.asarray(image))

    return load


def _sklearn(index: int) -> Callable[[], Rgb]:
    def load() -> Rgb:
        from sklearn.datasets import load_sample_images

        return _rgb(load_sample_images().images[index])

    return load


def _crop(load: Callable[[], Rgb], rows: slice, cols: slice) -> Callable[[], Rgb]:
    return lambda: np.ascontiguousarray(load()[rows, cols])


def _rgb(image: NDArray[np.generic]) -> Rgb:
    array = np.asarray(image)
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    return np.ascontiguousarray(array[..., :3].astype(np.uint8))


_SK = "scikit-image skimage.data"
_PHOTOS = [
    Photo("astronaut", _skimage("astronaut"), f"{_SK}.astronaut: NASA, public domain"),
    Photo("camera", _skimage("camera"), f"{_SK}.camera: grey, CC0 (Lav Varshney)"),
    Photo("chelsea", _skimage("chelsea"), f"{_SK}.chelsea: CC0, Stefan van der Walt"),
    Photo("coins", _skimage("coins"), f"{_SK}.coins: grey, Brooklyn Museum, no restrictions"),
    Photo("coffee", _skimage("coffee"), f"{_SK}.coffee: CC0, Rachel Michetti"),
    Photo("moon", _skimage("moon"), f"{_SK}.moon: grey, no licence stated in the docstring"),
    Photo("rocket", _skimage("rocket"), f"{_SK}.rocket: SpaceX, CC0"),
    Photo("page", _skimage("page"), f"{_SK}.page: grey photo of a printed page, no licence stated"),
    Photo("hubble", _skimage("hubble_deep_field"), f"{_SK}.hubble_deep_field: NASA, public domain"),
    Photo("grass", _skimage("grass"), f"{_SK}.grass: grey, CC0"),
    Photo(
        "ihc",
        _skimage("immunohistochemistry"),
        f"{_SK}.immunohistochemistry: CMMI, no restrictions",
    ),
    Photo("gravel", _skimage("gravel"), f"{_SK}.gravel: grey, CC0 (CC0Textures)"),
    Photo("retina", _skimage("retina"), f"{_SK}.retina: Wikimedia, CC0"),
    Photo("brick", _skimage("brick"), f"{_SK}.brick: grey, CC0 (CC0Textures)"),
    Photo(
        "motorcycle",
        _skimage("stereo_motorcycle"),
        f"{_SK}.stereo_motorcycle (left view): Middlebury 2014 stereo data set, no licence stated",
    ),
    Photo(
        "text",
        _skimage("text"),
        f"{_SK}.text: grey photo of handwriting, public domain (Wikipedia)",
    ),
    Photo("china", _sklearn(0), "scikit-learn load_sample_images china.jpg: CC BY 2.0, Flickr"),
    Photo("flower", _sklearn(1), "scikit-learn load_sample_images flower.jpg: CC BY 2.0, Flickr"),
    Photo(
        "retina-centre",
        _crop(_skimage("retina"), slice(355, 1055), slice(355, 1055)),
        "crop: the central 700 x 700 px of skimage.data.retina",
    ),
    Photo(
        "hubble-left",
        _crop(_skimage("hubble_deep_field"), slice(None), slice(0, 500)),
        "crop: the left 500 px of skimage.data.hubble_deep_field",
    ),
]
PHOTOS: tuple[Photo, ...] = tuple(
    Photo(p.name, p.load, p.source, "A" if i % 2 == 0 else "B") for i, p in enumerate(_PHOTOS)
)


# --- degradations: each maps an sRGB photo and a severity to the bytes a seller uploads ----


def _png(rgb: Rgb) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def _to_uint8(values: NDArray[np.floating]) -> Rgb:
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def gaussian_blur(rgb: Rgb, sigma_px: float) -> bytes:
    """Gaussian blur of ``sigma_px`` pixels on each channel (``scipy.ndimage``)."""
    blurred = ndimage.gaussian_filter(rgb.astype(np.float32), sigma=(sigma_px, sigma_px, 0))
    return _png(_to_uint8(blurred))


def gaussian_noise(rgb: Rgb, sigma_8bit: float, seed: int = 6) -> bytes:
    """Additive white Gaussian noise of standard deviation ``sigma_8bit`` (0-255 scale)."""
    rng = np.random.default_rng(seed)
    return _png(_to_uint8(rgb + rng.normal(0.0, sigma_8bit, rgb.shape)))


def exposure_shift(rgb: Rgb, stops: float) -> bytes:
    """Change the exposure by ``stops`` EV: multiply linear light by 2**stops (sRGB
    transfer function of IEC 61966-2-1 both ways), clipping at white."""
    value = rgb / 255.0
    linear = np.where(value <= 0.04045, value / 12.92, ((value + 0.055) / 1.055) ** 2.4)
    linear = np.clip(linear * 2.0**stops, 0.0, 1.0)
    encoded = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return _png(_to_uint8(encoded * 255.0))


def jpeg_quality(rgb: Rgb, quality: float) -> bytes:
    """The photo saved as a JPEG of ``quality`` (Pillow/libjpeg scale 1-95)."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=int(quality))
    return buffer.getvalue()


def downscale(rgb: Rgb, factor: float) -> bytes:
    """The photo shrunk ``factor`` times in each direction (Lanczos), as a small upload."""
    image = Image.fromarray(rgb)
    size = (max(1, round(image.width / factor)), max(1, round(image.height / factor)))
    return _png(np.asarray(image.resize(size, Image.Resampling.LANCZOS)))


@dataclass(frozen=True)
class Degradation:
    kind: str
    apply: Callable[[Rgb, float], bytes]
    severities: tuple[float, ...]  # severity 1..4; severity 0 is the original
    unit: str


DEGRADATIONS: tuple[Degradation, ...] = (
    Degradation("blur", gaussian_blur, (1.0, 2.0, 3.0, 5.0), "sigma px"),
    Degradation("noise", gaussian_noise, (8.0, 16.0, 24.0, 32.0), "sigma /255"),
    Degradation("underexposure", exposure_shift, (-1.0, -2.0, -3.0, -4.0), "EV"),
    Degradation("overexposure", exposure_shift, (1.0, 2.0, 3.0, 4.0), "EV"),
    Degradation("jpeg", jpeg_quality, (40.0, 20.0, 10.0, 5.0), "quality"),
    Degradation("downscale", downscale, (1.5, 2.0, 3.0, 4.0), "factor"),
)


def original(rgb: Rgb) -> bytes:
    """The undegraded photo as a lossless upload (PNG)."""
    return _png(rgb)
