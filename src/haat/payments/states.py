"""The two status machines of payments (`haat.core.state_machine`): escrow milestones and
payments. Each event is named by the status it leads to; every move is a compare-and-set on
the status the caller saw, with a history row (actor, note, time) and the arrival's stamp.

Who may trigger each event is checked by the calling service:

=============  ================================  ==============================================
machine        event (to ← from)                 by
=============  ================================  ==============================================
milestone      funded ← pending                  the milestone's payment succeeding
milestone      released ← funded                 the buyer, or a platform admin on a dispute
milestone      refunded ← funded, released       cancelling or refunding the order; a platform
                                                 admin on a dispute
milestone      cancelled ← pending               cancelling or refunding the order
payment        succeeded ← pending, failed,      the provider's verified webhook or callback;
               cancelled                         the seller's staff (manual); a late capture
payment        failed ← pending                  the provider; the seller's staff (manual); an
                                                 expired hosted checkout
payment        cancelled ← pending               cancelling or refunding the order
payment        refunded ← succeeded              cancelling or refunding the order; a late
                                                 capture; a platform admin on a dispute
=============  ================================  ==============================================
"""

from __future__ import annotations

from haat.core.state_machine import History, StateMachine, Transition
from haat.payments.models import (
    Milestone,
    MilestoneStatus,
    MilestoneStatusChange,
    Payment,
    PaymentState,
    PaymentStatusChange,
)

M = MilestoneStatus
MILESTONE_VERBS = {
    M.FUNDED: "fund",
    M.RELEASED: "release",
    M.REFUNDED: "refund",
    M.CANCELLED: "cancel",
}

MILESTONE_MACHINE: StateMachine[MilestoneStatus, MilestoneStatus] = StateMachine(
    name="milestone",
    model=Milestone,
    column=Milestone.status,
    history=History(MilestoneStatusChange, subject="milestone_id"),
    transitions={
        M.FUNDED: Transition.to(M.FUNDED, [M.PENDING], stamp="funded_at"),
        M.RELEASED: Transition.to(M.RELEASED, [M.FUNDED], stamp="released_at"),
        M.REFUNDED: Transition.to(M.REFUNDED, [M.FUNDED, M.RELEASED], stamp="refunded_at"),
        M.CANCELLED: Transition.to(M.CANCELLED, [M.PENDING], stamp="cancelled_at"),
    },
    initial=M.PENDING,
    describe=MILESTONE_VERBS.__getitem__,
)

P = PaymentState
PAYMENT_VERBS = {
    P.SUCCEEDED: "confirm",
    P.FAILED: "fail",
    P.CANCELLED: "cancel",
    P.REFUNDED: "refund",
}

PAYMENT_MACHINE: StateMachine[PaymentState, PaymentState] = StateMachine(
    name="payment",
    model=Payment,
    column=Payment.status,
    history=History(PaymentStatusChange, subject="payment_id"),
    transitions={
        # Money may still arrive for an attempt that failed or was cancelled (a late
        # capture): it is taken into the books, and refunded at once if no longer due.
        P.SUCCEEDED: Transition.to(
            P.SUCCEEDED, [P.PENDING, P.FAILED, P.CANCELLED], stamp="succeeded_at"
        ),
        P.FAILED: Transition.to(P.FAILED, [P.PENDING], stamp="failed_at"),
        P.CANCELLED: Transition.to(P.CANCELLED, [P.PENDING]),
        P.REFUNDED: Transition.to(P.REFUNDED, [P.SUCCEEDED], stamp="refunded_at"),
    },
    initial=P.PENDING,
    describe=PAYMENT_VERBS.__getitem__,
)
