"""customers and khata

Revision ID: b1c2d3e4f5a6
Revises: c2d3e4f5a6b7
Create Date: 2026-11-24 03:00:00.000000

A business's customers (phone unique per business) and their immutable khata entries in
integer minor units; a reversal links to the entry it cancels (``reverses_id``, unique).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b1c2d3e4f5a6"
down_revision: str | None = "c2d3e4f5a6b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("preferred_language", sa.String(length=8), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_customers_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_customers_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("business_id", "phone", name=op.f("uq_customers_business_id_phone")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index("ix_customers_business_name", ["business_id", "name"], unique=False)

    op.create_table(
        "khata_entries",
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "credit",
                "payment",
                "adjustment",
                name="entrykind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "cash", "upi", "card", "bank", name="paymentmethod", native_enum=False, length=8
            ),
            nullable=True,
        ),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount_minor <> 0 AND (kind = 'adjustment' OR reverses_id IS NOT NULL "
            "OR amount_minor > 0)",
            name=op.f("ck_khata_entries_amount_sign"),
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_khata_entries_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_khata_entries_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_khata_entries_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["khata_entries.id"],
            name=op.f("fk_khata_entries_reverses_id_khata_entries"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_khata_entries")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_khata_entries_reverses_id")),
    )
    with op.batch_alter_table("khata_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_khata_entries_business_customer_day",
            ["business_id", "customer_id", "occurred_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_khata_entries_business_kind_day",
            ["business_id", "kind", "occurred_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_khata_entries_business_reversals",
            ["business_id"],
            unique=False,
            postgresql_where=sa.text("reverses_id IS NOT NULL"),
            sqlite_where=sa.text("reverses_id IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("khata_entries", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_khata_entries_business_reversals",
            postgresql_where=sa.text("reverses_id IS NOT NULL"),
            sqlite_where=sa.text("reverses_id IS NOT NULL"),
        )
        batch_op.drop_index("ix_khata_entries_business_kind_day")
        batch_op.drop_index("ix_khata_entries_business_customer_day")
    op.drop_table("khata_entries")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index("ix_customers_business_name")
    op.drop_table("customers")
