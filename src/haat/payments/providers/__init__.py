"""Payment providers behind one interface (`Provider`), and the registry that builds the
configured ones from settings: ``manual`` always, ``stripe`` with ``STRIPE_SECRET_KEY``,
``razorpay`` with ``RAZORPAY_KEY_ID`` and ``RAZORPAY_KEY_SECRET``. Webhooks further need
``STRIPE_WEBHOOK_SECRET`` / ``RAZORPAY_WEBHOOK_SECRET``."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends

from haat.config import Settings
from haat.core.deps import provided
from haat.payments.models import PaymentProvider
from haat.payments.providers.base import (
    BadSignature,
    Captured,
    NotPaid,
    Opened,
    Provider,
    ProviderError,
    ProviderNotConfigured,
    ProviderPayment,
    ReturnUrls,
    WebhookEvent,
)
from haat.payments.providers.manual import ManualProvider
from haat.payments.providers.razorpay import RazorpayProvider
from haat.payments.providers.stripe import StripeProvider

__all__ = [
    "BadSignature",
    "Captured",
    "NotPaid",
    "Opened",
    "Provider",
    "ProviderError",
    "ProviderNotConfigured",
    "ProviderPayment",
    "Providers",
    "ReturnUrls",
    "WebhookEvent",
]


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Providers:
    """The process's providers (one SDK client each) and the platform's commission rate.

    Built once per app by `haat.wiring`; routes take it as `PaymentProviders`, services as an
    argument.
    """

    def __init__(self, settings: Settings) -> None:
        self.commission_bp = settings.platform_commission_bp
        self.razorpay_key_id = settings.razorpay_key_id  # public: Razorpay Checkout needs it
        # Razorpay's hosted checkout page, which the buyer's browser is sent to by a form.
        self.razorpay_checkout_url = (
            settings.razorpay_api_base or "https://api.razorpay.com"
        ).rstrip("/") + "/v1/checkout/embedded"
        # The origin of Stripe Checkout's hosted page (the API's own for a local fake): the
        # order page's form that redirects there must be allowed to (CSP form-action).
        self.stripe_checkout_origin = _origin(
            settings.stripe_api_base or "https://checkout.stripe.com"
        )
        self._providers: dict[PaymentProvider, Provider] = {
            PaymentProvider.MANUAL: ManualProvider()
        }
        self._webhooks: set[PaymentProvider] = set()
        if settings.stripe_secret_key:
            self._providers[PaymentProvider.STRIPE] = StripeProvider(
                settings.stripe_secret_key,
                settings.stripe_webhook_secret,
                settings.stripe_api_base,
            )
            if settings.stripe_webhook_secret:
                self._webhooks.add(PaymentProvider.STRIPE)
        if settings.razorpay_key_id and settings.razorpay_key_secret:
            self._providers[PaymentProvider.RAZORPAY] = RazorpayProvider(
                settings.razorpay_key_id,
                settings.razorpay_key_secret,
                settings.razorpay_webhook_secret,
                settings.razorpay_api_base,
            )
            if settings.razorpay_webhook_secret:
                self._webhooks.add(PaymentProvider.RAZORPAY)

    def install(self, provider: Provider) -> None:
        """Add or replace the provider of its name (another gateway's implementation, or an
        offline one in tests)."""
        self._providers[provider.name] = provider

    def configured(self, name: PaymentProvider) -> bool:
        return name in self._providers

    def get(self, name: PaymentProvider) -> Provider:
        """The provider called ``name``; raises `ProviderNotConfigured` (503) when the
        platform has no keys for it."""
        provider = self._providers.get(name)
        if provider is None:
            raise ProviderNotConfigured(
                f"Payments through {name.value} are not configured on this platform; "
                "ask the operator to set its keys",
                provider=name.value,
            )
        return provider

    def for_webhook(self, name: PaymentProvider) -> Provider:
        """The provider whose webhooks are verified with a configured secret; else 503."""
        if name not in self._webhooks:
            raise ProviderNotConfigured(
                f"Webhooks of {name.value} are not configured on this platform",
                provider=name.value,
            )
        return self._providers[name]

    async def aclose(self) -> None:
        stripe_provider = self._providers.get(PaymentProvider.STRIPE)
        if isinstance(stripe_provider, StripeProvider):
            await stripe_provider.aclose()


# The app's providers, for a route's signature.
PaymentProviders = Annotated[Providers, Depends(provided(Providers))]
