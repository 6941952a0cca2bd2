"""Chat images: the catalogue's upload rules (`haat.catalog.images.process_image`: size,
format sniffed from the bytes, pixel limit, metadata stripped), stored in a private folder
(``CHAT_UPLOAD_DIR``) that is never served as static files."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import anyio

from haat.catalog.images import process_image
from haat.chat.models import Message
from haat.config import Settings
from haat.core.errors import NotFound
from haat.core.storage import LocalStorage

MAX_SIDE = 1600
THUMB_SIDE = 320


@dataclass(frozen=True)
class ImageUpload:
    """A processed chat image, stored, ready for its message (`store_image`)."""

    key: str
    content_type: str
    width: int
    height: int


def chat_storage(settings: Settings) -> LocalStorage:
    """The private storage of chat images (no public URL)."""
    settings.chat_upload_dir.mkdir(parents=True, exist_ok=True)
    return LocalStorage(settings.chat_upload_dir, base_url="/")


def thumbnail_key(key: str) -> str:
    stem, _, ext = key.rpartition(".")
    return f"{stem}.thumb.{ext}"


async def store_image(
    storage: LocalStorage, settings: Settings, conversation_id: uuid.UUID, data: bytes
) -> ImageUpload:
    """Validate and store an uploaded image for a message of ``conversation_id``: the image
    (longest side 1,600 px) and its thumbnail (320 px), under
    ``<conversation id>/<random id>.<jpg|webp>``. Raises 413, 415 or 422 as
    `process_image` does."""
    processed = await anyio.to_thread.run_sync(
        lambda: process_image(
            data,
            max_bytes=settings.max_upload_bytes,
            max_pixels=settings.max_image_pixels,
            max_side=MAX_SIDE,
            thumb_side=THUMB_SIDE,
        )
    )
    key = f"{conversation_id}/{uuid.uuid4().hex}.{processed.extension}"
    await anyio.to_thread.run_sync(storage.save, key, processed.data)
    await anyio.to_thread.run_sync(storage.save, thumbnail_key(key), processed.thumbnail)
    return ImageUpload(
        key=key,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
    )


def read_image(settings: Settings, message: Message, *, thumbnail: bool) -> bytes:
    """The stored image (or thumbnail) bytes of ``message``, whose access the caller has
    checked (`haat.chat.messages.message_image`). Raises 404 when the file is gone."""
    if message.image_key is None:
        raise NotFound("No such image")
    key = thumbnail_key(message.image_key) if thumbnail else message.image_key
    try:
        return chat_storage(settings).read(key)
    except FileNotFoundError:
        raise NotFound("No such image") from None


def image_headers() -> dict[str, str]:
    """Participants' browsers may keep the image; shared caches may not."""
    return {"Cache-Control": "private, max-age=86400"}
