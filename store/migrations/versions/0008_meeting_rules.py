"""meeting series as recurrence rules: an RRULE per series, so monthly rhythms can be stored and every date of a
series can be reached however far ahead

Revision ID: 0008_meeting_rules
Revises: 0007_dm_channels
Create Date: 2026-12-03 10:00:00

Existing series every n weeks get the rule FREQ=WEEKLY;INTERVAL=n; their stored meetings keep their sequence, which
is the ordinal of their date in that rule. `interval_weeks` stays (0 for rules that are not plain weekly ones), so
meeting_series is not rebuilt on SQLite (a rebuilt parent would touch its meetings).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_meeting_rules"
down_revision: str | Sequence[str] | None = "0007_dm_channels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("meeting_series", sa.Column("rule", sa.String(200), nullable=True))
    series = sa.table("meeting_series", sa.column("rule", sa.String), sa.column("interval_weeks", sa.Integer))
    op.execute(
        series.update().values(rule=sa.literal("FREQ=WEEKLY;INTERVAL=") + sa.cast(series.c.interval_weeks, sa.String))
    )


def downgrade() -> None:
    # A series with another rule than every n weeks cannot be told as weeks: it ends, its planned meetings stay.
    op.execute("UPDATE meeting_series SET active = false WHERE interval_weeks = 0")
    op.execute("UPDATE meeting_series SET interval_weeks = 1 WHERE interval_weeks = 0")
    op.drop_column("meeting_series", "rule")
