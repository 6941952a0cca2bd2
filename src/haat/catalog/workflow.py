"""The product status machine: one table of allowed transitions and who may make them.

Source: the architecture page's "Product status" (draft -> pending_approval -> approved;
pending_approval -> rejected -> draft; approved <-> unpublished; any -> archived), with
`publish` for businesses whose `requires_approval` is off.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from haat.businesses.models import BusinessRole
from haat.catalog.models import ProductStatus as S

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


class Approval(enum.Enum):
    REQUIRED = "required"  # only in businesses with requires_approval on
    OFF = "off"  # only in businesses with requires_approval off
    ANY = "any"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[S]
    target: S
    roles: frozenset[BusinessRole]
    platform_admin: bool
    approval: Approval = Approval.ANY


EDITORS = frozenset({R.ADMIN, R.EDITOR})
APPROVERS = frozenset({R.ADMIN, R.APPROVER})

TRANSITIONS: dict[ProductAction, Transition] = {
    ProductAction.SUBMIT: Transition(
        frozenset({S.DRAFT, S.UNPUBLISHED}), S.PENDING_APPROVAL, EDITORS, False, Approval.REQUIRED
    ),
    ProductAction.APPROVE: Transition(frozenset({S.PENDING_APPROVAL}), S.APPROVED, APPROVERS, True),
    ProductAction.REJECT: Transition(frozenset({S.PENDING_APPROVAL}), S.REJECTED, APPROVERS, True),
    ProductAction.PUBLISH: Transition(
        frozenset({S.DRAFT, S.UNPUBLISHED}), S.APPROVED, EDITORS, False, Approval.OFF
    ),
    ProductAction.UNPUBLISH: Transition(frozenset({S.APPROVED}), S.UNPUBLISHED, EDITORS, True),
    ProductAction.ARCHIVE: Transition(frozenset(set(S) - {S.ARCHIVED}), S.ARCHIVED, EDITORS, True),
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
    The same table `transitions.apply_action` enforces; for showing the right buttons."""
    actions = []
    for action, t in TRANSITIONS.items():
        if status not in t.sources:
            continue
        if t.approval == Approval.REQUIRED and not requires_approval:
            continue
        if t.approval == Approval.OFF and requires_approval:
            continue
        if (role is not None and role in t.roles) or (platform_admin and t.platform_admin):
            actions.append(action)
    return actions
