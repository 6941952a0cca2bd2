"""What the pages say when a service refuses: the problem ``code`` in the page's language.

Services raise typed errors with an English ``detail``; a page shows the translated sentence
for the codes people meet, and the service's own detail (in English) for the rest.
"""

from __future__ import annotations

from haat.web.viewer import Viewer


def error_message(viewer: Viewer, code: str, detail: str, status: int = 400) -> str:
    """The sentence to show for a refused action or a failed page."""
    _ = viewer.gettext
    known = {
        "not_found": _("This page or item does not exist, or you may not see it."),
        "forbidden": _("Your role does not allow this."),
        "csrf_refused": _("The form expired. Please try again."),
        "rate_limited": _("Too many attempts. Please wait a minute and try again."),
        "invalid_credentials": _("Email, phone or password is wrong."),
        "invalid_otp": _("The code is wrong or has expired."),
        "account_exists": _("An account with this email or phone already exists."),
        "out_of_stock": _("Not enough stock for this quantity."),
        "checkout_conflict": _("Your cart changed. Please review it before ordering."),
        "sku_taken": _("This SKU is already used by another of your products."),
        "invalid_transition": _("This change of status is not possible now."),
        "approval_mode": _("Not available with this business's approval setting."),
        "product_archived": _("Archived products cannot be changed."),
        "last_admin": _("A business must keep at least one admin."),
        "customer_phone_taken": _("Another customer already has this phone number."),
        "validation_error": _("Some fields are not valid."),
        "unsupported_media_type": _("Photos must be PNG, JPEG, GIF or WEBP."),
        "payload_too_large": _("This photo is too large."),
        "method_not_allowed": _("This page does not accept that request."),
        "self_change": _("You cannot change your own account here."),
        "no_metal_rate": _(
            "No rate has been entered for this metal yet, so nothing can be priced from it. "
            "A platform admin enters the day's rate first."
        ),
        "jewellery_not_in_inr": _(
            "Metal rates are in rupees: change the product's currency to INR first."
        ),
        "price_follows_metal_rate": _(
            "This price follows the metal rate: change the weight, purity or making charge "
            "under Jewellery pricing instead."
        ),
        "payment_provider_error": _(
            "The payment provider refused or could not be reached. Please try again in a moment."
        ),
        "payment_provider_not_configured": _(
            "This seller's payment provider is not available right now."
        ),
        "payment_amount_mismatch": _(
            "The amount received does not match this payment, so it was not counted."
            " Please contact the seller."
        ),
        "bad_signature": _("This payment confirmation could not be verified."),
    }
    if code in known:
        return known[code]
    if status >= 500:
        return _("Something went wrong on our side.")
    return detail
