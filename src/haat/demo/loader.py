"""`haat demo`: a marketplace on real data, loaded in one transaction.

* one artisan workshop per craft cluster of `craft_clusters.csv` (its town, state and
  coordinates) with 6-8 products written from its craft, materials and GI facts (INR);
* a jewellery shop whose stock is 2,000 real stones from the diamonds data set (USD) and a
  few hallmarked gold pieces priced from the seeded gold rate (`gold_jewellery.py`);
* products in every workflow status, each with the status path that led there, so the
  approval queue is not empty;
* users for every role (see `DEMO_ACCOUNTS`).

Rows are stored through each domain's import service (`identity.importing`,
`businesses.importing`, `catalog.importing`), which own their tables. Users, clusters,
businesses and products have deterministic ids (UUID v5), and a loaded database is recognised
by its platform admin: a second run changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from slugify import slugify
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.importing import (
    BusinessImport,
    ClusterImport,
    import_business,
    import_clusters,
)
from haat.businesses.models import BusinessKind, BusinessRole
from haat.catalog.categories import get_or_create_path
from haat.catalog.importing import ProductImport, import_jewellery, import_products
from haat.catalog.models import Category, Metal, ProductStatus
from haat.catalog.workflow import ProductAction
from haat.commerce.tax import seed_demo_rates
from haat.core.db import utcnow
from haat.core.security import hash_password
from haat.core.state_machine import Step
from haat.demo.accounts import BUYERS_AND_ADMIN, SHOWCASE_CLUSTER, DemoAccount
from haat.demo.catalog_content import craft_products, load_clusters
from haat.demo.diamonds import diamond_products
from haat.demo.gold_jewellery import PIECES, gold_specs, jewellery_spec
from haat.demo.specs import ClusterRow, ProductSpec
from haat.fx.seed import seed_fx_rates
from haat.identity.importing import UserImport, import_users, user_exists
from haat.identity.models import PlatformRole
from haat.pricing.jewellery import at_rate, latest_rate
from haat.pricing.seed import seed_gold_rates

NAMESPACE = uuid.UUID("5b0f1c2e-7d4a-4e8b-9a51-68a7d3c0e2f1")
DEMO_PASSWORD = "haat-demo-2026"  # printed once and listed in the README; demo data only
# The epoch the demo's timestamps count back from, so that reruns produce identical rows.
DEMO_EPOCH = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
A = ProductAction
# How each status is reached after creation: the actions of its status path.
PATHS: dict[ProductStatus, tuple[ProductAction, ...]] = {
    ProductStatus.DRAFT: (),
    ProductStatus.PENDING_APPROVAL: (A.SUBMIT,),
    ProductStatus.APPROVED: (A.SUBMIT, A.APPROVE),
    ProductStatus.REJECTED: (A.SUBMIT, A.REJECT),
    ProductStatus.UNPUBLISHED: (A.SUBMIT, A.APPROVE, A.UNPUBLISH),
    ProductStatus.ARCHIVED: (A.ARCHIVE,),
}


ProductsOf = tuple[uuid.UUID, list[ProductSpec], uuid.UUID, uuid.UUID, tuple[str, ...]]


def demo_id(*parts: str) -> uuid.UUID:
    """A stable id for a demo row."""
    return uuid.uuid5(NAMESPACE, ":".join(parts))


@dataclass
class DemoResult:
    loaded: bool
    businesses: int = 0
    products: int = 0
    users: int = 0
    accounts: tuple[DemoAccount, ...] = ()


@dataclass
class Plan:
    """What one load stores, gathered before anything is written."""

    password_hash: str
    users: list[UserImport] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    clusters: list[ClusterImport] = field(default_factory=list)
    businesses: list[BusinessImport] = field(default_factory=list)
    # (business id, its product specs, editor, approver, names the search finds them by)
    products: list[ProductsOf] = field(default_factory=list)

    def user(
        self,
        email: str,
        name: str,
        role: PlatformRole,
        what: str,
        *,
        listed: bool = False,
        **profile: Any,
    ) -> uuid.UUID:
        """A demo user (``profile``: phone, language, country, currency); returns its id."""
        row = UserImport(
            id=demo_id("user", email),
            email=email,
            full_name=name,
            password_hash=self.password_hash,
            platform_role=role,
            created_at=DEMO_EPOCH - timedelta(days=120),
            **profile,
        )
        self.users.append(row)
        if listed:
            self.accounts.append(DemoAccount(email, role.value, what))
        return row.id


def _workshop_name(row: ClusterRow) -> str:
    """E.g. "Jaipur Blue Pottery Collective" (the craft often starts with the town)."""
    craft = row.craft if row.craft.startswith(row.name) else f"{row.name} {row.craft}"
    words = [w if w[:1].isupper() else w.capitalize() for w in craft.split()]
    return " ".join([*words, "Collective"])


def _cluster(row: ClusterRow) -> ClusterImport:
    return ClusterImport(
        id=demo_id("cluster", row.name),
        name=row.name,
        slug=slugify(row.name),
        town=row.town,
        state=row.state,
        craft=row.craft,
        category=row.category,
        materials=", ".join(row.materials),
        gi_tag=row.gi_tag,
        latitude=row.latitude,
        longitude=row.longitude,
    )


def _plan_workshop(plan: Plan, row: ClusterRow) -> None:
    """A cluster's workshop: its lead (admin), staff for the showcase cluster, products."""
    code = slugify(row.name, separator=".")
    showcase = row.name == SHOWCASE_CLUSTER
    owner = plan.user(
        f"{code}@haat.example",
        f"{row.town} artisans' lead",
        PlatformRole.SELLER,
        f"admin of the {row.name} workshop",
        listed=showcase,
    )
    members = [(owner, BusinessRole.ADMIN)]
    approver = owner
    if showcase:
        for role in (BusinessRole.APPROVER, BusinessRole.EDITOR, BusinessRole.VIEWER):
            staff = plan.user(
                f"{code}.{role.value}@haat.example",
                f"{row.town} {role.value}",
                PlatformRole.BUYER,
                f"{role.value} of the {row.name} workshop",
                listed=True,
            )
            members.append((staff, role))
            approver = staff if role == BusinessRole.APPROVER else approver
    cluster = _cluster(row)
    plan.clusters.append(cluster)
    business = BusinessImport(
        id=demo_id("business", row.name),
        name=_workshop_name(row),
        slug=slugify(f"{row.name} {row.craft}"),
        kind=BusinessKind.ARTISAN_WORKSHOP,
        description=f"Artisans of {row.town}, {row.state}, making {row.craft}.",
        city=row.town,
        state=row.state,
        country="IN",
        latitude=row.latitude,
        longitude=row.longitude,
        created_by_id=owner,
        members=tuple(members),
        cluster_id=cluster.id,
    )
    plan.businesses.append(business)
    names = (business.name, row.name, row.craft)
    plan.products.append((business.id, craft_products(row), owner, approver, names))


def _plan_jeweller(plan: Plan, stones: list[ProductSpec], pieces: list[ProductSpec]) -> uuid.UUID:
    """The jewellery shop, its admin and approver, its stones and gold pieces."""
    jeweller = plan.user(
        "jeweller@haat.example",
        "Rohit Mehta",
        PlatformRole.SELLER,
        "admin of Mehta Diamonds & Gold",
        listed=True,
    )
    grader = plan.user(
        "grader@haat.example",
        "Neha Shah",
        PlatformRole.BUYER,
        "approver at Mehta Diamonds & Gold",
        listed=True,
    )
    shop = BusinessImport(
        id=demo_id("business", "mehta-diamonds"),
        name="Mehta Diamonds & Gold",
        slug="mehta-diamonds-gold",
        kind=BusinessKind.JEWELLERY_SHOP,
        description="Loose round brilliant diamonds graded on the 4Cs, and gold jewellery.",
        city="Surat",
        state="Gujarat",
        country="IN",
        latitude=21.170,
        longitude=72.831,
        created_by_id=jeweller,
        members=((jeweller, BusinessRole.ADMIN), (grader, BusinessRole.APPROVER)),
    )
    plan.businesses.append(shop)
    plan.products.append((shop.id, stones, jeweller, grader, (shop.name,)))
    plan.products.append((shop.id, pieces, jeweller, grader, (shop.name,)))
    return shop.id


def product_import(
    business_id: uuid.UUID,
    index: int,
    spec: ProductSpec,
    category: Category,
    editor: uuid.UUID,
    approver: uuid.UUID,
    names: tuple[str, ...],
) -> ProductImport:
    """A demo product with the status path of its ``status_hint``: created by ``editor``, the
    approver approving or rejecting, one step every 20 hours."""
    status = ProductStatus(spec.status_hint)
    created = DEMO_EPOCH - timedelta(days=90, minutes=-index * 37)
    steps = tuple(
        Step(
            action,
            created + timedelta(hours=(n + 1) * 20),
            approver if action in (A.APPROVE, A.REJECT) else editor,
            spec.rejection_reason if action == A.REJECT else None,
        )
        for n, action in enumerate(PATHS[status])
    )
    published = status in (ProductStatus.APPROVED, ProductStatus.UNPUBLISHED)
    return ProductImport(
        id=demo_id("product", str(business_id), spec.sku),
        business_id=business_id,
        category_id=category.id,
        category_name=category.name,
        title=spec.title,
        description=spec.description,
        price_minor=spec.price_minor,
        currency=spec.currency,
        sku=spec.sku,
        stock_quantity=spec.stock_quantity,
        attributes=dict(spec.attributes),
        created_by_id=editor,
        created_at=created,
        steps=steps,
        rejection_reason=spec.rejection_reason,
        published_at=created + timedelta(days=2) if published else None,
        search_names=names,
    )


async def _store_products(session: AsyncSession, plan: Plan, advance: Callable[[int], None]) -> int:
    """The planned products, their categories looked up once per load."""
    categories: dict[tuple[str, str], Category] = {}
    rows: list[ProductImport] = []
    for business_id, specs, editor, approver, names in plan.products:
        for index, spec in enumerate(specs):
            key = (spec.category, spec.subcategory)
            if key not in categories:
                categories[key] = await get_or_create_path(session, list(key))
            rows.append(
                product_import(business_id, index, spec, categories[key], editor, approver, names)
            )
    await import_products(session, rows, advance)
    return len(rows)


async def is_loaded(session: AsyncSession) -> bool:
    return await user_exists(session, demo_id("user", "admin@haat.example"))


async def load_demo(
    session: AsyncSession,
    *,
    diamonds: int = 2000,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
) -> DemoResult:
    """Load the demo marketplace into ``session`` (flushes, does not commit).

    ``progress(total, _)`` may return a callback advanced as products are stored. Returns
    ``DemoResult(loaded=False)`` when the demo is already there.
    """
    # Reference data first: idempotent, so a database loaded before they existed gets them.
    await seed_fx_rates(session)
    await seed_gold_rates(session)
    if await is_loaded(session):
        await seed_demo_rates(session)
        return DemoResult(loaded=False)
    plan = Plan(hash_password(DEMO_PASSWORD))
    for email, name, role, what, profile in BUYERS_AND_ADMIN:
        plan.user(email, name, role, what, listed=True, **profile)
    for row in load_clusters():
        _plan_workshop(plan, row)
    gold = await latest_rate(session, Metal.GOLD)
    shop_id = _plan_jeweller(plan, diamond_products(diamonds), gold_specs(gold.rate_minor_per_g))
    total = sum(len(specs) for _, specs, *_ in plan.products)
    advance = progress(total, 0) if progress else (lambda _n: None)
    await import_users(session, plan.users)
    await import_clusters(session, plan.clusters)
    for business in plan.businesses:
        await import_business(session, business)
    products = await _store_products(session, plan, advance)
    for piece in PIECES:
        spec = jewellery_spec(piece)
        product_id = demo_id("product", str(shop_id), piece.sku)
        await import_jewellery(session, product_id, spec, at_rate(spec, gold), utcnow())
    await seed_demo_rates(session)
    return DemoResult(
        loaded=True,
        businesses=len(plan.businesses),
        products=products,
        users=len(plan.users),
        accounts=tuple(plan.accounts),
    )
