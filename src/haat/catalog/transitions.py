"""Applying the product status machine of `workflow.py`.

Each action checks the actor's role and the business's approval mode (`workflow.RULES`) and
the current status, then moves the status through `workflow.PRODUCT_MACHINE`: a
compare-and-set UPDATE (``... WHERE status = <seen>``), so two approvers acting at once give
one transition and one 409 on every database, and a history row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.service import get_business, require_role
from haat.catalog.models import Product, ProductStatus
from haat.catalog.photo_quality import require_minimum
from haat.catalog.service import get_product
from haat.catalog.workflow import PRODUCT_MACHINE, RULES, Approval, ProductAction
from haat.core import repository
from haat.core.db import utcnow
from haat.core.errors import Conflict, HaatError, Unprocessable
from haat.identity.actor import Actor

# Actions that bring a product towards the public, and so need its photos at the minimum grade.
PHOTO_CHECKED = frozenset({ProductAction.SUBMIT, ProductAction.PUBLISH, ProductAction.APPROVE})


class ApprovalModeMismatch(Conflict):
    code, title = "approval_mode", "Not available with this business's approval setting"


async def apply_action(
    session: AsyncSession,
    actor: Actor,
    product_id: uuid.UUID,
    action: ProductAction,
    reason: str | None = None,
) -> Product:
    """Move a product along the workflow and record the change.

    Raises 401/403 for a caller without the action's role, 404 when the caller may not see
    the product, 409 `InvalidTransition` when the current status does not allow the action
    (or another request changed it first), 409 `ApprovalModeMismatch` for `submit` where
    approval is off and `publish` where it is on, and 409 `PhotosBelowMinimum` for `submit`,
    `publish` and `approve` when a photo is below the business's minimum grade.
    """
    rule = RULES[action]
    product = await get_product(session, actor, product_id, for_display=False)
    business = await get_business(session, product.business_id)
    await require_role(session, actor, business.id, rule.roles, platform_admin=rule.platform_admin)
    if rule.approval == Approval.REQUIRED and not business.requires_approval:
        raise ApprovalModeMismatch("This business publishes without approval; use publish")
    if rule.approval == Approval.OFF and business.requires_approval:
        raise ApprovalModeMismatch("This business requires approval; use submit")
    seen = product.status
    target = PRODUCT_MACHINE.transition(action, seen).moves[seen]
    if action in PHOTO_CHECKED:
        await require_minimum(session, actor, product, action.value)
    values: dict[str, object] = {}
    if action == ProductAction.REJECT:
        values["rejection_reason"] = reason
    if target == ProductStatus.APPROVED:
        values["rejection_reason"] = None
        values["published_at"] = product.published_at or utcnow()
    await PRODUCT_MACHINE.move(
        session, product_id, seen, action, actor_id=actor.user_id, note=reason, values=values
    )
    return await get_product(session, actor, product_id)


MAX_BULK = 100


@dataclass(frozen=True)
class BulkOutcome:
    """What one product of a bulk action came to: ``error`` is None when it moved, else the
    problem code it was refused with (``invalid_transition``, ``not_found``, ...)."""

    product_id: uuid.UUID
    error: str | None
    detail: str | None = None


async def apply_bulk(
    session: AsyncSession,
    actor: Actor,
    product_ids: list[uuid.UUID],
    action: ProductAction,
    reason: str | None = None,
) -> list[BulkOutcome]:
    """`apply_action` on each product in its own savepoint: a product that cannot move (taken
    by another approver, wrong status, not visible) is reported and the others still move.

    Raises `Unprocessable` for more than 100 products, a duplicate id, or `reject` without a
    reason of at least 3 characters.
    """
    actor.require_user()
    if len(product_ids) > MAX_BULK or len(set(product_ids)) != len(product_ids):
        raise Unprocessable(f"Give at most {MAX_BULK} different products")
    if action == ProductAction.REJECT and (reason is None or len(reason.strip()) < 3):
        raise Unprocessable(
            "A rejection needs a reason",
            errors=[{"loc": ["body", "reason"], "msg": "at least 3 characters", "type": "short"}],
        )
    outcomes: list[BulkOutcome] = []
    for product_id in product_ids:
        try:
            async with repository.savepoint(session):
                await apply_action(session, actor, product_id, action, reason)
        except HaatError as exc:
            outcomes.append(BulkOutcome(product_id, exc.code, exc.detail))
        else:
            outcomes.append(BulkOutcome(product_id, None))
    return outcomes
