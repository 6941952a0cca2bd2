"""What autogenerate and the drift check compare: the models, less the full-text index."""

from __future__ import annotations

from typing import Any, Literal

from haat.catalog.search import UNMAPPED_OBJECTS
from haat.core.db import UTCDateTime


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave out the full-text index objects, which the models do not map."""
    return not (name or "").startswith(UNMAPPED_OBJECTS)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Write `UTCDateTime` columns as plain timezone-aware DateTime in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
