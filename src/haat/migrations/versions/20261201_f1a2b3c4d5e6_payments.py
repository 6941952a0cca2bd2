"""payments: provider settings per business, payments of orders, escrow milestones with
their history, received webhook events

Revision ID: f1a2b3c4d5e6
Revises: e4f5a6b7c8d9
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1a2b3c4d5e6"
down_revision: str | None = "e4f5a6b7c8d9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "payment_provider_events",
        sa.Column(
            "provider",
            sa.Enum(
                "manual", "stripe", "razorpay", name="paymentprovider", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=120), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_provider_events")),
        sa.UniqueConstraint(
            "provider", "event_id", name=op.f("uq_payment_provider_events_provider_event_id")
        ),
    )
    op.create_table(
        "business_payment_settings",
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column(
            "provider",
            sa.Enum(
                "manual", "stripe", "razorpay", name="paymentprovider", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("account_id", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_business_payment_settings_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_business_payment_settings_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_payment_settings")),
        sa.UniqueConstraint("business_id", name=op.f("uq_business_payment_settings_business_id")),
    )
    op.create_table(
        "order_milestones",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("percent_bp", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "funded",
                "released",
                "refunded",
                "cancelled",
                name="milestonestatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("funded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_milestones_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_milestones")),
        sa.UniqueConstraint(
            "order_id", "position", name=op.f("uq_order_milestones_order_id_position")
        ),
    )
    op.create_table(
        "order_milestone_changes",
        sa.Column("milestone_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column(
            "from_status",
            sa.Enum(
                "pending",
                "funded",
                "released",
                "refunded",
                "cancelled",
                name="milestonestatus",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "pending",
                "funded",
                "released",
                "refunded",
                "cancelled",
                name="milestonestatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_order_milestone_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["order_milestones.id"],
            name=op.f("fk_order_milestone_changes_milestone_id_order_milestones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_milestone_changes")),
    )
    with op.batch_alter_table("order_milestone_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_milestone_changes_milestone_id"), ["milestone_id"], unique=False
        )

    op.create_table(
        "payments",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("milestone_id", sa.Uuid(), nullable=True),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("payer_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column(
            "provider",
            sa.Enum(
                "manual", "stripe", "razorpay", name="paymentprovider", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column(
            "method",
            sa.Enum(
                "cash",
                "upi",
                "bank_transfer",
                "card",
                name="paymentmethod",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "succeeded",
                "failed",
                "cancelled",
                "refunded",
                name="paymentstate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("commission_bp", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=100), nullable=True),
        sa.Column("provider_reference", sa.String(length=100), nullable=True),
        sa.Column("provider_payment_id", sa.String(length=100), nullable=True),
        sa.Column("client_secret", sa.String(length=300), nullable=True),
        sa.Column("transfer_reference", sa.String(length=100), nullable=True),
        sa.Column("refund_reference", sa.String(length=100), nullable=True),
        sa.Column("confirmed_by", sa.Uuid(), nullable=True),
        sa.Column("succeeded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"], ["businesses.id"], name=op.f("fk_payments_business_id_businesses")
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by"],
            ["users.id"],
            name=op.f("fk_payments_confirmed_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_payments_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["order_milestones.id"],
            name=op.f("fk_payments_milestone_id_order_milestones"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_payments_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["users.id"], name=op.f("fk_payments_payer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint(
            "created_by", "idempotency_key", name=op.f("uq_payments_created_by_idempotency_key")
        ),
        sa.UniqueConstraint(
            "provider", "provider_reference", name=op.f("uq_payments_provider_provider_reference")
        ),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_business_id"), ["business_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_payments_milestone_id"), ["milestone_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_payments_order_id"), ["order_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_order_id"))
        batch_op.drop_index(batch_op.f("ix_payments_milestone_id"))
        batch_op.drop_index(batch_op.f("ix_payments_business_id"))

    op.drop_table("payments")
    with op.batch_alter_table("order_milestone_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_milestone_changes_milestone_id"))

    op.drop_table("order_milestone_changes")
    op.drop_table("order_milestones")
    op.drop_table("business_payment_settings")
    op.drop_table("payment_provider_events")
