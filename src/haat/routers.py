"""The API's routers, in the order FastAPI tries them for every request: the buyer's hot
paths (cart, checkout) first. No two routers before ``order_money_router`` share a path."""

from __future__ import annotations

from fastapi import APIRouter

from haat.assistant.router import router as assistant_router
from haat.businesses.router import clusters_router
from haat.businesses.router import router as businesses_router
from haat.catalog.router import categories_router
from haat.catalog.router import router as products_router
from haat.chat.router import router as chat_router
from haat.commerce.router import cart_router, favorites_router, orders_router, tax_router
from haat.customers.router import customers_router, khata_router
from haat.fx.router import router as fx_router
from haat.identity.router import router as auth_router
from haat.insights.router import router as insights_router
from haat.payments.router import order_money_router, payments_router
from haat.pricing.predictions.router import router as predictions_router
from haat.pricing.router import jewellery_router, rates_router, trends_router
from haat.quality.router import router as quality_router

API_ROUTERS: tuple[APIRouter, ...] = (
    cart_router,
    orders_router,
    auth_router,
    businesses_router,
    clusters_router,
    categories_router,
    products_router,
    customers_router,
    khata_router,
    fx_router,
    favorites_router,
    tax_router,
    order_money_router,
    payments_router,
    insights_router,
    quality_router,
    assistant_router,
    chat_router,
    predictions_router,
    rates_router,
    jewellery_router,
    trends_router,
)
# Anonymous GETs under these paths may be answered from the public cache.
PUBLIC_PREFIXES = ("/api/products", "/api/categories", "/api/clusters", "/api/businesses")
