"""The demo's people: who can log in, with which role, and what each account is for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from haat.identity.models import PlatformRole

# The workshop whose staff (approver, editor, viewer) get demo accounts of their own.
SHOWCASE_CLUSTER = "Jaipur"


@dataclass(frozen=True)
class DemoAccount:
    """An account listed for the person trying the demo."""

    email: str
    role: str
    what: str


# (email, name, platform role, what it is for, other profile fields)
BUYERS_AND_ADMIN: tuple[tuple[str, str, PlatformRole, str, dict[str, Any]], ...] = (
    (
        "admin@haat.example",
        "Asha Admin",
        PlatformRole.ADMIN,
        "platform admin: approves any business's products",
        {},
    ),
    (
        "buyer@haat.example",
        "Lena Becker",
        PlatformRole.BUYER,
        "buyer in Germany (German, EUR)",
        {"preferred_language": "de", "country": "DE", "currency": "EUR"},
    ),
    (
        "kiran@haat.example",
        "Kiran Rao",
        PlatformRole.BUYER,
        "buyer in India (Hindi, INR); also logs in by OTP",
        {"phone": "+919812345678", "preferred_language": "hi"},
    ),
)
