"""The SQL of businesses, memberships and clusters (this domain's tables)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import Business, BusinessRole, Cluster, Membership
from haat.core import repository
from haat.core.pagination import PageParams
from haat.identity.models import User


async def get_business(session: AsyncSession, business_id: uuid.UUID) -> Business | None:
    return await repository.get(session, Business, business_id)


async def get_cluster(session: AsyncSession, cluster_id: uuid.UUID) -> Cluster | None:
    return await repository.get(session, Cluster, cluster_id)


async def slug_taken(session: AsyncSession, slug: str) -> bool:
    return await session.scalar(select(Business.id).where(Business.slug == slug)) is not None


async def roles_of_user(session: AsyncSession, user_id: uuid.UUID) -> dict[uuid.UUID, BusinessRole]:
    """``{business id: role}`` of every business the user belongs to: one query."""
    rows = await session.execute(
        select(Membership.business_id, Membership.role).where(Membership.user_id == user_id)
    )
    return {business_id: role for business_id, role in rows.all()}


async def role_in(
    session: AsyncSession, business_id: uuid.UUID, user_id: uuid.UUID
) -> BusinessRole | None:
    """Another user's role in the business (the actor's own come from `roles_of_user`)."""
    return await session.scalar(
        select(Membership.role).where(
            Membership.business_id == business_id, Membership.user_id == user_id
        )
    )


async def add_business(session: AsyncSession, business: Business, admin_id: uuid.UUID) -> None:
    """Store a new business with ``admin_id`` as its first admin."""
    await repository.add(session, business)
    await repository.add(
        session, Membership(business_id=business.id, user_id=admin_id, role=BusinessRole.ADMIN)
    )


async def add_membership(session: AsyncSession, membership: Membership) -> None:
    await repository.add(session, membership)


async def locked_membership(
    session: AsyncSession, business_id: uuid.UUID, user_id: uuid.UUID
) -> Membership | None:
    return await session.scalar(
        select(Membership)
        .where(Membership.business_id == business_id, Membership.user_id == user_id)
        .with_for_update()
    )


async def locked_admin_ids(session: AsyncSession, business_id: uuid.UUID) -> list[uuid.UUID]:
    """The business's admins, their rows locked so that two concurrent demotions cannot both
    see another admin."""
    rows = await session.scalars(
        select(Membership.user_id)
        .where(Membership.business_id == business_id, Membership.role == BusinessRole.ADMIN)
        .with_for_update()
    )
    return list(rows)


async def delete_membership(session: AsyncSession, membership: Membership) -> None:
    await repository.delete(session, membership)


async def page_of_businesses(
    session: AsyncSession, params: PageParams, search: str | None
) -> tuple[list[Business], int]:
    """The directory by name; ``search`` matches name or city (LIKE wildcards escaped)."""
    stmt = select(Business).order_by(Business.name, Business.id)
    if search:
        term = search.lower()
        stmt = stmt.where(
            or_(
                func.lower(Business.name).contains(term, autoescape=True),
                func.lower(Business.city).contains(term, autoescape=True),
            )
        )
    return await repository.paginate(session, stmt, params)


async def businesses_of_user(
    session: AsyncSession, user_id: uuid.UUID
) -> list[tuple[Business, BusinessRole]]:
    rows = await session.execute(
        select(Business, Membership.role)
        .join(Membership, Membership.business_id == Business.id)
        .where(Membership.user_id == user_id)
        .order_by(Business.name)
    )
    return [(business, role) for business, role in rows.all()]


async def members_with_users(
    session: AsyncSession, business_id: uuid.UUID
) -> list[tuple[Membership, User]]:
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.business_id == business_id)
        .order_by(Membership.created_at)
    )
    return [(membership, user) for membership, user in rows.all()]


async def names(session: AsyncSession, business_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = set(business_ids)
    if not ids:
        return {}
    rows = await session.execute(select(Business.id, Business.name).where(Business.id.in_(ids)))
    return {business_id: name for business_id, name in rows.all()}


async def all_clusters(session: AsyncSession) -> list[Cluster]:
    return list(await session.scalars(select(Cluster).order_by(Cluster.name)))
