"""Request and response models of `/api/auth`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, model_validator

from haat.core.i18n import SUPPORTED_LANGUAGES, is_country, is_currency
from haat.core.phone import normalize_e164
from haat.identity.models import PlatformRole


def _phone(value: str) -> str:
    return normalize_e164(value)


def _language(value: str) -> str:
    if value not in SUPPORTED_LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(SUPPORTED_LANGUAGES)}")
    return value


def _currency(value: str) -> str:
    value = value.upper()
    if not is_currency(value):
        raise ValueError("not an ISO 4217 currency code")
    return value


def _country(value: str) -> str:
    value = value.upper()
    if not is_country(value):
        raise ValueError("not an ISO 3166-1 alpha-2 country code")
    return value


Phone = Annotated[
    str, Field(min_length=3, max_length=32, examples=["+919812345678"]), AfterValidator(_phone)
]
Language = Annotated[str, AfterValidator(_language)]
Currency = Annotated[str, Field(min_length=3, max_length=3), AfterValidator(_currency)]
Country = Annotated[str, Field(min_length=2, max_length=2), AfterValidator(_country)]
Password = Annotated[str, Field(min_length=8, max_length=128)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class RegisterIn(BaseModel):
    """Either an email or a phone number (or both) and a password."""

    email: EmailStr | None = None
    phone: Phone | None = None
    password: Password
    full_name: Name
    preferred_language: Language = "en"
    currency: Currency = "INR"
    country: Country | None = None

    @model_validator(mode="after")
    def _needs_identifier(self) -> RegisterIn:
        if not self.email and not self.phone:
            raise ValueError("give an email or a phone number")
        return self


class LoginIn(BaseModel):
    identifier: str = Field(min_length=3, max_length=254, description="email or E.164 phone")
    password: str = Field(min_length=1, max_length=128)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class TokenPair(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds until the access token expires")
    refresh_token: str
    refresh_expires_in: int


class OtpRequestIn(BaseModel):
    phone: Phone


class OtpRequestOut(BaseModel):
    phone: str
    expires_in: int
    resend_after: int


class OtpVerifyIn(BaseModel):
    phone: Phone
    code: str = Field(pattern=r"^[0-9]{6}$")


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str | None
    phone: str | None
    full_name: str
    preferred_language: str
    currency: str
    country: str | None
    platform_role: PlatformRole
    created_at: datetime


class MePatch(BaseModel):
    full_name: Name | None = None
    preferred_language: Language | None = None
    currency: Currency | None = None
    country: Country | None = None
