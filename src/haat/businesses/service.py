"""Business rules: creating businesses, members and their roles, and role checks that other
modules (catalogue, orders, khata) ask before acting for a business."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from slugify import slugify
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import Business, BusinessRole, Cluster, Membership
from haat.businesses.schemas import BusinessCreate, BusinessUpdate, MemberAdd, MemberOut
from haat.core.errors import Conflict, Forbidden, NotFound
from haat.core.pagination import PageParams, paginate
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole, User

ALL_ROLES = frozenset(BusinessRole)
_REQUIRED_FIELDS = frozenset({"name", "description", "city", "country", "requires_approval"})


class LastAdmin(Conflict):
    code, title = "last_admin", "A business must keep at least one admin"


async def role_of(
    session: AsyncSession, business_id: uuid.UUID, user_id: uuid.UUID | None
) -> BusinessRole | None:
    """The user's role in the business, or None."""
    if user_id is None:
        return None
    return await session.scalar(
        select(Membership.role).where(
            Membership.business_id == business_id, Membership.user_id == user_id
        )
    )


async def require_role(
    session: AsyncSession,
    actor: Actor,
    business_id: uuid.UUID,
    roles: Iterable[BusinessRole],
    *,
    platform_admin: bool = True,
) -> BusinessRole | None:
    """Check that ``actor`` holds one of ``roles`` in the business.

    Platform admins pass when ``platform_admin`` is true (returning None as their role).
    Raises `Unauthenticated` when anonymous and `Forbidden` otherwise.
    """
    user_id = actor.require_user()
    if platform_admin and actor.is_platform_admin:
        return None
    role = await role_of(session, business_id, user_id)
    if role is None or role not in set(roles):
        raise Forbidden("Your role in this business does not allow this")
    return role


async def portal_access(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID
) -> tuple[Business, BusinessRole | None]:
    """The business and the actor's role in it, for its members (any role) and platform
    admins (role None). Raises `Unauthenticated` when anonymous and `NotFound` for anyone
    else, so a business's back office does not tell outsiders what it holds."""
    user_id = actor.require_user()
    business = await get_business(session, business_id)
    role = await role_of(session, business_id, user_id)
    if role is None and not actor.is_platform_admin:
        raise NotFound("No such business")
    return business, role


async def member_business_ids(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    """Ids of every business the user belongs to, in any role."""
    rows = await session.scalars(
        select(Membership.business_id).where(Membership.user_id == user_id)
    )
    return list(rows)


async def _unique_slug(session: AsyncSession, name: str) -> str:
    base = slugify(name, max_length=200) or "business"
    slug, n = base, 1
    while await session.scalar(select(Business.id).where(Business.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


async def get_business(session: AsyncSession, business_id: uuid.UUID) -> Business:
    business = await session.get(Business, business_id)
    if business is None:
        raise NotFound("No such business")
    return business


async def create_business(session: AsyncSession, actor: Actor, data: BusinessCreate) -> Business:
    """Create a business; its creator becomes its admin and a platform seller."""
    user_id = actor.require_user()
    if data.cluster_id and await session.get(Cluster, data.cluster_id) is None:
        raise NotFound("No such cluster")
    business = Business(
        **data.model_dump(), slug=await _unique_slug(session, data.name), created_by_id=user_id
    )
    session.add(business)
    await session.flush()
    session.add(Membership(business_id=business.id, user_id=user_id, role=BusinessRole.ADMIN))
    user = await session.get(User, user_id)
    if user is not None and user.platform_role == PlatformRole.BUYER:
        user.platform_role = PlatformRole.SELLER
    await session.flush()
    return business


async def update_business(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID, data: BusinessUpdate
) -> Business:
    business = await get_business(session, business_id)
    await require_role(session, actor, business_id, {BusinessRole.ADMIN})
    for field, value in data.model_dump(exclude_unset=True).items():
        # Null clears only the nullable columns; on required ones it means "leave as is".
        if value is None and field in _REQUIRED_FIELDS:
            continue
        setattr(business, field, value)
    await session.flush()
    return business


async def list_businesses(
    session: AsyncSession, params: PageParams, search: str | None = None
) -> tuple[list[Business], int]:
    """The public directory of businesses, by name."""
    stmt = select(Business).order_by(Business.name, Business.id)
    if search:
        # `contains(autoescape=True)` escapes the LIKE wildcards % and _ typed by the user.
        term = search.lower()
        stmt = stmt.where(
            or_(
                func.lower(Business.name).contains(term, autoescape=True),
                func.lower(Business.city).contains(term, autoescape=True),
            )
        )
    return await paginate(session, stmt, params)


async def my_businesses(session: AsyncSession, actor: Actor) -> list[tuple[Business, BusinessRole]]:
    user_id = actor.require_user()
    rows = await session.execute(
        select(Business, Membership.role)
        .join(Membership, Membership.business_id == Business.id)
        .where(Membership.user_id == user_id)
        .order_by(Business.name)
    )
    return [(b, r) for b, r in rows.all()]


async def list_members(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID
) -> list[MemberOut]:
    await get_business(session, business_id)
    await require_role(session, actor, business_id, ALL_ROLES)
    rows = await session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.business_id == business_id)
        .order_by(Membership.created_at)
    )
    return [_member_out(m, u) for m, u in rows.all()]


def _member_out(m: Membership, u: User) -> MemberOut:
    return MemberOut(
        user_id=u.id,
        full_name=u.full_name,
        email=u.email,
        phone=u.phone,
        role=m.role,
        since=m.created_at,
    )


async def add_member(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID, data: MemberAdd
) -> MemberOut:
    """Give an existing user a role. Raises 404 for an unknown user, 409 if already a member."""
    await get_business(session, business_id)
    await require_role(session, actor, business_id, {BusinessRole.ADMIN})
    where = User.email == data.email.lower() if data.email else User.phone == data.phone
    user = await session.scalar(select(User).where(where))
    if user is None:
        raise NotFound("No user with that email or phone; they must sign up first")
    if await role_of(session, business_id, user.id) is not None:
        raise Conflict("This user is already a member; change their role instead")
    membership = Membership(business_id=business_id, user_id=user.id, role=data.role)
    session.add(membership)
    await session.flush()
    return _member_out(membership, user)


async def _locked_membership(
    session: AsyncSession, business_id: uuid.UUID, user_id: uuid.UUID
) -> Membership:
    membership = await session.scalar(
        select(Membership)
        .where(Membership.business_id == business_id, Membership.user_id == user_id)
        .with_for_update()
    )
    if membership is None:
        raise NotFound("No such member")
    return membership


async def _ensure_another_admin(
    session: AsyncSession, business_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    # Lock the business's admin rows so two concurrent demotions cannot both pass.
    admins = await session.scalars(
        select(Membership.user_id)
        .where(Membership.business_id == business_id, Membership.role == BusinessRole.ADMIN)
        .with_for_update()
    )
    if not [a for a in admins if a != user_id]:
        raise LastAdmin()


async def change_role(
    session: AsyncSession,
    actor: Actor,
    business_id: uuid.UUID,
    user_id: uuid.UUID,
    role: BusinessRole,
) -> MemberOut:
    """Change a member's role; never demote the last admin (409)."""
    await get_business(session, business_id)
    await require_role(session, actor, business_id, {BusinessRole.ADMIN})
    membership = await _locked_membership(session, business_id, user_id)
    if membership.role == BusinessRole.ADMIN and role != BusinessRole.ADMIN:
        await _ensure_another_admin(session, business_id, user_id)
    membership.role = role
    await session.flush()
    user = await session.get(User, user_id)
    assert user is not None
    return _member_out(membership, user)


async def remove_member(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """Remove a member (admins remove anyone; members may leave). Never the last admin."""
    await get_business(session, business_id)
    if actor.user_id != user_id:
        await require_role(session, actor, business_id, {BusinessRole.ADMIN})
    membership = await _locked_membership(session, business_id, user_id)
    if membership.role == BusinessRole.ADMIN:
        await _ensure_another_admin(session, business_id, user_id)
    await session.delete(membership)
    await session.flush()


async def business_names(
    session: AsyncSession, business_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """``{id: name}`` of the given businesses (public facts, for lists of orders)."""
    ids = set(business_ids)
    if not ids:
        return {}
    rows = await session.execute(select(Business.id, Business.name).where(Business.id.in_(ids)))
    return {business_id: name for business_id, name in rows.all()}


async def get_cluster(session: AsyncSession, cluster_id: uuid.UUID) -> Cluster:
    """A craft cluster; `NotFound` otherwise."""
    cluster = await session.get(Cluster, cluster_id)
    if cluster is None:
        raise NotFound("No such cluster")
    return cluster


async def list_clusters(session: AsyncSession) -> list[Cluster]:
    return list(await session.scalars(select(Cluster).order_by(Cluster.name)))
