"""pricing: daily metal rates (INR paise per gram of fine metal) and jewellery pricing of products

Gold rates are seeded by `haat demo` or `haat pricing seed`, not here.

Revision ID: b7c8d9e0f1a2
Revises: a6b7c8d9e0f1
Create Date: 2026-12-01 11:34:58.489941
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c8d9e0f1a2"
down_revision: str | None = "a6b7c8d9e0f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "metal_rates",
        sa.Column(
            "metal",
            sa.Enum("gold", "silver", "platinum", name="metal", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("rate_minor_per_g", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rate_minor_per_g > 0", name=op.f("ck_metal_rates_rate_positive")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_metal_rates_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metal_rates")),
        sa.UniqueConstraint("metal", "as_of", name=op.f("uq_metal_rates_metal_as_of")),
    )
    op.create_table(
        "product_jewellery",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column(
            "metal",
            sa.Enum("gold", "silver", "platinum", name="metal", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("purity", sa.Integer(), nullable=False),
        sa.Column("weight_mg", sa.BigInteger(), nullable=False),
        sa.Column("making_charge_bp", sa.Integer(), nullable=True),
        sa.Column("making_charge_per_g_minor", sa.BigInteger(), nullable=True),
        sa.Column("rate_minor_per_g", sa.BigInteger(), nullable=False),
        sa.Column("rate_as_of", sa.Date(), nullable=False),
        sa.Column("rate_source", sa.String(length=200), nullable=False),
        sa.Column("metal_value_minor", sa.BigInteger(), nullable=False),
        sa.Column("making_charge_minor", sa.BigInteger(), nullable=False),
        sa.Column("gst_rate_bp", sa.Integer(), nullable=False),
        sa.Column("gst_minor", sa.BigInteger(), nullable=False),
        sa.Column("priced_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(making_charge_bp IS NULL) <> (making_charge_per_g_minor IS NULL)",
            name=op.f("ck_product_jewellery_one_making_charge"),
        ),
        sa.CheckConstraint(
            "purity > 0 AND purity <= 1000", name=op.f("ck_product_jewellery_purity_range")
        ),
        sa.CheckConstraint("weight_mg > 0", name=op.f("ck_product_jewellery_weight_positive")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_jewellery_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_jewellery")),
    )
    with op.batch_alter_table("product_jewellery", schema=None) as batch_op:
        batch_op.create_index("ix_product_jewellery_metal", ["metal"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("product_jewellery", schema=None) as batch_op:
        batch_op.drop_index("ix_product_jewellery_metal")

    op.drop_table("product_jewellery")
    op.drop_table("metal_rates")
