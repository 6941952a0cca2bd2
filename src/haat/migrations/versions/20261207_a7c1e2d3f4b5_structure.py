"""structure: one list of payment methods; payments keep a status history

The khata's payment method column takes the one list of methods (`haat.core.money.
PaymentMethod`): "bank" becomes "bank_transfer", so the column widens to 16 characters.
Payments get the history table the other state machines have; every existing payment gets
its arrival row (from nothing to its current status, dated when the payment was created).

Revision ID: a7c1e2d3f4b5
Revises: d9e0f1a2b3c4
Create Date: 2026-12-07 19:30:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c1e2d3f4b5"
down_revision: str | None = "d9e0f1a2b3c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

METHODS = ("cash", "upi", "bank_transfer", "card")
STATES = ("pending", "succeeded", "failed", "cancelled", "refunded")


def _state(nullable: bool, name: str) -> sa.Column[str]:
    return sa.Column(
        name,
        sa.Enum(*STATES, name="paymentstate", native_enum=False, length=16),
        nullable=nullable,
    )


def upgrade() -> None:
    with op.batch_alter_table("khata_entries", schema=None) as batch_op:
        batch_op.alter_column(
            "method",
            existing_type=sa.Enum(
                "cash", "upi", "card", "bank", name="paymentmethod", native_enum=False, length=8
            ),
            type_=sa.Enum(*METHODS, name="paymentmethod", native_enum=False, length=16),
            existing_nullable=True,
        )
    op.execute("UPDATE khata_entries SET method = 'bank_transfer' WHERE method = 'bank'")
    op.create_table(
        "payment_status_changes",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        _state(True, "from_status"),
        _state(False, "to_status"),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_payment_status_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_status_changes_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_status_changes")),
    )
    with op.batch_alter_table("payment_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_status_changes_payment_id"), ["payment_id"], unique=False
        )
    # Existing payments arrive in their current status (row ids derived from the payment ids,
    # so that a re-run of the same data gives the same rows).
    bind = op.get_bind()
    payments = sa.table(
        "payments",
        sa.column("id", sa.Uuid()),
        sa.column("status", sa.String()),
        sa.column("created_by", sa.Uuid()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    changes = sa.table(
        "payment_status_changes",
        sa.column("id", sa.Uuid()),
        sa.column("payment_id", sa.Uuid()),
        sa.column("actor_id", sa.Uuid()),
        sa.column("from_status", sa.String()),
        sa.column("to_status", sa.String()),
        sa.column("note", sa.Text()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    rows = bind.execute(
        sa.select(payments.c.id, payments.c.status, payments.c.created_by, payments.c.created_at)
    ).all()
    if rows:
        op.bulk_insert(
            changes,
            [
                {
                    "id": uuid.uuid5(uuid.NAMESPACE_URL, f"haat:payment-arrival:{r.id}"),
                    "payment_id": r.id,
                    "actor_id": r.created_by,
                    "from_status": None,
                    "to_status": r.status,
                    "note": "recorded before payments kept a history",
                    "created_at": r.created_at,
                }
                for r in rows
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_status_changes_payment_id"))
    op.drop_table("payment_status_changes")
    op.execute("UPDATE khata_entries SET method = 'bank' WHERE method = 'bank_transfer'")
    with op.batch_alter_table("khata_entries", schema=None) as batch_op:
        batch_op.alter_column(
            "method",
            existing_type=sa.Enum(*METHODS, name="paymentmethod", native_enum=False, length=16),
            type_=sa.Enum(
                "cash", "upi", "card", "bank", name="paymentmethod", native_enum=False, length=8
            ),
            existing_nullable=True,
        )
