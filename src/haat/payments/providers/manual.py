"""Manual payments: cash on delivery or at the counter, UPI or bank transfer straight to the
seller, confirmed by the seller's staff. The seller already holds the money, so nothing is
ever transferred or refunded through an API: the ledger alone records who owes what."""

from __future__ import annotations

from typing import ClassVar

from haat.payments.models import PaymentProvider
from haat.payments.providers.base import Opened, Provider, ProviderPayment, ReturnUrls


class ManualProvider(Provider):
    name: ClassVar[PaymentProvider] = PaymentProvider.MANUAL
    online: ClassVar[bool] = False
    needs_account: ClassVar[bool] = False

    async def open(self, payment: ProviderPayment, back: ReturnUrls | None = None) -> Opened:
        return Opened(reference=None)

    async def release(self, payment: ProviderPayment, share_minor: int) -> str | None:
        return None

    async def refund(self, payment: ProviderPayment) -> str | None:
        return None
