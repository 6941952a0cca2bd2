"""The order's state machine: where an order's status may go, and the stamp each arrival sets.

pending -> confirmed -> processing -> shipped -> delivered -> completed; cancelled before
shipping (stock goes back); refunded after delivery or cancellation (the payment side lives in
`payments`). Keyed by the target status, as callers name it (``PUT /api/orders/{id}/status``
takes the status to move to). Every move is recorded in `OrderStatusChange` with its note.
Who may make each move (the business's staff, the buyer) is `haat.commerce.status`'s table
beside it, and what a move does (restock, events) is `haat.commerce.status.change_status`.
"""

from __future__ import annotations

from haat.commerce.models import Order, OrderStatus, OrderStatusChange
from haat.core.state_machine import History, StateMachine, Transition

S = OrderStatus

ORDER_MACHINE: StateMachine[OrderStatus, OrderStatus] = StateMachine(
    name="order",
    model=Order,
    column=Order.status,
    history=History(OrderStatusChange, "order_id", note="note"),
    transitions={
        S.CONFIRMED: Transition.to(S.CONFIRMED, [S.PENDING], stamp="confirmed_at"),
        S.PROCESSING: Transition.to(S.PROCESSING, [S.CONFIRMED]),
        S.SHIPPED: Transition.to(S.SHIPPED, [S.PROCESSING], stamp="shipped_at"),
        S.DELIVERED: Transition.to(S.DELIVERED, [S.SHIPPED], stamp="delivered_at"),
        S.COMPLETED: Transition.to(S.COMPLETED, [S.DELIVERED], stamp="completed_at"),
        S.CANCELLED: Transition.to(
            S.CANCELLED, [S.PENDING, S.CONFIRMED, S.PROCESSING], stamp="cancelled_at"
        ),
        S.REFUNDED: Transition.to(
            S.REFUNDED, [S.DELIVERED, S.COMPLETED, S.CANCELLED], stamp="refunded_at"
        ),
    },
    initial=S.PENDING,
    describe=lambda target: f"move to {target.value}",
)
