"""`haat demo`: a marketplace on real data, loaded in one transaction.

* one artisan workshop per craft cluster of `craft_clusters.csv` (its town, state and
  coordinates) with 6-8 products written from its craft, materials and GI facts (INR);
* a jewellery shop whose stock is 2,000 real stones from the diamonds data set (USD) and a
  few hallmarked gold pieces priced from the seeded gold rate (`gold_jewellery.py`);
* products in every workflow status, with their status history, so the approval queue is
  not empty;
* users for every role (see `DEMO_ACCOUNTS`).

Every row has a deterministic id (UUID v5), and a loaded database is recognised by its
platform admin: a second run changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slugify import slugify
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import Business, BusinessKind, BusinessRole, Cluster, Membership
from haat.catalog.categories import get_or_create_path
from haat.catalog.models import Category, Metal, Product, ProductStatus, ProductStatusChange
from haat.catalog.search import search_terms_for
from haat.catalog.workflow import ProductAction
from haat.commerce.tax import seed_demo_rates
from haat.core.security import hash_password
from haat.demo.catalog_content import (
    ClusterRow,
    ProductSpec,
    craft_products,
    diamond_products,
    load_clusters,
)
from haat.demo.gold_jewellery import PIECES, gold_specs, jewellery_row
from haat.fx.seed import seed_fx_rates
from haat.identity.models import PlatformRole, User
from haat.pricing.jewellery import latest_rate
from haat.pricing.seed import seed_gold_rates

NAMESPACE = uuid.UUID("5b0f1c2e-7d4a-4e8b-9a51-68a7d3c0e2f1")
DEMO_PASSWORD = "haat-demo-2026"  # printed once and listed in the README; demo data only
SHOWCASE_CLUSTER = "Jaipur"
# The epoch the demo's timestamps count back from, so that reruns produce identical rows.
DEMO_EPOCH = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def demo_id(*parts: str) -> uuid.UUID:
    """A stable id for a demo row."""
    return uuid.uuid5(NAMESPACE, ":".join(parts))


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    what: str


@dataclass
class DemoResult:
    loaded: bool
    businesses: int = 0
    products: int = 0
    users: int = 0
    accounts: tuple[DemoAccount, ...] = ()


# How each status is reached from creation, for the status history.
PATHS: dict[ProductStatus, list[tuple[ProductAction, ProductStatus]]] = {
    ProductStatus.DRAFT: [],
    ProductStatus.PENDING_APPROVAL: [(ProductAction.SUBMIT, ProductStatus.PENDING_APPROVAL)],
    ProductStatus.APPROVED: [
        (ProductAction.SUBMIT, ProductStatus.PENDING_APPROVAL),
        (ProductAction.APPROVE, ProductStatus.APPROVED),
    ],
    ProductStatus.REJECTED: [
        (ProductAction.SUBMIT, ProductStatus.PENDING_APPROVAL),
        (ProductAction.REJECT, ProductStatus.REJECTED),
    ],
    ProductStatus.UNPUBLISHED: [
        (ProductAction.SUBMIT, ProductStatus.PENDING_APPROVAL),
        (ProductAction.APPROVE, ProductStatus.APPROVED),
        (ProductAction.UNPUBLISH, ProductStatus.UNPUBLISHED),
    ],
    ProductStatus.ARCHIVED: [(ProductAction.ARCHIVE, ProductStatus.ARCHIVED)],
}


class DemoLoader:
    """Builds the demo rows into one session; the caller commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.password_hash = hash_password(DEMO_PASSWORD)
        self.accounts: list[DemoAccount] = []
        self.users = 0
        self._categories: dict[tuple[str, str], Category] = {}

    def user(
        self,
        email: str,
        name: str,
        role: PlatformRole,
        what: str,
        *,
        listed: bool = False,
        phone: str | None = None,
        language: str = "en",
        country: str = "IN",
        currency: str = "INR",
    ) -> User:
        user = User(
            id=demo_id("user", email),
            email=email,
            phone=phone,
            full_name=name,
            password_hash=self.password_hash,
            platform_role=role,
            preferred_language=language,
            country=country,
            currency=currency,
            created_at=DEMO_EPOCH - timedelta(days=120),
            updated_at=DEMO_EPOCH - timedelta(days=120),
        )
        self.session.add(user)
        self.users += 1
        if listed:
            self.accounts.append(DemoAccount(email, role.value, what))
        return user

    async def category(self, name: str, subcategory: str) -> Category:
        """The category path, looked up once per load rather than once per product."""
        key = (name, subcategory)
        if key not in self._categories:
            self._categories[key] = await get_or_create_path(self.session, [name, subcategory])
        return self._categories[key]

    async def member(self, business: Business, user: User, role: BusinessRole) -> None:
        await self.session.flush()  # the user row first: no relationship orders them for us
        self.session.add(
            Membership(
                id=demo_id("member", str(business.id), str(user.id)),
                business_id=business.id,
                user_id=user.id,
                role=role,
            )
        )

    async def products(
        self,
        business: Business,
        specs: list[ProductSpec],
        actor: User,
        approver: User,
        names: tuple[str | None, ...],
        advance: Callable[[int], None],
    ) -> int:
        for index, spec in enumerate(specs):
            category = await self.category(spec.category, spec.subcategory)
            status = ProductStatus(spec.status_hint)
            created = DEMO_EPOCH - timedelta(days=90, minutes=-index * 37)
            published = (
                created + timedelta(days=2)
                if status in {ProductStatus.APPROVED, ProductStatus.UNPUBLISHED}
                else None
            )
            product = Product(
                id=demo_id("product", str(business.id), spec.sku),
                business_id=business.id,
                category_id=category.id,
                title=spec.title,
                description=spec.description,
                price_minor=spec.price_minor,
                currency=spec.currency,
                sku=spec.sku,
                stock_quantity=spec.stock_quantity,
                attributes=dict(spec.attributes),
                status=status,
                rejection_reason=spec.rejection_reason,
                published_at=published,
                created_by_id=actor.id,
                created_at=created,
                updated_at=created,
            )
            product.search_terms = search_terms_for(product.attributes, category.name, *names)
            self.session.add(product)
            self.history(product, actor, approver, status, created, spec.rejection_reason)
            if index % 200 == 199:
                await self.session.flush()
            advance(1)
        await self.session.flush()
        return len(specs)

    def history(
        self,
        product: Product,
        editor: User,
        approver: User,
        status: ProductStatus,
        when: datetime,
        reason: str | None,
    ) -> None:
        steps = [(ProductAction.CREATE, ProductStatus.DRAFT), *PATHS[status]]
        previous: ProductStatus | None = None
        for n, (action, target) in enumerate(steps):
            by_approver = action in {ProductAction.APPROVE, ProductAction.REJECT}
            self.session.add(
                ProductStatusChange(
                    id=demo_id("history", str(product.id), str(n)),
                    product_id=product.id,
                    actor_id=(approver if by_approver else editor).id,
                    action=action.value,
                    from_status=previous,
                    to_status=target,
                    reason=reason if action == ProductAction.REJECT else None,
                    created_at=when + timedelta(hours=n * 20),
                )
            )
            previous = target


def _workshop_name(row: ClusterRow) -> str:
    """E.g. "Jaipur Blue Pottery Collective" (the craft often starts with the town)."""
    craft = row.craft if row.craft.startswith(row.name) else f"{row.name} {row.craft}"
    words = [w if w[:1].isupper() else w.capitalize() for w in craft.split()]
    return " ".join([*words, "Collective"])


def _cluster_row(row: ClusterRow) -> Cluster:
    return Cluster(
        id=demo_id("cluster", row.name),
        name=row.name,
        slug=slugify(row.name),
        town=row.town,
        state=row.state,
        country="IN",
        craft=row.craft,
        category=row.category,
        materials=", ".join(row.materials),
        gi_tag=row.gi_tag,
        latitude=row.latitude,
        longitude=row.longitude,
    )


async def is_loaded(session: AsyncSession) -> bool:
    return await session.get(User, demo_id("user", "admin@haat.example")) is not None


async def load_demo(
    session: AsyncSession,
    *,
    diamonds: int = 2000,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
) -> DemoResult:
    """Load the demo marketplace into ``session`` (flushes, does not commit).

    ``progress(total, _)`` may return a callback advanced once per product. Returns
    ``DemoResult(loaded=False)`` when the demo is already there.
    """
    # Reference data first: idempotent, so a database loaded before they existed gets them.
    await seed_fx_rates(session)
    await seed_gold_rates(session)
    if await is_loaded(session):
        await seed_demo_rates(session)
        return DemoResult(loaded=False)
    loader = DemoLoader(session)
    clusters = load_clusters()
    craft_specs = {c.name: craft_products(c) for c in clusters}
    stones = diamond_products(diamonds)
    gold = await latest_rate(session, Metal.GOLD)
    pieces = gold_specs(gold.rate_minor_per_g)
    total = sum(len(s) for s in craft_specs.values()) + len(stones) + len(pieces)
    advance = progress(total, 0) if progress else (lambda _n: None)

    loader.user(
        "admin@haat.example",
        "Asha Admin",
        PlatformRole.ADMIN,
        "platform admin: approves any business's products",
        listed=True,
    )
    loader.user(
        "buyer@haat.example",
        "Lena Becker",
        PlatformRole.BUYER,
        "buyer in Germany (German, EUR)",
        listed=True,
        language="de",
        country="DE",
        currency="EUR",
    )
    loader.user(
        "kiran@haat.example",
        "Kiran Rao",
        PlatformRole.BUYER,
        "buyer in India (Hindi, INR); also logs in by OTP",
        listed=True,
        phone="+919812345678",
        language="hi",
    )

    businesses = products = 0
    for row in clusters:
        cluster = _cluster_row(row)
        session.add(cluster)
        code = slugify(row.name, separator=".")
        owner = loader.user(
            f"{code}@haat.example",
            f"{row.town} artisans' lead",
            PlatformRole.SELLER,
            f"admin of the {row.name} workshop",
            listed=row.name == SHOWCASE_CLUSTER,
        )
        await session.flush()  # users and clusters before the rows that refer to them
        business = Business(
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
            requires_approval=True,
            cluster_id=cluster.id,
            created_by_id=owner.id,
        )
        session.add(business)
        await session.flush()
        await loader.member(business, owner, BusinessRole.ADMIN)
        approver = owner
        if row.name == SHOWCASE_CLUSTER:
            for role in (BusinessRole.APPROVER, BusinessRole.EDITOR, BusinessRole.VIEWER):
                staff = loader.user(
                    f"{code}.{role.value}@haat.example",
                    f"{row.town} {role.value}",
                    PlatformRole.BUYER,
                    f"{role.value} of the {row.name} workshop",
                    listed=True,
                )
                await loader.member(business, staff, role)
                approver = staff if role == BusinessRole.APPROVER else approver
        businesses += 1
        products += await loader.products(
            business,
            craft_specs[row.name],
            owner,
            approver,
            (business.name, row.name, row.craft),
            advance,
        )

    jeweller = loader.user(
        "jeweller@haat.example",
        "Rohit Mehta",
        PlatformRole.SELLER,
        "admin of Mehta Diamonds & Gold",
        listed=True,
    )
    shop = Business(
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
        requires_approval=True,
        created_by_id=jeweller.id,
    )
    await session.flush()
    session.add(shop)
    await session.flush()
    await loader.member(shop, jeweller, BusinessRole.ADMIN)
    grader = loader.user(
        "grader@haat.example",
        "Neha Shah",
        PlatformRole.BUYER,
        "approver at Mehta Diamonds & Gold",
        listed=True,
    )
    await loader.member(shop, grader, BusinessRole.APPROVER)
    businesses += 1
    products += await loader.products(shop, stones, jeweller, grader, (shop.name,), advance)
    products += await loader.products(shop, pieces, jeweller, grader, (shop.name,), advance)
    for piece in PIECES:
        session.add(jewellery_row(demo_id("product", str(shop.id), piece.sku), piece, gold))
    await session.flush()
    await seed_demo_rates(session)
    return DemoResult(
        loaded=True,
        businesses=businesses,
        products=products,
        users=loader.users,
        accounts=tuple(loader.accounts),
    )
