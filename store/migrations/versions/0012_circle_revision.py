"""each circle keeps a revision that goes up with every change to what it shows, so an answer read once can be
given again while it is still true

Revision ID: 0012_circle_revision
Revises: 0011_progress_due_at
Create Date: 2026-12-05 10:00:00

Added natively with a server default (no table rebuild): every circle starts at 0, and nothing is kept yet.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_circle_revision"
down_revision: str | Sequence[str] | None = "0011_progress_due_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("circles", sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("circles", "revision")  # natively: a rebuilt table would take the rows hanging off circles along
