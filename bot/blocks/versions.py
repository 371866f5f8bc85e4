"""Adopted versions of the execution agenda as Slack shows them: the version label, one version with what changed
since the one before, and the answer to an adoption."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.blocks.common import actions, button, context, message, preview, section
from bot.blocks.theme_names import by_theme, theme_label
from bot.formatting import amount, long_date, short_date
from bot.i18n import mention, t
from bot.slacktext import escape
from store.lessons import Hit
from store.models import AgendaVersion
from store.versions import Change, FrozenActivity, VersionState

CHUNK = 2900
MAX_BLOCKS = 48


def version_label(state: VersionState, locale: str) -> str:
    """`versie 3`, `versie 3 + wijzigingen`, or `versie 0 (nog niet vastgesteld)` before the first adoption."""
    if state.number == 0:
        return t("versie.label_none", locale)
    key = "versie.label_changed" if state.changed else "versie.label"
    return t(key, locale, number=state.number)


def change_line(change: Change, locale: str) -> str:
    """`• A-3 Circulair asfalt: deadline 1 mrt. 2027 → 1 jun. 2027`."""
    before, after = _shown(change.kind, change.before, locale), _shown(change.kind, change.after, locale)
    return t(
        f"versie.change_{change.kind}", locale, number=change.number, title=escape(change.title), before=before,
        after=after,
    )  # fmt: skip


def _shown(kind: str, value: str | None, locale: str) -> str:
    if value is None:
        return t("common.none", locale)
    if kind == "deadline":
        return short_date(date.fromisoformat(value), locale)
    if kind == "budget":
        return amount(Decimal(value), locale)
    if kind in ("status", "finished", "stopped"):
        return t(f"agenda.status_{value}", locale)
    return escape(value)


def _packed(lines: list[str]) -> list[str]:
    chunks: list[str] = []
    for line in lines:
        if chunks and len(chunks[-1]) + len(line) + 1 <= CHUNK:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line[:CHUNK])
    return chunks


def version_message(
    version: AgendaVersion, rows: list[FrozenActivity], found: list[Change], *, locale: str, zone: ZoneInfo
) -> dict:
    """One adopted version: when and by whom, its activities by theme, and what changed since the version before."""
    adopted = long_date(version.adopted_at.astimezone(zone).date(), locale)
    head = t("versie.title", locale, number=version.number)
    intro = t("versie.adopted_by", locale, date=adopted, user=version.adopted_by, count=len(rows))
    lines: list[str] = []
    for theme, group in by_theme(rows):
        lines.append(t("agenda.theme_heading", locale, theme=escape(theme_label(theme, locale))))
        lines += [_row_line(row, locale) for row in group]
    changed = [t("versie.changes_title", locale, number=version.number)]
    changed += [change_line(change, locale) for change in found] or [t("versie.changes_none", locale)]
    chunks = _packed([f"*{head}*\n{intro}"]) + _packed(lines) + _packed(changed)
    blocks = [section(chunk) for chunk in chunks[:MAX_BLOCKS]]
    if len(chunks) > MAX_BLOCKS:
        blocks.append(context(t("versie.more", locale, number=version.number)))
    return message(blocks, head)


def _row_line(row: FrozenActivity, locale: str) -> str:
    parts = [t(f"agenda.status_{row.status}", locale), mention(row.initiator_id, locale)]
    if row.deadline is not None:
        parts.append(t("agenda.deadline", locale, date=short_date(row.deadline, locale)))
    if row.budget is not None:
        parts.append(amount(row.budget, locale))
    return f"• *A-{row.number}* {escape(row.title)} — " + " · ".join(parts)


def adopted_post(version: AgendaVersion, found: list[Change], locale: str) -> dict:
    """The word in the channel: version N is adopted, with what changed since N-1."""
    text = t("versie.adopted_post", locale, number=version.number, user=version.adopted_by)
    lines = [change_line(change, locale) for change in found]
    blocks = [section(chunk) for chunk in _packed([text, *lines])[: MAX_BLOCKS - 1]]
    blocks.append(context(t("versie.adopted_hint", locale, number=version.number)))
    return message(blocks, t("versie.adopted_fallback", locale, number=version.number))


PAGE_LINES = 20


def hits_page(title: str, lines: list[str], *, page: int, action_value: str, locale: str, empty: str) -> dict:
    """One page of lessons or search results, with buttons to the pages before and after."""
    if not lines:
        return {"text": empty}
    pages = max(1, -(-len(lines) // PAGE_LINES))
    page = min(max(page, 1), pages)
    shown = lines[(page - 1) * PAGE_LINES : page * PAGE_LINES]
    blocks = [section(chunk) for chunk in _packed([title, *shown])]
    if pages > 1:
        blocks.append(context(t("versie.page", locale, page=page, pages=pages)))
        buttons = []
        if page > 1:
            buttons.append(button(t("agenda.previous", locale), "agenda_cycle_page", f"{action_value}|{page - 1}"))
        if page < pages:
            buttons.append(button(t("agenda.next", locale), "agenda_cycle_page", f"{action_value}|{page + 1}"))
        blocks.append(actions(*buttons))
    return message(blocks, title)


def hit_line(hit: Hit, zone: ZoneInfo, locale: str, *, lesson: bool = False) -> str:
    day = short_date(hit.at.astimezone(zone).date(), locale)
    text = escape(preview(hit.text))
    if lesson:
        return t("versie.lesson_line", locale, date=day, label=escape(hit.label), user=hit.user_id, text=text)
    user = t("versie.search_user", locale, user=hit.user_id) if hit.user_id else ""
    kind = t(f"versie.kind_{hit.kind}", locale)
    return t("versie.search_line", locale, date=day, kind=kind, label=escape(hit.label), user=user, text=text)
