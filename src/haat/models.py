"""Imports every module's tables so that `Base.metadata` knows the whole schema."""

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
