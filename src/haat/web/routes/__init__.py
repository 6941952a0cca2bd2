"""Page routes, one module per area: account, storefront, seller portal, admin console."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from haat.web.security import verify_csrf


def page_router(prefix: str = "") -> APIRouter:
    """A router of pages: not in the OpenAPI schema, CSRF-checked on unsafe methods."""
    return APIRouter(prefix=prefix, include_in_schema=False, dependencies=[Depends(verify_csrf)])
