"""The product status machine, and who may move a product along it.

Source: the architecture page's "Product status" (draft -> pending_approval -> approved;
pending_approval -> rejected -> draft; approved <-> unpublished; any -> archived), with
`publish` for businesses whose `requires_approval` is off.

`PRODUCT_MACHINE` knows where a status may go (every move is a compare-and-set UPDATE plus a
`ProductStatusChange` row naming the action); `RULES` says who may take each action a caller
asks for, by business role and approval mode. `revise` is no caller's action: an edit of
public content makes it (`service.mark_revised`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from haat.businesses.models import BusinessRole
from haat.catalog.models import Product, ProductStatusChange
from haat.catalog.models import ProductStatus as S
from haat.core.state_machine import History, StateMachine, Transition

R = BusinessRole


class ProductAction(enum.StrEnum):
    CREATE = "create"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    ARCHIVE = "archive"
    # Implicit, on edit: a rejected product goes back to draft; an approved product whose
    # public fields change goes back to the approval queue where approval is required.
    REVISE = "revise"


A = ProductAction
PRODUCT_MACHINE: StateMachine[ProductAction, S] = StateMachine(
    name="product",
    model=Product,
    column=Product.status,
    history=History(ProductStatusChange, "product_id", note="reason", event="action"),
    transitions={
        A.SUBMIT: Transition.to(S.PENDING_APPROVAL, [S.DRAFT, S.UNPUBLISHED]),
        A.APPROVE: Transition.to(S.APPROVED, [S.PENDING_APPROVAL]),
        A.REJECT: Transition.to(S.REJECTED, [S.PENDING_APPROVAL]),
        A.PUBLISH: Transition.to(S.APPROVED, [S.DRAFT, S.UNPUBLISHED]),
        A.UNPUBLISH: Transition.to(S.UNPUBLISHED, [S.APPROVED]),
        A.ARCHIVE: Transition.to(S.ARCHIVED, set(S) - {S.ARCHIVED}),
        A.REVISE: Transition({S.REJECTED: S.DRAFT, S.APPROVED: S.PENDING_APPROVAL}),
    },
    initial=S.DRAFT,
)


class Approval(enum.Enum):
    REQUIRED = "required"  # only in businesses with requires_approval on
    OFF = "off"  # only in businesses with requires_approval off
    ANY = "any"


@dataclass(frozen=True)
class Rule:
    """Who may take an action: members with one of ``roles``, platform admins when
    ``platform_admin``, in businesses of the ``approval`` mode."""

    roles: frozenset[BusinessRole]
    platform_admin: bool
    approval: Approval = Approval.ANY


EDITORS = frozenset({R.ADMIN, R.EDITOR})
APPROVERS = frozenset({R.ADMIN, R.APPROVER})

RULES: dict[ProductAction, Rule] = {
    A.SUBMIT: Rule(EDITORS, False, Approval.REQUIRED),
    A.APPROVE: Rule(APPROVERS, True),
    A.REJECT: Rule(APPROVERS, True),
    A.PUBLISH: Rule(EDITORS, False, Approval.OFF),
    A.UNPUBLISH: Rule(EDITORS, True),
    A.ARCHIVE: Rule(EDITORS, True),
}

# Fields whose change sends an approved product back through approval.
PUBLIC_FIELDS = frozenset(
    {"title", "description", "category_id", "price_minor", "currency", "attributes"}
)


def available_actions(
    status: S, role: BusinessRole | None, *, requires_approval: bool, platform_admin: bool
) -> list[ProductAction]:
    """The workflow actions a caller may take on a product in ``status``: by their business
    ``role`` (None when not a member) or as a platform admin, in the business's approval mode.
    The same tables `transitions.apply_action` enforces; for showing the right buttons."""
    actions = []
    for action in PRODUCT_MACHINE.events_from(status):
        rule = RULES.get(action)
        if rule is None:
            continue
        if rule.approval == Approval.REQUIRED and not requires_approval:
            continue
        if rule.approval == Approval.OFF and requires_approval:
            continue
        if (role is not None and role in rule.roles) or (platform_admin and rule.platform_admin):
            actions.append(action)
    return actions
