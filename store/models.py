"""The circle's records as typed SQLAlchemy 2 models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, foreign, mapped_column, relationship

from store.types import UTCDateTime, utcnow

USER_ID = String(32)
DUE_AT_ONCE = datetime(2000, 1, 1, tzinfo=UTC)
NEVER = datetime(9999, 12, 31, tzinfo=UTC)  # for scheduled work that will not come: the scheduler skips it


class Base(DeclarativeBase):
    pass


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Circle(Timestamped, Base):
    """A kenniskring, bound to one Slack channel in one workspace."""

    __tablename__ = "circles"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(USER_ID)
    # Both come from the settings when the circle is started (store.circles.start); a circle keeps its own after.
    locale: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    agenda_lead_days: Mapped[int] = mapped_column(Integer, default=2)
    post_time: Mapped[str] = mapped_column(String(5), default="09:00")
    nudge_days: Mapped[str] = mapped_column(String(40), default="14,7,1")
    stale_after_days: Mapped[int] = mapped_column(Integer, default=28)
    # Working days before a meeting that initiators without news are asked how their activity is doing.
    progress_lead_days: Mapped[int] = mapped_column(Integer, default=5)
    # The channel canvas that shows the adopted agenda, and which version it shows.
    canvas_id: Mapped[str | None] = mapped_column(String(32))
    canvas_version: Mapped[int] = mapped_column(Integer, default=0)
    # When one side outnumbers the other more than this, or a member sits longer than the rotation term (months,
    # 0: never), coordinators get a suggestion; nothing changes by itself.
    balance_ratio: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal(2), server_default="2")
    rotation_months: Mapped[int] = mapped_column(Integer, default=48, server_default="48")
    # False while the workspace has the bot uninstalled: nothing is posted there and scheduled work passes it by.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # When posting came back after a pause; the App Home says so once, then forgets it.
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The channel is shared with other workspaces (Slack Connect): their members reach the circle by its channel.
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Goes up with every change to what the circle shows, in the same transaction (store.revisions): answers kept
    # for reading again are keyed by it.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    members: Mapped[list[Member]] = relationship(back_populates="circle", cascade="all, delete-orphan")


class Counter(Base):
    """The last number handed out per circle and kind (A, K, H): row-locked when incremented."""

    __tablename__ = "counters"

    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Member(Timestamped, Base):
    """Someone in the circle; registered once they name their side and organisation."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("circle_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(USER_ID)
    side: Mapped[str | None] = mapped_column(String(8))  # OG, ON or anders; None until registered
    organisation: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(120))
    # Since when they sit in the circle, for rotation; None means since the row was made.
    since: Mapped[date | None] = mapped_column(Date)
    is_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)

    circle: Mapped[Circle] = relationship(back_populates="members")


class Role(Base):
    """A role members can take (beheerder, inkoper, MKB-ondernemer …); each circle extends its own list."""

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("circle_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))


class CircleTheme(Timestamped, Base):
    """One of the circle's themes: the method's three to start with, then its own. Activities store its `key`,
    which never changes, so a renamed or retired theme keeps its activities."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("circle_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(24))
    # None: the method's own name for one of its three themes, in the reader's language.
    name: Mapped[str | None] = mapped_column(String(80))
    ambition: Mapped[str | None] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer, default=1)  # 1 is the basisambitie; the circle raises the bar
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    changes: Mapped[list[ThemeChange]] = relationship(
        cascade="all, delete-orphan", order_by="ThemeChange.id", lazy="selectin"
    )


class ThemeChange(Timestamped, Base):
    """A theme added, renamed, its ambition or level changed, retired or restored: when, by whom, to what."""

    __tablename__ = "theme_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[str | None] = mapped_column(USER_ID)
    what: Mapped[str] = mapped_column(String(16))  # added, name, ambition, level, retired, restored
    value: Mapped[str | None] = mapped_column(Text)


class KlaagpaalItem(Timestamped, Base):
    __tablename__ = "klaagpaal_items"
    __table_args__ = (UniqueConstraint("circle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(40))
    # None when filed anonymously: the author is then not stored anywhere.
    author_id: Mapped[str | None] = mapped_column(USER_ID)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, besproken, opgelost
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(USER_ID)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    # Anonymous items only: a keyed hash of item and filer, so the filer (and only someone holding the secret key)
    # can find it again; it is different for each item, so two items of one filer cannot be linked without the key.
    filer_tag: Mapped[str | None] = mapped_column(String(64))

    marks: Mapped[list[HerkenbaarMark]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    # The activity the item became, shown next to its outcome wherever the item is.
    activity: Mapped[Activity | None] = relationship(lazy="selectin")

    @property
    def anonymous(self) -> bool:
        return self.author_id is None


class KlaagpaalQuestion(Timestamped, Base):
    """A typed item whose first word resembles "anoniem" without being it, held only until its filer answers
    whether to file it anonymously. It names no one: whoever answers the question is the filer."""

    __tablename__ = "klaagpaal_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)  # as typed: filed with the filer's name
    anonymous_text: Mapped[str] = mapped_column(Text)  # without the word that resembles "anoniem"


class HerkenbaarMark(Timestamped, Base):
    """One person's "herkenbaar" (I recognise this) on a klaagpaal item; counted once per person."""

    __tablename__ = "herkenbaar_marks"
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("klaagpaal_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(USER_ID)


class HelpRequest(Timestamped, Base):
    __tablename__ = "help_requests"
    __table_args__ = (UniqueConstraint("circle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    expertise: Mapped[str | None] = mapped_column(Text)
    wanted_by: Mapped[date | None] = mapped_column(Date)
    requester_id: Mapped[str] = mapped_column(USER_ID)
    status: Mapped[str] = mapped_column(String(16), default="open")
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(USER_ID)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))

    offers: Mapped[list[HelpOffer]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class HelpOffer(Timestamped, Base):
    __tablename__ = "help_offers"
    __table_args__ = (UniqueConstraint("request_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(USER_ID)


class Activity(Timestamped, Base):
    """A bounded project activity on the execution agenda, led by its initiator."""

    __tablename__ = "activities"
    # The agenda is read a page at a time, by theme and number.
    __table_args__ = (
        UniqueConstraint("circle_id", "number"),
        Index("ix_activities_theme", "circle_id", "theme", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    theme: Mapped[str] = mapped_column(String(24))  # the key of one of the circle's themes
    initiator_id: Mapped[str] = mapped_column(USER_ID)
    deadline: Mapped[date | None] = mapped_column(Date)
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    needs: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="idee")
    percent: Mapped[int] = mapped_column(Integer, default=0)
    stop_reason: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The earliest moment a nudge about it can be due (never later than the real one), so the scheduler finds due
    # nudges with one indexed query over all circles. None: not worked out yet; every change to the activity
    # sets it back to None.
    next_nudge_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    team: Mapped[list[TeamMember]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    theme_entry: Mapped[CircleTheme | None] = relationship(
        primaryjoin=lambda: (
            (foreign(Activity.circle_id) == CircleTheme.circle_id) & (foreign(Activity.theme) == CircleTheme.key)
        ),
        viewonly=True,
        lazy="selectin",
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        cascade="all, delete-orphan", order_by="ProgressUpdate.id", back_populates="activity"
    )
    goal_links: Mapped[list[GoalLink]] = relationship(
        cascade="all, delete-orphan", back_populates="activity", lazy="selectin", order_by="GoalLink.goal_id"
    )
    effects: Mapped[list[Effect]] = relationship(
        cascade="all, delete-orphan", back_populates="activity", lazy="selectin", order_by="Effect.id"
    )

    __mapper_args__ = {"version_id_col": version}


class TeamMember(Base):
    __tablename__ = "activity_team"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)


class Goal(Timestamped, Base):
    """One of the circle's common goals (gemeenschappelijke doelen); activities serve one or more of them."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("circle_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str | None] = mapped_column(USER_ID)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    links: Mapped[list[GoalLink]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalLink.activity_id"
    )


class GoalLink(Base):
    """An activity serving a goal, and how much it weighs in the goal's progress."""

    __tablename__ = "activity_goals"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True, index=True)
    weight: Mapped[int] = mapped_column(Integer, default=1)

    activity: Mapped[Activity] = relationship(back_populates="goal_links")
    goal: Mapped[Goal] = relationship(back_populates="links", lazy="joined")


class Indicator(Timestamped, Base):
    """A measure of the circle's effects: the method's four to start with (CO2 avoided, circular material, people
    from a distance to the labour market at work, euros saved), then its own."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("circle_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(24))
    name: Mapped[str | None] = mapped_column(String(80))  # None: the method's own name, in the reader's language
    unit: Mapped[str] = mapped_column(String(16), default="")
    aggregate: Mapped[str] = mapped_column(String(8), default="sum")  # sum, or mean for shares such as %
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Effect(Base):
    """What an activity aims for on one indicator, from its baseline to its target, and what was measured."""

    __tablename__ = "effects"
    __table_args__ = (UniqueConstraint("activity_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    activity: Mapped[Activity] = relationship(back_populates="effects")
    indicator: Mapped[Indicator] = relationship(lazy="joined")
    measurements: Mapped[list[Measurement]] = relationship(
        cascade="all, delete-orphan", order_by="(Measurement.measured_on, Measurement.id)", lazy="selectin"
    )


class Measurement(Timestamped, Base):
    """A value measured on a date, for one activity's effect."""

    __tablename__ = "measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    effect_id: Mapped[int] = mapped_column(ForeignKey("effects.id", ondelete="CASCADE"), index=True)
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    author_id: Mapped[str] = mapped_column(USER_ID)


class ProgressUpdate(Timestamped, Base):
    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(USER_ID)
    status: Mapped[str | None] = mapped_column(String(16))
    percent: Mapped[int | None] = mapped_column(Integer)
    happened: Mapped[str | None] = mapped_column(Text)
    learned: Mapped[str | None] = mapped_column(Text)
    improvements: Mapped[str | None] = mapped_column(Text)
    blockers: Mapped[str | None] = mapped_column(Text)
    # The help request made from this update's blockers, so the button makes at most one.
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="SET NULL"))

    activity: Mapped[Activity] = relationship(back_populates="updates")


class AuditEvent(Timestamped, Base):
    """Who changed what when, for an activity's history and the circle's records."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_subject", "circle_id", "subject", "id"),)  # one item's history

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[str | None] = mapped_column(USER_ID)
    subject: Mapped[str] = mapped_column(String(16))  # A-3, K-2, H-1, circle
    action: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MeetingSeries(Timestamped, Base):
    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    first_start: Mapped[datetime] = mapped_column(UTCDateTime)  # the first meeting; later ones keep its wall clock
    timezone: Mapped[str] = mapped_column(String(64))
    interval_weeks: Mapped[int] = mapped_column(Integer)  # of a plain weekly rule; 0 for any other rule
    # The recurrence rule from the first meeting (RRULE without DTSTART), e.g. FREQ=MONTHLY;BYDAY=+1TU.
    rule: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # When its next occurrence comes within the horizon and must be stored; None: at once.
    extend_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Meeting(Timestamped, Base):
    """One meeting, stored with its wall-clock time and IANA zone so DST changes keep it at 14:00 local."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("series_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_series.id", ondelete="SET NULL"))
    sequence: Mapped[int | None] = mapped_column(Integer)
    local_start: Mapped[str] = mapped_column(String(16))  # 2026-12-08T14:00 wall clock in `timezone`
    timezone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    location: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="gepland")  # gepland, geannuleerd
    # What the posted agenda listed (item ids per point), set when it is posted: None means not posted yet.
    agenda: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # When the meeting was closed (at its end, or by a coordinator from the post) and its record went out.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(USER_ID)
    # When the agenda goes out (the circle's lead days and posting time); None: to be worked out by the scheduler,
    # which a move of the meeting or a change of the circle's rhythm asks for.
    agenda_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # From when initiators without news are asked how their activities are doing (the circle's progress lead days
    # and posting time); None: to be worked out by the scheduler, as for `agenda_due_at`.
    progress_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class MeetingTopic(Timestamped, Base):
    """A topic for point 1 (Arbeidsmarkt) or 2 (Transitievraagstukken); carried forward until discussed."""

    __tablename__ = "meeting_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    point: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(String(24))  # a theme's key: the topic filed under it
    author_id: Mapped[str] = mapped_column(USER_ID)
    status: Mapped[str] = mapped_column(String(16), default="open")
    discussed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(Text)

    theme_entry: Mapped[CircleTheme | None] = relationship(
        primaryjoin=lambda: (
            (foreign(MeetingTopic.circle_id) == CircleTheme.circle_id)
            & (foreign(MeetingTopic.theme) == CircleTheme.key)
        ),
        viewonly=True,
        lazy="selectin",
    )


class NudgeMark(Timestamped, Base):
    """A deadline or progress nudge that was decided for an activity: `kind` is unique per activity, so never twice."""

    __tablename__ = "nudge_marks"
    __table_args__ = (UniqueConstraint("activity_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # d14, d7, d1, overdue:2026-12-10, stale:2026-12-10
    user_id: Mapped[str] = mapped_column(USER_ID)
    outbox_key: Mapped[str] = mapped_column(String(200))


class Outbox(Timestamped, Base):
    """Every message the bot sends, committed with what it announces and delivered afterwards, in order.

    `key` is the idempotency key: one row per message ever, so the same work done twice sends nothing twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"), Index("ix_outbox_channel", "channel", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="SET NULL"), index=True)
    method: Mapped[str] = mapped_column(String(40))  # chat.postMessage, chat.postEphemeral, chat.update
    channel: Mapped[str] = mapped_column(String(32))  # a channel id, or a user id for a direct message
    # The workspace whose token sends it (its circle's; for a direct message, the person's own when installed).
    team_id: Mapped[str | None] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)  # pending, sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A new message is due at once, whatever clock its sender runs on (`tick --now` for a past moment too);
    # only a deferral sets a later time.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: DUE_AT_ONCE)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_channel: Mapped[str | None] = mapped_column(String(32))
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(300))
    # What the delivered message is about (K-3 post, agenda of meeting 7), so buttons can update it later.
    subject: Mapped[str | None] = mapped_column(String(40), index=True)


class AgendaVersion(Timestamped, Base):
    """An adopted version of the execution agenda ("versie 3"): a frozen snapshot of its activities, numbered per
    circle, raised only by adoption so the number people cite in council reports means one document."""

    __tablename__ = "agenda_versions"
    __table_args__ = (UniqueConstraint("circle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    adopted_by: Mapped[str] = mapped_column(USER_ID)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class ImprovementAction(Timestamped, Base):
    """An improvement action P-n (verbeteractie): what, who, by when, and what it belongs to; carried forward on
    every agenda until done."""

    __tablename__ = "improvement_actions"
    __table_args__ = (UniqueConstraint("circle_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str] = mapped_column(USER_ID)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, klaar
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    item: Mapped[str | None] = mapped_column(String(16))  # K-3, H-1: the agenda item it came from
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(USER_ID)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str | None] = mapped_column(USER_ID)


class ActionNudgeMark(Timestamped, Base):
    """A deadline nudge decided for an improvement action, unique per action and kind like NudgeMark."""

    __tablename__ = "action_nudge_marks"
    __table_args__ = (UniqueConstraint("action_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("improvement_actions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[str] = mapped_column(USER_ID)
    outbox_key: Mapped[str] = mapped_column(String(200))


class MeetingDecision(Timestamped, Base):
    """What a meeting settled about one item of its agenda: the lines of its record and its besluitenlijst."""

    __tablename__ = "meeting_decisions"
    __table_args__ = (UniqueConstraint("meeting_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    point: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(40))  # activity:12, klaagpaal:3, hulpvraag:1, topic:7
    label: Mapped[str] = mapped_column(String(300))  # A-3 title, K-2 text: how the record names the item
    decision: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(USER_ID)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("improvement_actions.id", ondelete="SET NULL"))


class Attendance(Timestamped, Base):
    """Someone present at a meeting, marked from the agenda post or by reacting to it."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(USER_ID)


class ProgressRequest(Timestamped, Base):
    """The question "how is A-3 doing?" put to an initiator before a meeting: once per meeting and activity."""

    __tablename__ = "progress_requests"
    __table_args__ = (UniqueConstraint("meeting_id", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(USER_ID)
    outbox_key: Mapped[str] = mapped_column(String(200))


class InstanceSecret(Timestamped, Base):
    """A random secret made once per database, for keyed hashes when no KENNISKRING_SECRET_KEY is configured."""

    __tablename__ = "instance_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class PersonWorkspace(Timestamped, Base):
    """The workspace a person in a shared channel (Slack Connect) belongs to: their DMs go through its bot if it has
    one, rather than through the bot of the workspace that started the circle."""

    __tablename__ = "person_workspaces"

    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))


class PersonGone(Timestamped, Base):
    """Someone Slack says has left (deactivated, deleted, unknown): no nudges for them, and their activities show
    as without initiator until the circle gives them another."""

    __tablename__ = "people_gone"

    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    reason: Mapped[str] = mapped_column(String(40))  # what Slack said: account_inactive, user_not_found, deleted


class DmChannel(Timestamped, Base):
    """The direct-message channel the bot has with a person, so it is opened (conversations.open) once, not per DM."""

    __tablename__ = "dm_channels"

    # Per workspace: a person in a shared channel has a DM with the bot of each workspace that installed it.
    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(USER_ID, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
