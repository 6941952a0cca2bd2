"""`/api/customers` and `/api/khata`."""

from fastapi import APIRouter

customers_router = APIRouter(prefix="/api/customers", tags=["customers"])
khata_router = APIRouter(prefix="/api/khata", tags=["khata"])
