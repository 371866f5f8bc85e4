"""The circle's members as Slack shows them: the roster with its balance, the registration form, the welcome."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from slack_sdk.models.blocks import Block

from bot.blocks.common import (
    actions,
    button,
    context,
    date_input,
    message,
    modal,
    option,
    section,
    select,
    text_input,
)
from bot.formatting import short_date
from bot.i18n import mention, t
from bot.slacktext import escape
from store.members import Balance, Suggestions, started
from store.models import Circle, Member
from store.vocabulary import ORGANISATION_LIMIT, SIDES

CHUNK = 2900
MAX_BLOCKS = 50


def number(value: Decimal | int | float, locale: str) -> str:
    """`1,5` or `2`: a plain number with the reader's decimal mark and no needless zeros."""
    text = f"{Decimal(str(value)).normalize():f}"
    return text.replace(".", ",") if locale == "nl" else text


def years(months: int, locale: str) -> str:
    return number(round(Decimal(months) / 12, 1), locale)


def side_short(side: str, locale: str) -> str:
    return t(f"members.short_{side}", locale)


def _person(member: Member, locale: str) -> str:
    details = [escape(member.role)] if member.role else []
    if member.is_coordinator:
        details.append(t("members.coordinator", locale))
    details.append(t("members.since", locale, date=short_date(started(member), locale)))
    return f"<@{member.user_id}> ({', '.join(details)})"


def roster_lines(members: list[Member], locale: str) -> list[str]:
    """Per side, per organisation, who sits at the table; then who has not registered yet."""
    lines: list[str] = []
    for side in SIDES:
        on_side = [member for member in members if member.side == side]
        if not on_side:
            continue
        by_organisation: dict[str, list[Member]] = {}
        for member in on_side:
            by_organisation.setdefault(member.organisation or "", []).append(member)
        lines.append(
            t(
                "members.side_heading",
                locale,
                side=t(f"members.side_{side}", locale),
                members=len(on_side),
                count=len(by_organisation),
            )
        )
        for organisation, people in sorted(by_organisation.items(), key=lambda item: item[0].lower()):
            who = ", ".join(_person(member, locale) for member in people)
            lines.append(t("members.organisation_line", locale, organisation=escape(organisation), people=who))
    unregistered = [member for member in members if member.side not in SIDES]
    if unregistered:
        people = ", ".join(mention(member.user_id, locale) for member in unregistered)
        lines.append(t("members.unregistered", locale, people=people))
    return lines


def balance_line(balance: Balance, locale: str) -> str:
    counts = balance.counts
    return t("members.balance", locale, og=counts["OG"], on=counts["ON"], other=counts["anders"])


def suggestion_lines(suggestions: Suggestions, circle: Circle, locale: str) -> list[str]:
    """What coordinators are told: the balance tipped, or who sat longer than the rotation term."""
    lines = []
    found = suggestions.balance
    if found.heavy and found.light:
        lines.append(
            t(
                "members.unbalanced",
                locale,
                heavy=side_short(found.heavy, locale),
                light=side_short(found.light, locale),
                ratio=number(circle.balance_ratio, locale),
                invite=t(f"members.invite_{found.light}", locale),
            )
        )
    if suggestions.rotation:
        people = ", ".join(mention(member.user_id, locale) for member in suggestions.rotation)
        lines.append(t("members.rotation", locale, years=years(circle.rotation_months, locale), people=people))
    return lines


def terms(circle: Circle, locale: str) -> str:
    ratio = number(circle.balance_ratio, locale)
    if circle.rotation_months <= 0:
        return t("members.terms_no_rotation", locale, ratio=ratio)
    return t("members.terms", locale, ratio=ratio, years=years(circle.rotation_months, locale))


def roster(circle: Circle, members: list[Member], suggestions: Suggestions, locale: str) -> dict:
    """`/kenniskring leden`: grouped by side and organisation, the balance, and any suggestion."""
    title = t("members.title", locale, circle=escape(circle.name), count=len(members))
    lines = roster_lines(members, locale)
    if not any(member.side in SIDES for member in members):
        lines.insert(0, t("members.empty", locale))
    blocks = _packed(title, lines)
    said = suggestion_lines(suggestions, circle, locale)
    if not suggestions.balance.heavy:
        said.insert(0, t("members.balanced", locale, ratio=number(circle.balance_ratio, locale)))
    blocks.append(section("\n".join([balance_line(suggestions.balance, locale), *said])))
    blocks.append(context(t("members.how", locale), terms(circle, locale)))
    return message(blocks[:MAX_BLOCKS], title)


def _packed(title: str, lines: list[str]) -> list[Block]:
    chunks, current = [], title
    for line in lines:
        if len(current) + len(line) + 1 > CHUNK:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    chunks.append(current)
    return [section(chunk) for chunk in chunks][: MAX_BLOCKS - 2]


def register_modal(
    locale: str, metadata: dict, *, roles: list[str], member: Member | None = None, today: date | None = None
) -> dict:
    """Side, organisation, role and start date; filled in with what is known."""
    sides = [option(t(f"members.side_{side}", locale), side) for side in SIDES]
    role_options = [option(role, role) for role in roles[:100]]
    blocks: list[Block] = [
        select("side", t("members.form_side", locale), sides, initial=member.side if member else None),
        text_input(
            "organisation",
            t("members.form_organisation", locale),
            max_length=ORGANISATION_LIMIT,
            hint=t("members.form_organisation_hint", locale),
            initial=member.organisation if member else None,
        ),
    ]
    if role_options:
        initial = member.role if member else None
        blocks.append(select("role", t("members.form_role", locale), role_options, initial=initial, optional=True))
    since = started(member) if member is not None else today
    blocks.append(date_input("since", t("members.form_since", locale), initial=since.isoformat() if since else None))
    return modal("member_register", t("members.form_title", locale), blocks, locale, metadata)


def welcome(circle: Circle, user_id: str, locale: str) -> dict:
    text = t("members.welcome", locale, circle=escape(circle.name), user=user_id)
    register = button(t("members.welcome_button", locale), "member_register_open", str(circle.id), style="primary")
    return message([section(text), actions(register)], text)


def invitation(circle: Circle, locale: str) -> dict:
    intro = t("members.invitation_intro", locale)
    text = t("members.invitation", locale, circle=escape(circle.name))
    return message([section(intro), section(">" + text.replace("\n", "\n>"))], intro)


def agenda_note(note: dict, locale: str) -> str:
    """The short "De kring" line of an agenda post, from what the agenda noted when it was built."""
    parts = []
    if note.get("heavy") and note.get("light"):
        parts.append(
            t(
                "members.unbalanced",
                locale,
                heavy=side_short(note["heavy"], locale),
                light=side_short(note["light"], locale),
                ratio=number(Decimal(str(note.get("ratio") or 2)), locale),
                invite=t(f"members.invite_{note['light']}", locale),
            )
        )
    if note.get("rotation"):
        people = ", ".join(mention(user, locale) for user in note["rotation"])
        parts.append(t("members.rotation", locale, years=years(int(note.get("months") or 0), locale), people=people))
    return t("members.agenda_line", locale, text=" ".join(parts))
