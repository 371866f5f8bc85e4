"""The circle's settings: a summary anyone may read and the form coordinators change them with."""

from __future__ import annotations

from slack_sdk.models.blocks import PlainTextInputElement

from bot.blocks.common import context, input_block, message, modal, section, text_input
from bot.i18n import t
from bot.slacktext import escape
from store.models import Circle
from store.rhythm import MAX_LEAD_DAYS, MAX_STALE_DAYS, Rhythm


def summary(circle: Circle, locale: str, *, coordinator: bool) -> dict:
    rhythm = Rhythm.of(circle)
    days, stale_off = rhythm.nudge_days, t("settings.stale_off", locale)
    text = "\n".join(
        (
            t("settings.summary", locale, name=escape(circle.name)),
            t("settings.summary_lead", locale, count=rhythm.agenda_lead_days, time=rhythm.post_time.strftime("%H:%M")),
            # "14, 7, 1 dagen", but "1 dag" when that is the only one
            t("settings.summary_days", locale, count=max(days), days=", ".join(str(day) for day in days)),
            t("settings.summary_stale", locale, count=rhythm.stale_after_days, stale_off=stale_off),
            t("settings.summary_progress", locale, count=rhythm.progress_lead_days),
        )
    )
    hint = t("settings.how" if coordinator else "settings.coordinators_change", locale)
    return message([section(text), context(hint)], text)


def settings_modal(circle: Circle, locale: str, metadata: dict) -> dict:
    rhythm = Rhythm.of(circle)

    def number(block_id: str, label: str, value: int, high: int, hint: str | None = None):
        element = PlainTextInputElement(
            action_id="value", initial_value=str(value), max_length=len(str(high)), placeholder=f"0–{high}"
        )
        return input_block(block_id, label, element, hint=hint)

    blocks = [
        number("agenda_lead_days", t("settings.form_lead", locale), rhythm.agenda_lead_days, MAX_LEAD_DAYS),
        text_input(
            "post_time", t("settings.form_time", locale), initial=rhythm.post_time.strftime("%H:%M"), max_length=5
        ),
        text_input(
            "nudge_days",
            t("settings.form_nudges", locale),
            initial=", ".join(str(day) for day in rhythm.nudge_days),
            hint=t("settings.form_nudges_hint", locale),
            max_length=40,
        ),
        number(
            "stale_after_days",
            t("settings.form_stale", locale),
            rhythm.stale_after_days,
            MAX_STALE_DAYS,
            t("settings.form_stale_hint", locale),
        ),
    ]
    return modal("circle_settings", t("settings.title", locale), blocks, locale, metadata)
