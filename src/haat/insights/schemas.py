"""Response models of `/api/admin/events`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from haat.insights.models import EventKind


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: EventKind
    occurred_at: datetime = Field(description="when the shopper did it (UTC)")
    created_at: datetime = Field(description="when the row was written (a batch, UTC)")
    user_id: uuid.UUID | None
    session_id: str | None = Field(description="the anonymous visitor id, if sent")
    product_id: uuid.UUID | None
    context: dict[str, Any]
