"""Modals for activities: new and edit (one form), change status, move the deadline."""

from __future__ import annotations

from decimal import Decimal

from slack_sdk.models.blocks import (
    Block,
    PlainTextObject,
    StaticMultiSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)

from bot.blocks.common import context, date_input, input_block, modal, option, section, select, text_input
from bot.blocks.execution_agenda import status_label, theme_options
from bot.formatting import short_date
from bot.i18n import t
from bot.slacktext import escape
from store.models import Activity, CircleTheme, Goal
from store.vocabulary import START_STATUSES, TITLE_LIMIT


def dutch_amount(value: Decimal | None) -> str | None:
    """A budget as the form shows it back: `48.000,00`."""
    if value is None:
        return None
    whole, _, cents = f"{value:,.2f}".partition(".")
    return whole.replace(",", ".") + "," + cents


def form_amount(value: Decimal | None, locale: str) -> str | None:
    """A budget as the form shows it back, the way its reader writes amounts (and so the parser reads them back):
    `48.000,00`, in English `48,000.00`."""
    if value is None or locale != "en":
        return dutch_amount(value)
    return f"{value:,.2f}"


def activity_modal(
    locale: str,
    metadata: dict,
    *,
    activity: Activity | None = None,
    initiator: str | None = None,
    notice: str | None = None,
    themes: list[CircleTheme] = (),
    goals: list[Goal] = (),
) -> dict:
    """The form for a new activity, or (given `activity`) for changing one; `notice` tops it after a conflict.

    `themes` and `goals` are the circle's own; a retired one an activity has stays a choice."""
    blocks: list[Block] = [section(notice)] if notice else []
    blocks += _who_and_when(activity, initiator, locale, themes)
    if activity is None:
        statuses = [option(status_label(status, locale), status) for status in START_STATUSES]
        blocks.append(select("status", t("agenda.form_status", locale), statuses, initial="gepland"))
    blocks += _what(activity, locale, goals)
    if activity is None:
        return modal("agenda_new", t("agenda.form_new_title", locale), blocks, locale, metadata)
    title = t("agenda.form_edit_title", locale, number=activity.number)
    return modal("activity_edit", title, blocks, locale, {**metadata, "version": activity.version})


def _who_and_when(
    activity: Activity | None, initiator: str | None, locale: str, choices: list[CircleTheme]
) -> list[Block]:
    """Title, theme, initiator, team, deadline and budget: what the agenda lists."""
    current = activity.theme_entry if activity is not None else None
    kept = [current] if current is not None and all(theme.key != current.key for theme in choices) else []
    themes = theme_options([*choices, *kept], locale)
    team = [member.user_id for member in activity.team] if activity else None
    return [
        text_input("title", t("agenda.form_title", locale), max_length=TITLE_LIMIT, initial=_get(activity, "title")),
        select("theme", t("agenda.field_theme", locale), themes, initial=_get(activity, "theme")),
        input_block(
            "initiator",
            t("agenda.field_initiator", locale),
            UserSelectElement(action_id="value", initial_user=activity.initiator_id if activity else initiator),
        ),
        input_block(
            "team",
            t("agenda.field_team", locale),
            UserMultiSelectElement(action_id="value", initial_users=team),
            optional=True,
        ),
        date_input("deadline", t("agenda.field_deadline", locale), initial=_iso(activity)),
        text_input(
            "budget",
            t("agenda.field_budget", locale),
            optional=True,
            max_length=40,
            hint=t("agenda.form_budget_hint", locale),
            initial=form_amount(activity.budget, locale) if activity else None,
        ),
    ]


def _what(activity: Activity | None, locale: str, goals: list[Goal]) -> list[Block]:
    """The common goals it serves, the description, and the expertise and capacity it needs."""
    return [
        _goals(activity, locale, goals),
        text_input(
            "description",
            t("agenda.detail_description", locale),
            multiline=True,
            optional=True,
            initial=_get(activity, "description"),
        ),
        text_input(
            "needs",
            t("agenda.detail_needs", locale),
            multiline=True,
            optional=True,
            hint=t("agenda.form_needs_hint", locale),
            initial=_get(activity, "needs"),
        ),
    ]


def _goals(activity: Activity | None, locale: str, goals: list[Goal]) -> Block:
    """Pick any of the circle's goals; without any yet, how to set the first."""
    serving = [link.goal for link in activity.goal_links] if activity is not None else []
    choices = list({goal.id: goal for goal in [*goals, *serving]}.values())[:100]
    if not choices:
        return context(t("goals.form_none", locale))
    options = [option(goal.name, str(goal.id)) for goal in choices]
    initial = [choice for choice in options if int(choice.value) in {goal.id for goal in serving}]
    element = StaticMultiSelectElement(
        action_id="value",
        options=options,
        initial_options=initial or None,
        placeholder=PlainTextObject(text=t("goals.form_placeholder", locale)),
    )
    return input_block("goals", t("agenda.field_goal", locale), element, optional=True)


def _get(activity: Activity | None, name: str) -> str | None:
    return getattr(activity, name) if activity is not None else None


def _iso(activity: Activity | None) -> str | None:
    return activity.deadline.isoformat() if activity is not None and activity.deadline else None


def status_modal(
    activity: Activity, allowed: tuple[str, ...], locale: str, metadata: dict, notice: str | None = None
) -> dict:
    """Choose the next status; a reason is asked for (and needed) when stopping."""
    current = t(
        "agenda.form_status_now",
        locale,
        number=activity.number,
        title=escape(activity.title),
        status=status_label(activity.status, locale),
    )
    blocks: list[Block] = [section(notice)] if notice else []
    options = [option(status_label(status, locale), status) for status in allowed]
    blocks += [
        section(current),
        select("status", t("agenda.form_status_new", locale), options),
        text_input(
            "reason",
            t("agenda.form_reason", locale),
            multiline=True,
            optional=True,
            hint=t("agenda.form_reason_hint", locale),
            max_length=1000,
        ),
    ]
    title = t("agenda.form_status_title", locale, number=activity.number)
    return modal("activity_status", title, blocks, locale, {**metadata, "version": activity.version})


def deadline_modal(activity: Activity, locale: str, metadata: dict, notice: str | None = None) -> dict:
    blocks: list[Block] = [section(notice)] if notice else []
    now = short_date(activity.deadline, locale) if activity.deadline else t("common.none", locale)
    blocks += [
        section(t("agenda.form_deadline_now", locale, number=activity.number, title=escape(activity.title), date=now)),
        date_input("deadline", t("agenda.form_deadline_new", locale), initial=_iso(activity), optional=False),
        context(t("agenda.form_deadline_hint", locale)),
    ]
    title = t("agenda.form_deadline_title", locale, number=activity.number)
    return modal("activity_deadline", title, blocks, locale, {**metadata, "version": activity.version})
