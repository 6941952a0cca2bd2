"""ORM products to response models (shared by the API and the web pages)."""

from __future__ import annotations

from typing import Any

from haat.catalog.models import Product, ProductJewellery
from haat.catalog.photo_quality import StaffQuality
from haat.catalog.schemas import (
    BusinessSummary,
    CategorySummary,
    ImageOut,
    JewelleryOut,
    ProductAdminOut,
    ProductOut,
)
from haat.core.storage import LocalStorage
from haat.fx.display import DisplayConverter


def product_out(
    product: Product, storage: LocalStorage, display: DisplayConverter | None = None
) -> ProductOut:
    """The public view of a product loaded with business, category and images, with its
    price in the viewer's currency when ``display`` is given (prepared for its currency)."""
    return ProductOut(**_fields(product, storage, display, None))


def product_admin_out(
    product: Product,
    storage: LocalStorage,
    display: DisplayConverter | None = None,
    quality: StaffQuality | None = None,
) -> ProductAdminOut:
    """The staff view: adds the rejection reason and, from ``quality`` (what
    `photo_quality.staff_quality` let the caller see), the photos' grades."""
    quality = quality or StaffQuality()
    return ProductAdminOut(
        **_fields(product, storage, display, quality),
        rejection_reason=product.rejection_reason,
        photo_quality=quality.products.get(product.id),
    )


def _fields(
    p: Product,
    storage: LocalStorage,
    display: DisplayConverter | None,
    quality: StaffQuality | None,
) -> dict[str, Any]:
    grades = quality.images if quality is not None else {}
    return {
        "display_price": display.price(p.price_minor, p.currency) if display else None,
        "id": p.id,
        "business": BusinessSummary.model_validate(p.business),
        "category": CategorySummary.model_validate(p.category) if p.category else None,
        "title": p.title,
        "description": p.description,
        "price_minor": p.price_minor,
        "currency": p.currency,
        "sku": p.sku,
        "stock_quantity": p.stock_quantity,
        "attributes": p.attributes,
        "status": p.status,
        "images": [
            ImageOut(
                id=i.id,
                url=storage.url(i.path),
                thumbnail_url=storage.url(i.thumbnail_path),
                width=i.width,
                height=i.height,
                content_type=i.content_type,
                alt_text=i.alt_text,
                quality=grades.get(i.id),
            )
            for i in p.images
        ],
        "jewellery": jewellery_out(p.jewellery) if p.jewellery is not None else None,
        "published_at": p.published_at,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


def jewellery_out(row: ProductJewellery) -> JewelleryOut:
    """The spec and price breakdown of a jewellery product, from its stored pricing."""
    subtotal = row.metal_value_minor + row.making_charge_minor
    return JewelleryOut(
        metal=row.metal,
        purity=row.purity,
        weight_mg=row.weight_mg,
        weight_g=f"{row.weight_mg // 1000}.{row.weight_mg % 1000:03d}",
        making_charge_bp=row.making_charge_bp,
        making_charge_per_g_minor=row.making_charge_per_g_minor,
        rate_minor_per_g=row.rate_minor_per_g,
        rate_as_of=row.rate_as_of,
        rate_source=row.rate_source,
        metal_value_minor=row.metal_value_minor,
        making_charge_minor=row.making_charge_minor,
        subtotal_minor=subtotal,
        gst_rate_bp=row.gst_rate_bp,
        gst_minor=row.gst_minor,
        total_minor=subtotal + row.gst_minor,
        priced_at=row.priced_at,
    )
