"""The way to a provider's hosted checkout page and back, as the storefront's pages need it.

Browsers hold a form's redirects and posts to the page's ``form-action``, so a page that
hands the buyer over to Stripe Checkout or Razorpay's checkout admits that origin there
(`allow_form_to`). The provider sends the browser back to a URL naming the payment and its
buyer by a token signed with the session key (itsdangerous): for Stripe without a timestamp
(the URL is a parameter of the idempotent session-creating call, so it must be the same on a
retry), for Razorpay valid for an hour.
"""

from __future__ import annotations

import uuid

from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from haat.config import Settings
from haat.payments.models import PaymentProvider
from haat.payments.providers import Providers, ReturnUrls
from haat.web.security import CONTENT_SECURITY_POLICY, session_signing_key
from haat.web.viewer import Viewer

_STRIPE_SALT = "haat.web.stripe-return"
_RAZORPAY_SALT = "haat.web.razorpay-return"
RAZORPAY_RETURN_MAX_AGE_S = 3600


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def allow_form_to(target_origin: str) -> dict[str, str]:
    """Headers of a page whose form may leave for ``target_origin`` (the CSP's
    ``form-action`` admits it besides this site)."""
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {target_origin}"
        )
    }


def order_page_headers(providers: Providers, provider: PaymentProvider) -> dict[str, str] | None:
    """The order page's headers: for a Stripe seller, Stripe Checkout's origin is admitted,
    where the pay form's redirect leads."""
    if provider != PaymentProvider.STRIPE:
        return None
    return allow_form_to(providers.stripe_checkout_origin)


def _stripe_tokens(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(session_signing_key(settings.secret_key), salt=_STRIPE_SALT)


def _razorpay_tokens(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(session_signing_key(settings.secret_key), salt=_RAZORPAY_SALT)


def stripe_return_urls(
    settings: Settings, viewer: Viewer, order_id: uuid.UUID, payment_id: uuid.UUID
) -> ReturnUrls:
    """Where Stripe Checkout sends the buyer back to for payment ``payment_id``."""
    token = _stripe_tokens(settings).dumps([str(payment_id), str(viewer.actor.user_id)])
    base = str(viewer.request.base_url).rstrip("/")
    return ReturnUrls(
        success=f"{base}/payments/stripe/return/{token}",
        cancel=f"{base}/orders/{order_id}/payments/{payment_id}/stripe/cancelled",
    )


def razorpay_return_token(settings: Settings, payment_id: uuid.UUID, user_id: uuid.UUID) -> str:
    """The token of Razorpay's callback URL for the buyer's payment (valid for an hour)."""
    return _razorpay_tokens(settings).dumps([str(payment_id), str(user_id)])


def _ids(values: list[str]) -> tuple[uuid.UUID, uuid.UUID]:
    payment_id, user_id = values
    return uuid.UUID(str(payment_id)), uuid.UUID(str(user_id))


def read_return_token(
    settings: Settings, provider: PaymentProvider, token: str
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """``(payment id, buyer id)`` of a return token, or None when it is not one of ours (or
    a Razorpay token is over an hour old)."""
    try:
        if provider == PaymentProvider.STRIPE:
            return _ids(_stripe_tokens(settings).loads(token))
        return _ids(_razorpay_tokens(settings).loads(token, max_age=RAZORPAY_RETURN_MAX_AGE_S))
    except (BadSignature, ValueError, TypeError):
        return None
