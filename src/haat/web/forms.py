"""Reading HTML forms into the services' own request models.

A form's fields are strings; the schema (Pydantic) validates them exactly as the API does, and
the field names that failed come back so the page can mark them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

M = TypeVar("M", bound=BaseModel)


def form_values(form: FormData, *names: str) -> dict[str, str]:
    """The named text fields, stripped; missing ones are left out."""
    values: dict[str, str] = {}
    for name in names:
        value = form.get(name)
        if isinstance(value, str):
            values[name] = value.strip()
    return values


def validate(model: type[M], data: dict[str, Any]) -> tuple[M | None, set[str]]:
    """``model`` built from ``data``, or None and the top-level field names that failed
    (``"__all__"`` for a rule across fields)."""
    try:
        return model.model_validate(data), set()
    except ValidationError as exc:
        fields = {str(err["loc"][0]) if err["loc"] else "__all__" for err in exc.errors()}
        return None, fields


def parse_attributes(text: str) -> dict[str, str]:
    """``name: value`` lines as a dict (blank lines and lines without a colon are skipped)."""
    attributes: dict[str, str] = {}
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            attributes[name.strip()[:64]] = value.strip()
    return attributes


def format_attributes(attributes: dict[str, Any]) -> str:
    """The inverse of `parse_attributes`, for the edit form."""
    return "\n".join(f"{k}: {v}" for k, v in attributes.items())
