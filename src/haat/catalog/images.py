"""Product photo processing: validate an upload and make the stored image and its thumbnail.

Pure functions on bytes (no HTTP, no database), safe to run in worker threads
(``anyio.to_thread.run_sync``): no Pillow global is changed. The steps:

1. refuse more than ``max_bytes`` bytes (413);
2. detect the format from the bytes, never the name or content type: PNG, JPEG, GIF or WEBP
   only (415);
3. refuse more than ``max_pixels`` pixels, read from the header before decoding (413);
4. decode the first frame (animated GIF/WEBP) and apply the EXIF orientation; damaged or
   truncated data is refused (422);
5. convert to sRGB, "RGB" or, if some pixel is see-through, "RGBA";
6. shrink to the longest side ``max_side`` px (main) and ``thumb_side`` px (thumbnail), never
   enlarging, and encode without any metadata (EXIF, XMP, ICC): progressive JPEG when opaque,
   WEBP when transparent.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from haat.core.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType

ACCEPTED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
# What Pillow raises on damaged data while parsing a header or decoding pixels.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error)


@dataclass(frozen=True)
class ProcessedImage:
    """A processed upload. ``width``/``height`` are the main image's, in pixels."""

    data: bytes  # main image, longest side <= max_side px
    thumbnail: bytes  # longest side <= thumb_side px, same format as ``data``
    extension: str  # "jpg" or "webp"
    content_type: str  # "image/jpeg" or "image/webp"
    width: int
    height: int
    source_format: str  # "PNG" | "JPEG" | "GIF" | "WEBP", as detected from the bytes


def process_image(
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    max_side: int = 1200,
    thumb_side: int = 300,
    quality: int = 85,
) -> ProcessedImage:
    """Validate an uploaded image and return its optimised main image and thumbnail.

    ``data`` is the raw upload; ``max_bytes`` its size limit in bytes (the service passes
    ``settings.max_upload_bytes``, 16 MiB by default); ``max_pixels`` the limit on width x
    height read from the header before decoding (``settings.max_image_pixels``, 50 million),
    capped at Pillow's ``Image.MAX_IMAGE_PIXELS`` so that any image Pillow warns about is refused.
    ``max_side`` and ``thumb_side`` are the longest sides in pixels of the main image and the
    thumbnail (smaller images are not enlarged); ``quality`` is the JPEG/WEBP quality, 1-95.

    Raises ``PayloadTooLarge`` (413) over ``max_bytes`` or ``max_pixels``,
    ``UnsupportedMediaType`` (415) when the bytes are not PNG, JPEG, GIF or WEBP, and
    ``Unprocessable`` (422) when they are but cannot be decoded (truncated or corrupt).
    CPU-bound: call it from a worker thread.
    """
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"The image is {len(data)} bytes; the limit is {max_bytes} bytes.")
    pixel_limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
    source_format, image = _decode(data, pixel_limit, max_side)
    main = _fit(_to_rgb(image), max_side)
    thumbnail = _fit(main, thumb_side)
    if main.mode == "RGBA":
        output, extension, content_type = "WEBP", "webp", "image/webp"
    else:
        output, extension, content_type = "JPEG", "jpg", "image/jpeg"
    return ProcessedImage(
        data=_encode(main, output, quality),
        thumbnail=_encode(thumbnail, output, quality),
        extension=extension,
        content_type=content_type,
        width=main.width,
        height=main.height,
        source_format=source_format,
    )


def _decode(data: bytes, max_pixels: int, max_side: int) -> tuple[str, Image.Image]:
    """Detect the format, check the pixel count, then decode the first frame, upright.

    Returns the source format and the decoded image; raises as ``process_image`` does.
    """
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        width, height = image.size
        if width * height > max_pixels:
            raise PayloadTooLarge(
                f"The image is {width}x{height} = {width * height} pixels; "
                f"the limit is {max_pixels} pixels."
            )
        # Cameras' "MPO" (JPEG with extra frames) is a JPEG; its first frame is one.
        source_format = "JPEG" if image.format == "MPO" else str(image.format)
        image.draft(None, (max_side, max_side))  # JPEG only: decode at 1/2, 1/4 or 1/8 scale
        image.load()
        return source_format, ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PayloadTooLarge(f"The image has more pixels than the limit of {max_pixels}.") from exc
    except UnidentifiedImageError as exc:
        raise UnsupportedMediaType(
            "Upload a PNG, JPEG, GIF or WEBP image; this file is none of these."
        ) from exc
    except _DECODE_ERRORS as exc:
        raise Unprocessable("The image is truncated or corrupt and could not be decoded.") from exc


def _to_rgb(image: Image.Image) -> Image.Image:
    """Convert any mode to sRGB "RGB", or "RGBA" when some pixel is not fully opaque."""
    if image.mode.startswith("I"):  # 16-bit greyscale: scale to 8 bits, convert() would clip
        image = image.point(lambda value: value / 256).convert("L")
    mode = "RGBA" if image.has_transparency_data else "RGB"
    icc_profile = image.info.get("icc_profile")
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK"):
        image = _to_srgb(image, icc_profile, mode)
    image = image.convert(mode)
    if mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


def _to_srgb(image: Image.Image, icc_profile: bytes, mode: str) -> Image.Image:
    """Convert ``image`` from its embedded ICC profile to sRGB in ``mode``.

    The stored image carries no profile, so colours must be sRGB (e.g. a phone's Display P3
    or a print CMYK profile). An unreadable or mismatched profile is ignored.
    """
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _fit(image: Image.Image, side: int) -> Image.Image:
    """A copy of ``image`` with its longest side at most ``side`` px; never enlarged."""
    fitted = image.copy()
    fitted.thumbnail((side, side), Image.Resampling.LANCZOS)
    return fitted


def _encode(image: Image.Image, output: str, quality: int) -> bytes:
    """Encode as ``output`` ("JPEG" or "WEBP") with no metadata (none is passed to save)."""
    buffer = io.BytesIO()
    if output == "JPEG":
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(buffer, "WEBP", quality=quality, method=6)
    return buffer.getvalue()
