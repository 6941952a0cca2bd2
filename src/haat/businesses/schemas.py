"""Request and response models of `/api/businesses` and `/api/clusters`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from haat.businesses.models import BusinessKind, BusinessRole
from haat.identity.schemas import Country, Phone

Text200 = Annotated[str, Field(min_length=1, max_length=200)]
Text120 = Annotated[str, Field(min_length=1, max_length=120)]


class BusinessCreate(BaseModel):
    name: Text200
    kind: BusinessKind
    description: str = Field("", max_length=5000)
    city: Text120
    state: Annotated[str, Field(max_length=120)] | None = None
    country: Country
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    requires_approval: bool = True
    cluster_id: uuid.UUID | None = None


class BusinessUpdate(BaseModel):
    name: Text200 | None = None
    description: str | None = Field(None, max_length=5000)
    city: Text120 | None = None
    state: Annotated[str, Field(max_length=120)] | None = None
    country: Country | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    requires_approval: bool | None = None


class BusinessOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str
    kind: BusinessKind
    description: str
    city: str
    state: str | None
    country: str
    latitude: float | None
    longitude: float | None
    requires_approval: bool
    cluster_id: uuid.UUID | None
    created_at: datetime


class MyBusinessOut(BusinessOut):
    role: BusinessRole


class MemberAdd(BaseModel):
    """An existing user, by email or phone, and the role to give."""

    email: EmailStr | None = None
    phone: Phone | None = None
    role: BusinessRole

    @model_validator(mode="after")
    def _one_identifier(self) -> MemberAdd:
        if bool(self.email) == bool(self.phone):
            raise ValueError("give exactly one of email or phone")
        return self


class MemberUpdate(BaseModel):
    role: BusinessRole


class MemberOut(BaseModel):
    user_id: uuid.UUID
    full_name: str
    email: str | None
    phone: str | None
    role: BusinessRole
    since: datetime


class ClusterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str
    town: str
    state: str
    country: str
    craft: str
    category: str
    materials: str
    gi_tag: bool
    latitude: float
    longitude: float
