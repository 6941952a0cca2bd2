"""quality: photo grades (one row per product image) and per-business minimum grades

Existing photos get no grade here; run `haat quality regrade` after upgrading.

Revision ID: f4d5e6f7a8b9
Revises: f2b3c4d5e6f7
Create Date: 2026-12-01 08:57:55.857991
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f4d5e6f7a8b9"
down_revision: str | None = "f2b3c4d5e6f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "photo_quality_policies",
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column(
            "minimum_grade",
            sa.Enum("A", "B", "C", "retake", name="grade", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("updated_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_photo_quality_policies_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_photo_quality_policies_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("business_id", name=op.f("pk_photo_quality_policies")),
    )
    op.create_table(
        "photo_grades",
        sa.Column("image_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "grade",
            sa.Enum("A", "B", "C", "retake", name="grade", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("factors", sa.JSON(), nullable=False),
        sa.Column("advice", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "note_status",
            sa.Enum(
                "queued", "succeeded", "failed", name="notestatus", native_enum=False, length=16
            ),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("note_model", sa.String(length=100), nullable=True),
        sa.Column("note_error", sa.Text(), nullable=True),
        sa.Column("note_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["image_id"],
            ["product_images.id"],
            name=op.f("fk_photo_grades_image_id_product_images"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("image_id", name=op.f("pk_photo_grades")),
    )
    with op.batch_alter_table("photo_grades", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_photo_grades_model_version"), ["model_version"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("photo_grades", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_grades_model_version"))

    op.drop_table("photo_grades")
    op.drop_table("photo_quality_policies")
