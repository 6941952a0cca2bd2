"""Imports every module's tables so that `Base.metadata` knows the whole schema."""

import haat.assistant.models
import haat.chat.models
import haat.commerce.models
import haat.core.jobs
import haat.customers.models
import haat.fx.models
import haat.insights.models
import haat.ml.models
import haat.payments.models
import haat.pricing.models
import haat.quality.models  # noqa: F401  (modules register their tables on import)
from haat.businesses.models import Business, Cluster, Membership
from haat.catalog.models import Category, Product, ProductImage, ProductStatusChange
from haat.identity.models import OtpChallenge, RefreshToken, User

__all__ = [
    "Business",
    "Category",
    "Cluster",
    "Membership",
    "OtpChallenge",
    "Product",
    "ProductImage",
    "ProductStatusChange",
    "RefreshToken",
    "User",
]
