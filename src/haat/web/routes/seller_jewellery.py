"""The seller portal's "Jewellery pricing" form on a product's page: price the product from
the day's metal rate by metal, purity, weight and making charge, change that, or stop it.

The service (`haat.pricing.jewellery`) decides who may (the business's editors and admins)
and re-prices the product; a refusal is shown on the product page, beside the form.
"""

from __future__ import annotations

import uuid

from fastapi.responses import RedirectResponse, Response

from haat.core.deps import DbSession, Storage
from haat.core.money import format_money
from haat.pricing import jewellery
from haat.web import jewellery_form, refusals
from haat.web.forms import form_values
from haat.web.messages import error_message
from haat.web.portal import portal
from haat.web.product_page import render_product
from haat.web.routes import page_router
from haat.web.viewer import CurrentViewer

# Included before `seller_products`, whose `/products/{id}/{action}` would take these paths.
router = page_router("/seller")


@router.post("/{business_id:uuid}/products/{product_id:uuid}/jewellery")
async def set_jewellery(
    business_id: uuid.UUID,
    product_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    storage: Storage,
) -> Response:
    """Set or change the product's metal-rate pricing; 422 with the fields marked when the
    form is not a valid spec, the service's status (403, 404, 409) with its message."""
    await portal(viewer, session, business_id)
    form = await viewer.request.form()
    values = form_values(form, *jewellery_form.FIELDS)
    body, invalid = jewellery_form.parse(values, viewer.lang.locale)
    if body is None:
        message, status_code = error_message(viewer, "validation_error", "", 422), 422
    else:
        spec = jewellery.JewellerySpec(
            metal=body.metal,
            purity=body.purity,
            weight_mg=body.weight_mg,
            making_charge_bp=body.making_charge_bp,
            making_charge_per_g_minor=body.making_charge_per_g_minor,
        )
        async with refusals.caught(viewer, session) as refused:
            product = await jewellery.set_jewellery(session, viewer.actor, product_id, spec)
        if not refused:
            new_price = format_money(product.price_minor, product.currency, viewer.lang.locale)
            viewer.flash(
                viewer.gettext(
                    "Jewellery pricing saved: the price is now %(price)s before GST, and it "
                    "follows the metal rate."
                )
                % {"price": new_price}
            )
            return RedirectResponse(
                f"/seller/{product.business_id}/products/{product.id}#jewellery-heading",
                status_code=303,
            )
        message, status_code = refused.message, refused.status
    return await render_product(
        viewer,
        session,
        storage,
        business_id,
        product_id,
        jewellery_values=values,
        jewellery_invalid=invalid,
        jewellery_error=message,
        status_code=status_code,
    )


@router.post("/{business_id:uuid}/products/{product_id:uuid}/jewellery/remove")
async def remove_jewellery(
    business_id: uuid.UUID,
    product_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    storage: Storage,
) -> Response:
    """Stop pricing the product from the metal rate; it keeps its last price, fixed."""
    await portal(viewer, session, business_id)
    async with refusals.caught(viewer, session) as refused:
        await jewellery.remove_jewellery(session, viewer.actor, product_id)
    if refused:
        return await render_product(
            viewer,
            session,
            storage,
            business_id,
            product_id,
            jewellery_error=refused.message,
            status_code=refused.status,
        )
    viewer.flash(viewer.gettext("The price no longer follows the metal rate; it stays as it is."))
    return RedirectResponse(f"/seller/{business_id}/products/{product_id}", status_code=303)
