"""Business rules: creating businesses, members and their roles, and role checks that other
modules (catalogue, orders, khata) ask before acting for a business."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from slugify import slugify
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses import repository
from haat.businesses.models import Business, BusinessRole, Cluster, Membership
from haat.businesses.schemas import BusinessCreate, BusinessUpdate, MemberAdd, MemberOut
from haat.core import repository as core_repository
from haat.core.errors import Conflict, Forbidden, NotFound
from haat.core.pagination import PageParams
from haat.identity import service as identity
from haat.identity.actor import Actor
from haat.identity.models import User

ALL_ROLES = frozenset(BusinessRole)
_REQUIRED_FIELDS = frozenset({"name", "description", "city", "country", "requires_approval"})


class LastAdmin(Conflict):
    code, title = "last_admin", "A business must keep at least one admin"


async def roles(session: AsyncSession, actor: Actor) -> Mapping[uuid.UUID, BusinessRole]:
    """``{business id: role}`` for every business the actor belongs to (empty when
    anonymous), loaded with one query the first time a request asks and kept on the actor
    (`haat.identity.actor.Memberships`) for the rest of it."""
    if actor.user_id is None:
        return {}
    memo = actor.memberships
    if memo.roles is None:
        memo.roles = dict(await repository.roles_of_user(session, actor.user_id))
    return memo.roles  # type: ignore[return-value]


def _forget_roles(actor: Actor, user_id: uuid.UUID) -> None:
    """After a change to the actor's own memberships: load them again at the next check."""
    if actor.user_id == user_id:
        actor.memberships.roles = None


async def role_of(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID
) -> BusinessRole | None:
    """The actor's role in the business, or None (also when anonymous)."""
    return (await roles(session, actor)).get(business_id)


async def require_role(
    session: AsyncSession,
    actor: Actor,
    business_id: uuid.UUID,
    allowed: Iterable[BusinessRole],
    *,
    platform_admin: bool = True,
) -> BusinessRole | None:
    """Check that ``actor`` holds one of the ``allowed`` roles in the business.

    Platform admins pass when ``platform_admin`` is true (returning None as their role).
    Raises `Unauthenticated` when anonymous and `Forbidden` otherwise.
    """
    actor.require_user()
    if platform_admin and actor.is_platform_admin:
        return None
    role = await role_of(session, actor, business_id)
    if role is None or role not in set(allowed):
        raise Forbidden("Your role in this business does not allow this")
    return role


async def portal_access(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID
) -> tuple[Business, BusinessRole | None]:
    """The business and the actor's role in it, for its members (any role) and platform
    admins (role None). Raises `Unauthenticated` when anonymous and `NotFound` for anyone
    else, so a business's back office does not tell outsiders what it holds."""
    actor.require_user()
    business = await get_business(session, business_id)
    role = await role_of(session, actor, business_id)
    if role is None and not actor.is_platform_admin:
        raise NotFound("No such business")
    return business, role


async def member_business_ids(session: AsyncSession, actor: Actor) -> list[uuid.UUID]:
    """Ids of every business the actor belongs to, in any role (none when anonymous)."""
    return list(await roles(session, actor))


async def _unique_slug(session: AsyncSession, name: str) -> str:
    base = slugify(name, max_length=200) or "business"
    slug, n = base, 1
    while await repository.slug_taken(session, slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


async def get_business(session: AsyncSession, business_id: uuid.UUID) -> Business:
    business = await repository.get_business(session, business_id)
    if business is None:
        raise NotFound("No such business")
    return business


async def create_business(session: AsyncSession, actor: Actor, data: BusinessCreate) -> Business:
    """Create a business; its creator becomes its admin and a platform seller."""
    user_id = actor.require_user()
    if data.cluster_id:
        await get_cluster(session, data.cluster_id)
    business = Business(
        **data.model_dump(), slug=await _unique_slug(session, data.name), created_by_id=user_id
    )
    await repository.add_business(session, business, admin_id=user_id)
    _forget_roles(actor, user_id)
    await identity.promote_to_seller(session, user_id)
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
    await core_repository.flush(session)
    return business


async def list_businesses(
    session: AsyncSession, params: PageParams, search: str | None = None
) -> tuple[list[Business], int]:
    """The public directory of businesses, by name; ``search`` matches name or city."""
    return await repository.page_of_businesses(session, params, search)


async def my_businesses(session: AsyncSession, actor: Actor) -> list[tuple[Business, BusinessRole]]:
    return await repository.businesses_of_user(session, actor.require_user())


async def list_members(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID
) -> list[MemberOut]:
    await get_business(session, business_id)
    await require_role(session, actor, business_id, ALL_ROLES)
    rows = await repository.members_with_users(session, business_id)
    return [_member_out(m, u) for m, u in rows]


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
    user = await identity.find_user(session, email=data.email, phone=data.phone)
    if user is None:
        raise NotFound("No user with that email or phone; they must sign up first")
    if await repository.role_in(session, business_id, user.id) is not None:
        raise Conflict("This user is already a member; change their role instead")
    membership = Membership(business_id=business_id, user_id=user.id, role=data.role)
    await repository.add_membership(session, membership)
    _forget_roles(actor, user.id)
    return _member_out(membership, user)


async def _locked_membership(
    session: AsyncSession, business_id: uuid.UUID, user_id: uuid.UUID
) -> Membership:
    membership = await repository.locked_membership(session, business_id, user_id)
    if membership is None:
        raise NotFound("No such member")
    return membership


async def _ensure_another_admin(
    session: AsyncSession, business_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    admins = await repository.locked_admin_ids(session, business_id)
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
    await core_repository.flush(session)
    _forget_roles(actor, user_id)
    user = await identity.get_user(session, user_id)
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
    await repository.delete_membership(session, membership)
    _forget_roles(actor, user_id)


async def business_names(
    session: AsyncSession, business_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """``{id: name}`` of the given businesses (public facts, for lists of orders)."""
    return await repository.names(session, business_ids)


async def get_cluster(session: AsyncSession, cluster_id: uuid.UUID) -> Cluster:
    """A craft cluster; `NotFound` otherwise."""
    cluster = await repository.get_cluster(session, cluster_id)
    if cluster is None:
        raise NotFound("No such cluster")
    return cluster


async def list_clusters(session: AsyncSession) -> list[Cluster]:
    return await repository.all_clusters(session)
