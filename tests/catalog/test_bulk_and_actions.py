"""Bulk approval with partial success, the buttons each role sees, the shop window."""

from __future__ import annotations

import uuid

import pytest

from haat.businesses.models import BusinessRole
from haat.catalog import service, transitions
from haat.catalog.models import Product, ProductStatus
from haat.catalog.workflow import ProductAction, available_actions
from haat.core.errors import Unprocessable
from haat.identity.models import PlatformRole
from tests.conftest import Factory

S, A, R = ProductStatus, ProductAction, BusinessRole


async def test_bulk_approve_moves_what_it_can(factory: Factory) -> None:
    shop = await factory.business(await factory.user("owner"))
    waiting = [await factory.product(shop, status=S.PENDING_APPROVAL) for _ in range(2)]
    draft = await factory.product(shop, status=S.DRAFT)
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    ids = [waiting[0].id, draft.id, uuid.uuid4(), waiting[1].id]
    async with factory.session() as s:
        outcomes = await transitions.apply_bulk(s, staff.actor, ids, A.APPROVE)
        await s.commit()
    assert [o.error for o in outcomes] == [None, "invalid_transition", "not_found", None]
    async with factory.session() as s:
        statuses = [(await s.get(Product, p.id)).status for p in (*waiting, draft)]  # type: ignore[union-attr]
    assert statuses == [S.APPROVED, S.APPROVED, S.DRAFT]


async def test_bulk_reject_needs_a_reason_and_limits(factory: Factory) -> None:
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    some = uuid.uuid4()
    async with factory.session() as s:
        with pytest.raises(Unprocessable):
            await transitions.apply_bulk(s, staff.actor, [some], A.REJECT, " x ")
        with pytest.raises(Unprocessable):
            await transitions.apply_bulk(s, staff.actor, [some, some], A.APPROVE)
        with pytest.raises(Unprocessable):
            await transitions.apply_bulk(
                s, staff.actor, [uuid.uuid4() for _ in range(101)], A.APPROVE
            )


async def test_bulk_by_a_business_approver_cannot_touch_other_businesses(
    factory: Factory,
) -> None:
    shop = await factory.business(await factory.user("owner"))
    other = await factory.business(await factory.user("other"))
    mine = await factory.product(shop, status=S.PENDING_APPROVAL)
    theirs = await factory.product(other, status=S.PENDING_APPROVAL)
    approver = await factory.member(shop, R.APPROVER)
    async with factory.session() as s:
        outcomes = await transitions.apply_bulk(
            s, approver.actor, [mine.id, theirs.id], A.REJECT, "Blurry photo"
        )
        await s.commit()
    assert [o.error for o in outcomes] == [None, "not_found"]


@pytest.mark.parametrize(
    ("status", "role", "approval", "admin", "expected"),
    [
        (S.DRAFT, R.EDITOR, True, False, [A.SUBMIT, A.ARCHIVE]),
        (S.DRAFT, R.EDITOR, False, False, [A.PUBLISH, A.ARCHIVE]),
        (S.PENDING_APPROVAL, R.APPROVER, True, False, [A.APPROVE, A.REJECT]),
        (S.PENDING_APPROVAL, R.EDITOR, True, False, [A.ARCHIVE]),
        (S.PENDING_APPROVAL, None, True, True, [A.APPROVE, A.REJECT, A.ARCHIVE]),
        (S.APPROVED, R.VIEWER, True, False, []),
        (S.APPROVED, R.ADMIN, True, False, [A.UNPUBLISH, A.ARCHIVE]),
        (S.ARCHIVED, R.ADMIN, True, False, []),
        (S.DRAFT, None, True, True, [A.ARCHIVE]),
    ],
)
def test_available_actions(
    status: ProductStatus,
    role: BusinessRole | None,
    approval: bool,
    admin: bool,
    expected: list[ProductAction],
) -> None:
    got = available_actions(status, role, requires_approval=approval, platform_admin=admin)
    assert got == expected


async def test_featured_is_one_product_per_seller(factory: Factory) -> None:
    shops = [
        await factory.business(await factory.user(f"o{i}"), name=f"Shop {i}") for i in range(3)
    ]
    for shop in shops:
        for n in range(3):
            await factory.product(shop, title=f"{shop.name} item {n}")
    await factory.product(shops[0], status=S.DRAFT, title="hidden")
    async with factory.session() as s:
        featured = await service.list_featured(s, 2)
        everything = await service.list_featured(s, 10)
    assert len(featured) == 2
    assert len({p.business_id for p in everything}) == 3 and len(everything) == 3
    assert all(p.status == S.APPROVED for p in everything)
    assert featured[0].title == "Shop 2 item 2"  # the newest of the newest seller
