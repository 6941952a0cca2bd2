"""`/api/fx-rates`."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/fx-rates", tags=["fx"])
