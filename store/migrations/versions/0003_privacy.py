"""privacy: keyed filer tags on anonymous items, pending anonymity questions, the instance secret

Revision ID: 0003_privacy
Revises: 0002_learning_cycle
Create Date: 2026-12-01 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0003_privacy"
down_revision: str | Sequence[str] | None = "0002_learning_cycle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("klaagpaal_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("filer_tag", sa.String(length=64), nullable=True))
    op.create_table(
        "klaagpaal_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("anonymous_text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("klaagpaal_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_klaagpaal_questions_circle_id"), ["circle_id"], unique=False)
    op.create_table(
        "instance_secrets",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("instance_secrets")
    with op.batch_alter_table("klaagpaal_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_klaagpaal_questions_circle_id"))
    op.drop_table("klaagpaal_questions")
    with op.batch_alter_table("klaagpaal_items", schema=None) as batch_op:
        batch_op.drop_column("filer_tag")
