"""Platform staff's user search, roles and disabling (identity/admin.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from haat.core.errors import Forbidden, NotFound, Unauthenticated
from haat.core.pagination import PageParams
from haat.identity import admin
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole, RefreshToken, User
from tests.conftest import Factory

PAGE = PageParams(1, 20)


async def test_search_by_name_email_phone_role(factory: Factory) -> None:
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    asha = await factory.user("asha", phone="+919812345678")
    await factory.user("bilal", role=PlatformRole.SELLER)
    async with factory.session() as s:
        found, total = await admin.search_users(s, staff.actor, PAGE, search="ASHA")
        assert [u.id for u in found] == [asha.id] and total == 1
        by_phone, _ = await admin.search_users(s, staff.actor, PAGE, search="98123 456")
        assert [u.id for u in by_phone] == [asha.id]
        sellers, _ = await admin.search_users(s, staff.actor, PAGE, role=PlatformRole.SELLER)
        assert [u.full_name for u in sellers] == ["Bilal"]
        wildcard, _ = await admin.search_users(s, staff.actor, PAGE, search="%")
        assert wildcard == []


async def test_only_platform_admins(factory: Factory) -> None:
    seller = await factory.user("seller", role=PlatformRole.SELLER)
    async with factory.session() as s:
        with pytest.raises(Unauthenticated):
            await admin.search_users(s, Actor.anonymous(), PAGE)
        with pytest.raises(Forbidden):
            await admin.search_users(s, seller.actor, PAGE)
        with pytest.raises(Forbidden):
            await admin.update_user(s, seller.actor, seller.id, is_active=False)


async def test_disable_revokes_every_login_and_enable_again(factory: Factory) -> None:
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    lena = await factory.user("lena")
    async with factory.session() as s:
        user = await s.get(User, lena.id)
        assert user is not None
        from haat.identity.service import open_page_session

        family = await open_page_session(s, factory.settings, user)
        await s.commit()
    async with factory.session() as s:
        changed = await admin.update_user(s, staff.actor, lena.id, is_active=False)
        await s.commit()
        assert changed.is_active is False
    async with factory.session() as s:
        token = await s.scalar(select(RefreshToken).where(RefreshToken.family_id == family))
        assert token is not None and token.revoked_at is not None
        again = await admin.update_user(s, staff.actor, lena.id, is_active=True)
        assert again.is_active is True


async def test_roles_and_self_protection(factory: Factory) -> None:
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    lena = await factory.user("lena")
    async with factory.session() as s:
        promoted = await admin.update_user(
            s, staff.actor, lena.id, platform_role=PlatformRole.ADMIN
        )
        assert promoted.platform_role == PlatformRole.ADMIN
        with pytest.raises(admin.SelfChange):
            await admin.update_user(s, staff.actor, staff.id, is_active=False)
        with pytest.raises(admin.SelfChange):
            await admin.update_user(s, staff.actor, staff.id, platform_role=PlatformRole.BUYER)
        same = await admin.update_user(s, staff.actor, staff.id, platform_role=PlatformRole.ADMIN)
        assert same.platform_role == PlatformRole.ADMIN
        import uuid

        with pytest.raises(NotFound):
            await admin.update_user(s, staff.actor, uuid.uuid4(), is_active=False)
