"""the circle itself: members' side and start date, roles, balance and rotation; the circle's own themes;
common goals (the free-text goal of activities becomes goal entries, without loss); indicators of effects

Revision ID: 0004_the_circle_itself
Revises: 0003_privacy
Create Date: 2026-12-02 10:00:00

Existing circles get the default lists a new circle starts with. SQLite gets no table rebuilds of parents
(circles, activities): with foreign keys on, dropping a rebuilt parent would cascade into its children's rows.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision: str = "0004_the_circle_itself"
down_revision: str | Sequence[str] | None = "0003_privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The lists as they were when this revision was written; later changes to the app's defaults do not belong here.
ROLES = (
    "ambtelijk opdrachtgever",
    "directie",
    "beheerder",
    "beleidsadviseur",
    "inkoper",
    "specialist",
    "MKB-ondernemer",
    "projectleider",
)
THEMES = ("arbeidsmarkt", "klimaat", "leren")
INDICATORS = (("co2", "t", "sum"), ("circulair", "%", "mean"), ("afstand", "", "sum"), ("euro", "€", "sum"))


def upgrade() -> None:
    op.add_column("circles", sa.Column("balance_ratio", sa.Numeric(4, 1), server_default="2", nullable=False))
    op.add_column("circles", sa.Column("rotation_months", sa.Integer(), server_default="48", nullable=False))
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.alter_column("side", existing_type=sa.String(length=2), type_=sa.String(length=8))
        batch_op.add_column(sa.Column("since", sa.Date(), nullable=True))

    roles = op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "name"),
    )
    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roles_circle_id"), ["circle_id"], unique=False)

    themes = op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("ambition", sa.Text(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "key"),
    )
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_themes_circle_id"), ["circle_id"], unique=False)
    op.create_table(
        "theme_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("theme_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_theme_changes_theme_id"), ["theme_id"], unique=False)
    with op.batch_alter_table("meeting_topics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("theme", sa.String(length=24), nullable=True))

    goals = op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "name"),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goals_circle_id"), ["circle_id"], unique=False)
    links = op.create_table(
        "activity_goals",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["goal_id"], ["goals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("activity_id", "goal_id"),
    )
    with op.batch_alter_table("activity_goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_goals_goal_id"), ["goal_id"], unique=False)

    indicators = op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("aggregate", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "key"),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicators_circle_id"), ["circle_id"], unique=False)
    op.create_table(
        "effects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("baseline", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("target", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicators.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("activity_id", "indicator_id"),
    )
    with op.batch_alter_table("effects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_effects_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_effects_indicator_id"), ["indicator_id"], unique=False)
    op.create_table(
        "measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effect_id", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["effect_id"], ["effects.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measurements_effect_id"), ["effect_id"], unique=False)

    _fill(roles, themes, indicators)
    _goals_from_text(goals, links)
    # Natively, not in batch: a rebuilt activities table would cascade-delete its children's rows on SQLite.
    op.drop_column("activities", "goal")


def _fill(roles: sa.Table, themes: sa.Table, indicators: sa.Table) -> None:
    """Existing circles get what a new circle starts with."""
    bind = op.get_bind()
    circles = bind.execute(sa.text("SELECT id, created_at FROM circles ORDER BY id")).all()
    if not circles:
        return
    op.bulk_insert(roles, [{"circle_id": circle, "name": name} for circle, _ in circles for name in ROLES])
    op.bulk_insert(
        themes,
        [
            {"circle_id": circle, "key": key, "level": 1, "position": number, "created_at": _moment(created)}
            for circle, created in circles
            for number, key in enumerate(THEMES, 1)
        ],
    )
    op.bulk_insert(
        indicators,
        [
            {
                "circle_id": circle,
                "key": key,
                "unit": unit,
                "aggregate": aggregate,
                "position": number,
                "created_at": _moment(created),
            }
            for circle, created in circles
            for number, (key, unit, aggregate) in enumerate(INDICATORS, 1)
        ],
    )


def _goals_from_text(goals: sa.Table, links: sa.Table) -> None:
    """Every distinct free-text goal of a circle becomes one goal entry, serving the activities that named it."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, circle_id, goal, initiator_id, created_at FROM activities WHERE goal IS NOT NULL ORDER BY id"
        )
    ).all()
    made: dict[tuple[int, str], int] = {}
    for activity_id, circle_id, text, initiator, created in rows:
        name = " ".join(str(text).split())
        if not name:
            continue
        if (circle_id, name) not in made:
            values = {"circle_id": circle_id, "name": name, "created_by": initiator, "created_at": _moment(created)}
            made[(circle_id, name)] = bind.execute(sa.insert(goals).values(**values).returning(goals.c.id)).scalar_one()
        bind.execute(sa.insert(links).values(activity_id=activity_id, goal_id=made[(circle_id, name)], weight=1))


def _moment(value: object) -> datetime:
    """A stored timestamp as an aware datetime (SQLite hands back text, PostgreSQL a datetime)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def downgrade() -> None:
    for table, indexes in (
        ("measurements", ("ix_measurements_effect_id",)),
        ("effects", ("ix_effects_activity_id", "ix_effects_indicator_id")),
        ("indicators", ("ix_indicators_circle_id",)),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
    op.add_column("activities", sa.Column("goal", sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE activities SET goal = (SELECT MIN(goals.name) FROM activity_goals JOIN goals"
        " ON goals.id = activity_goals.goal_id WHERE activity_goals.activity_id = activities.id)"
    )
    with op.batch_alter_table("activity_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_goals_goal_id"))
    op.drop_table("activity_goals")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_circle_id"))
    op.drop_table("goals")
    with op.batch_alter_table("meeting_topics", schema=None) as batch_op:
        batch_op.drop_column("theme")
    with op.batch_alter_table("theme_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_changes_theme_id"))
    op.drop_table("theme_changes")
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_themes_circle_id"))
    op.drop_table("themes")
    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roles_circle_id"))
    op.drop_table("roles")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("since")
        batch_op.alter_column("side", existing_type=sa.String(length=8), type_=sa.String(length=2))
    op.drop_column("circles", "rotation_months")
    op.drop_column("circles", "balance_ratio")
