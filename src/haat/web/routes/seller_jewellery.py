"""The seller portal's "Jewellery pricing" form on a product's page: price the product from
the day's metal rate by metal, purity, weight and making charge, change that, or stop it.

The service (`haat.pricing.jewellery`) decides who may (the business's editors and admins)
and re-prices the product; a refusal is shown on the product page, beside the form.
"""

from __future__ import annotations

import uuid

from fastapi.responses import RedirectResponse, Response

from haat.core.deps import DbSession
from haat.core.errors import HaatError
from haat.core.money import format_money
from haat.pricing import jewellery
from haat.web import jewellery_form
from haat.web.forms import form_values
from haat.web.messages import error_message
from haat.web.routes import page_router
from haat.web.routes.seller_products import after_refusal, portal, render_product
from haat.web.viewer import CurrentViewer

# Included before `seller_products`, whose `/products/{id}/{action}` would take these paths.
router = page_router("/seller")


@router.post("/{business_id:uuid}/products/{product_id:uuid}/jewellery")
async def set_jewellery(
    business_id: uuid.UUID, product_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    """Set or change the product's metal-rate pricing; 422 with the fields marked when the
    form is not a valid spec, the service's status (403, 404, 409) with its message."""
    business, role = await portal(viewer, session, business_id)
    form = await viewer.request.form()
    values = form_values(form, *jewellery_form.FIELDS)
    body, invalid = jewellery_form.parse(values, viewer.lang.locale)
    message = None
    status_code = 422
    if body is not None:
        spec = jewellery.JewellerySpec(
            metal=body.metal,
            purity=body.purity,
            weight_mg=body.weight_mg,
            making_charge_bp=body.making_charge_bp,
            making_charge_per_g_minor=body.making_charge_per_g_minor,
        )
        try:
            product = await jewellery.set_jewellery(session, viewer.actor, product_id, spec)
        except HaatError as exc:
            business, role, message = await after_refusal(viewer, session, business_id, exc)
            status_code = exc.status
        else:
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
    else:
        message = error_message(viewer, "validation_error", "", 422)
    return await render_product(
        viewer,
        session,
        business,
        role,
        product_id,
        jewellery_values=values,
        jewellery_invalid=invalid,
        jewellery_error=message,
        status_code=status_code,
    )


@router.post("/{business_id:uuid}/products/{product_id:uuid}/jewellery/remove")
async def remove_jewellery(
    business_id: uuid.UUID, product_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    """Stop pricing the product from the metal rate; it keeps its last price, fixed."""
    business, role = await portal(viewer, session, business_id)
    try:
        await jewellery.remove_jewellery(session, viewer.actor, product_id)
    except HaatError as exc:
        business, role, message = await after_refusal(viewer, session, business_id, exc)
        return await render_product(
            viewer,
            session,
            business,
            role,
            product_id,
            jewellery_error=message,
            status_code=exc.status,
        )
    viewer.flash(viewer.gettext("The price no longer follows the metal rate; it stays as it is."))
    return RedirectResponse(f"/seller/{business_id}/products/{product_id}", status_code=303)
