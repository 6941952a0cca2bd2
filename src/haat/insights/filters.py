"""Which behaviour events a reader asks for (the admins' list, the models' feeds)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from haat.core.errors import Unprocessable
from haat.insights.models import EventKind


@dataclass(frozen=True)
class EventFilters:
    """Which events: any of ``kinds`` (all when empty), of one user, visitor or product, with
    ``occurred_at`` in [``since``, ``until``)."""

    kinds: tuple[EventKind, ...] = ()
    user_id: uuid.UUID | None = None
    session_id: str | None = None
    product_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def for_days(cls, date_from: date | None, date_to: date | None, **others: Any) -> EventFilters:
        """Filters for the UTC days ``date_from``..``date_to`` inclusive. Raises 422 when
        ``date_from`` is after ``date_to``."""
        if date_from and date_to and date_from > date_to:
            error = {"loc": ["query", "date_from"], "msg": "after date_to", "type": "date_order"}
            raise Unprocessable("date_from is after date_to", errors=[error])
        since = datetime.combine(date_from, time(), UTC) if date_from else None
        until = datetime.combine(date_to, time(), UTC) + timedelta(days=1) if date_to else None
        return cls(since=since, until=until, **others)
