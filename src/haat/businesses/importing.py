"""Importing clusters, businesses and members with their own ids: demo data and migrations.

The caller gives finished rows; a duplicate slug or membership fails at the flush and the
caller's transaction rolls back whole.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import Business, BusinessKind, BusinessRole, Cluster, Membership
from haat.core import repository as core_repository


@dataclass(frozen=True)
class ClusterImport:
    """An artisan craft cluster (GI registry facts); coordinates in decimal degrees."""

    id: uuid.UUID
    name: str
    slug: str
    town: str
    state: str
    craft: str
    category: str
    materials: str
    gi_tag: bool
    latitude: float
    longitude: float
    country: str = "IN"


@dataclass(frozen=True)
class BusinessImport:
    """A business with its members: ``members`` pairs a user id with the role."""

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
    created_by_id: uuid.UUID
    members: tuple[tuple[uuid.UUID, BusinessRole], ...]
    cluster_id: uuid.UUID | None = None
    requires_approval: bool = True


def membership_id(business_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID:
    """The id an imported membership gets: the same pair always gives the same id."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"haat:membership:{business_id}:{user_id}")


async def import_clusters(session: AsyncSession, rows: list[ClusterImport]) -> None:
    """Store ``rows`` as clusters (flushed)."""
    await core_repository.add(session, *(Cluster(**vars(row)) for row in rows))


async def import_business(session: AsyncSession, row: BusinessImport) -> None:
    """Store a business and its memberships (flushed; its users must exist)."""
    fields = {k: v for k, v in vars(row).items() if k != "members"}
    await core_repository.add(session, Business(**fields))
    await core_repository.add(
        session,
        *(
            Membership(
                id=membership_id(row.id, user_id), business_id=row.id, user_id=user_id, role=role
            )
            for user_id, role in row.members
        ),
    )
