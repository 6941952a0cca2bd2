"""Request and response models of `/api/assistant`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from haat.fx.schemas import DisplayPrice
from haat.identity.schemas import Currency

# The nine of `haat.core.i18n.SUPPORTED_LANGUAGES` (a test keeps the two equal).
Language = Literal["en", "hi", "es", "bn", "ks", "ta", "de", "fr", "ja"]


class AskIn(BaseModel):
    """A question. Without ``session_id`` a new conversation starts; ``product_ids`` names
    the products a comparison is about ("these two"), e.g. those on the asker's screen."""

    message: Annotated[str, Field(min_length=1, max_length=500)]
    session_id: uuid.UUID | None = None
    product_ids: Annotated[list[uuid.UUID], Field(max_length=4)] = []
    language: Language | None = None
    display_currency: Currency | None = None


class SellerFact(BaseModel):
    id: uuid.UUID
    name: str


class ProductFact(BaseModel):
    """What the answer says about one approved product; ``url`` is its storefront page."""

    id: uuid.UUID
    sku: str
    title: str
    price_minor: int
    currency: str
    display_price: DisplayPrice | None
    stock_quantity: int
    in_stock: bool
    seller: SellerFact
    url: str


class OrderFact(BaseModel):
    number: str
    status: str
    seller: str
    total_minor: int
    currency: str
    placed_at: datetime


class AnswerOut(BaseModel):
    """The answer: its text in ``language``, the products it cites (in order) and, for an
    order question, the order. ``exact`` is false when the products are close alternatives
    rather than matches. ``prompts_left`` counts down the session's limit."""

    session_id: uuid.UUID
    message_id: uuid.UUID
    answer: str
    language: Language
    intent: Literal["search", "stock", "compare", "order"]
    engine: Literal["local", "llm"]
    exact: bool
    reranked: bool
    products: list[ProductFact]
    cited_product_ids: list[uuid.UUID]
    order: OrderFact | None = None
    prompts_used: int
    prompts_left: int


class MessageOut(BaseModel):
    id: uuid.UUID
    message: str
    answer: str
    language: str
    intent: str
    engine: str
    cited_product_ids: list[uuid.UUID]
    created_at: datetime


class SessionOut(BaseModel):
    id: uuid.UUID
    prompt_count: int
    prompt_limit: int
    created_at: datetime
    messages: list[MessageOut]
