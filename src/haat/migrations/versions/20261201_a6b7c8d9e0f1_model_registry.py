"""model registry: one row per trained model version (gold, diamond, ...)

Revision ID: a6b7c8d9e0f1
Revises: c8d9e0f1a2b3
Create Date: 2026-12-01 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a6b7c8d9e0f1"
down_revision: str | None = "c8d9e0f1a2b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ml_model_versions",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "candidate",
                "champion",
                "retired",
                name="modelstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("data_start", sa.Date(), nullable=True),
        sa.Column("data_end", sa.Date(), nullable=True),
        sa.Column("n_rows", sa.Integer(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("comparison", sa.JSON(), nullable=True),
        sa.Column("artefact_path", sa.String(length=500), nullable=False),
        sa.Column("artefact_sha256", sa.String(length=64), nullable=False),
        sa.Column("training_seconds", sa.Float(), nullable=False),
        sa.Column("trained_by", sa.Uuid(), nullable=True),
        sa.Column("crowned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rolled_back_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["trained_by"],
            ["users.id"],
            name=op.f("fk_ml_model_versions_trained_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ml_model_versions")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_ml_model_versions_name_version")),
    )
    with op.batch_alter_table("ml_model_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ml_model_versions_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_ml_model_versions_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_ml_model_versions_champion",
            ["name"],
            unique=True,
            sqlite_where=sa.text("status = 'champion'"),
            postgresql_where=sa.text("status = 'champion'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("ml_model_versions", schema=None) as batch_op:
        batch_op.drop_index("uq_ml_model_versions_champion")
        batch_op.drop_index(batch_op.f("ix_ml_model_versions_status"))
        batch_op.drop_index(batch_op.f("ix_ml_model_versions_name"))

    op.drop_table("ml_model_versions")
