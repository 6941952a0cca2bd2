"""Who is acting: the subject every service call is authorized against."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field

from haat.core.errors import Forbidden, Unauthenticated
from haat.identity.models import PlatformRole


@dataclass
class Memberships:
    """The actor's role in each business they belong to, loaded once, on the first check that
    needs it (`haat.businesses.service.roles`), and kept for the rest of the request. An
    actor lives for one request or one Socket.IO event: make a new one for the next."""

    roles: dict[uuid.UUID, enum.StrEnum] | None = None


@dataclass(frozen=True)
class Actor:
    """An authenticated user (``user_id`` set) or an anonymous visitor. ``visitor_id`` is the
    client's anonymous session id (`haat.core.events.visitor_id`), if it sent one: it only
    groups behaviour events and grants nothing. ``currency`` (ISO 4217) and ``language`` are
    the user's profile currency and language when the actor was made from the user's row (for
    display prices, texts in the reader's language), else None."""

    user_id: uuid.UUID | None = None
    platform_role: PlatformRole = PlatformRole.BUYER
    visitor_id: str | None = None
    currency: str | None = None
    language: str | None = None  # the profile's preferred language, where it was read
    memberships: Memberships = field(default_factory=Memberships, compare=False, repr=False)

    @classmethod
    def anonymous(cls, visitor_id: str | None = None) -> Actor:
        return cls(visitor_id=visitor_id)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_platform_admin(self) -> bool:
        return self.user_id is not None and self.platform_role == PlatformRole.ADMIN

    def require_user(self) -> uuid.UUID:
        """The user's id; raises `Unauthenticated` for an anonymous actor."""
        if self.user_id is None:
            raise Unauthenticated()
        return self.user_id

    def require_platform_admin(self) -> uuid.UUID:
        """The admin's id; raises 401 when anonymous and 403 for anyone but a platform admin."""
        user_id = self.require_user()
        if not self.is_platform_admin:
            raise Forbidden("Platform administrators only")
        return user_id
