"""Klaagpaal messages and modals."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    CheckboxesElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.blocks.common import (
    Paging,
    actions,
    button,
    context,
    input_block,
    message,
    modal,
    option,
    paged,
    preview,
    section,
    sections,
    select,
    text_input,
)
from bot.i18n import mention, t
from bot.slacktext import escape, quote
from store.klaagpaal import CATEGORIES
from store.models import KlaagpaalItem


def post(item: KlaagpaalItem, locale: str) -> dict:
    """The item as posted in the circle's channel: the author only when it was not filed anonymously."""
    who = (
        t("klaagpaal.post_anonymous", locale) if item.anonymous else t("klaagpaal.post_by", locale, user=item.author_id)
    )
    details = [who]
    if item.category:
        details.append(t("klaagpaal.post_category", locale, category=t(f"klaagpaal.category_{item.category}", locale)))
    details.append(t("klaagpaal.herkenbaar_count", locale, count=len(item.marks)))
    blocks = [section(t("klaagpaal.post_title", locale, number=item.number) + "\n" + quote(item.text))]
    blocks.append(context(" · ".join(details)))
    if item.status == "opgelost":
        blocks.append(context(resolution(item, locale)))
    else:
        blocks.append(
            actions(
                button(t("klaagpaal.herkenbaar_button", locale), "klaagpaal_herkenbaar", str(item.id)),
                button(t("common.button_resolve", locale), "klaagpaal_resolve", str(item.id)),
                block_id=f"klaagpaal_{item.id}",
            )
        )
    fallback = f"K-{item.number}: {escape(preview(item.text))}"
    return message(blocks, fallback)


def resolution(item: KlaagpaalItem, locale: str) -> str:
    """Who closed the item, and with what: the outcome, and the activity it became."""
    outcome = escape(item.outcome or "")
    if item.activity is None:
        return t("klaagpaal.resolved_post", locale, user=item.closed_by, outcome=outcome)
    activity = item.activity
    text = t("klaagpaal.resolved_activity_post", locale, user=item.closed_by, number=activity.number)
    return text + " " + escape(activity.title) + (" — " + outcome if outcome else "")


def listing(items: list[tuple[KlaagpaalItem, int]], paging: Paging, locale: str) -> dict:
    """One page of the open items, each with how many recognise it."""
    if not items:
        return message([section(t("klaagpaal.list_empty", locale))], t("klaagpaal.list_empty", locale))
    lines = [
        t(
            "klaagpaal.list_line",
            locale,
            number=item.number,
            text=escape(preview(item.text)),
            who=t("common.anonymous", locale) if item.anonymous else mention(item.author_id, locale),
            marks=marks,
            status=t(f"common.status_{item.status}", locale),
        )
        for item, marks in items
    ]
    return paged(t("klaagpaal.list_title", locale), lines, paging, locale)


def file_modal(locale: str, metadata: dict) -> dict:
    categories = [option(t(f"klaagpaal.category_{c}", locale), c) for c in CATEGORIES]
    anonymous = CheckboxesElement(
        action_id="value", options=[option(t("klaagpaal.modal_anonymous_option", locale), "anoniem")]
    )
    blocks = [
        text_input(
            "text", t("klaagpaal.modal_text_label", locale), multiline=True, hint=t("klaagpaal.modal_text_hint", locale)
        ),
        select("category", t("klaagpaal.modal_category_label", locale), categories, optional=True),
        input_block("anonymous", t("klaagpaal.modal_anonymous_label", locale), anonymous, optional=True),
    ]
    return modal("klaagpaal_file", t("klaagpaal.modal_title", locale), blocks, locale, metadata)


def resolve_modal(item: KlaagpaalItem, locale: str, metadata: dict) -> dict:
    blocks = [
        section(quote(preview(item.text))),
        text_input("outcome", t("common.outcome_label", locale), multiline=True, hint=t("common.outcome_hint", locale)),
    ]
    return modal(
        "klaagpaal_resolve", t("klaagpaal.resolve_title", locale, number=item.number), blocks, locale, metadata
    )


def question(text: str, token: str, locale: str) -> dict:
    """Ask whether a typed item is anonymous; the buttons carry only the token under which its text waits."""
    ask = t("klaagpaal.question", locale)
    blocks = [
        section(ask + "\n" + quote(preview(text))),
        actions(
            button(t("klaagpaal.question_anonymous", locale), "klaagpaal_anonymous", token, style="primary"),
            button(t("klaagpaal.question_named", locale), "klaagpaal_named", token),
        ),
    ]
    return {"response_type": "ephemeral", **message(blocks, ask)}


def filed_view(confirmation: str, locale: str) -> dict:
    """The form, after filing anonymously, showing the confirmation where it was typed: no message is sent."""
    view = View(
        type="modal",
        callback_id="klaagpaal_filed",
        title=PlainTextObject(text=t("klaagpaal.modal_title", locale)),
        close=PlainTextObject(text=t("common.modal_close", locale)),
        blocks=[section(confirmation)],
    )
    return view.to_dict()


def mine(items: list[KlaagpaalItem], locale: str) -> dict:
    """What this person filed, anonymous items marked so; shown to them alone."""
    if not items:
        return message([section(t("klaagpaal.mine_empty", locale))], t("klaagpaal.mine_empty", locale))
    lines = [
        t(
            "klaagpaal.mine_line",
            locale,
            number=item.number,
            text=escape(preview(item.text)),
            how=t("common.anonymous", locale) if item.anonymous else t("klaagpaal.mine_named", locale),
            status=t(f"common.status_{item.status}", locale),
        )
        for item in items
    ]
    return sections(t("klaagpaal.mine_title", locale), lines, locale=locale)


def withdrawn_post(number: int, locale: str) -> dict:
    """The channel post of a withdrawn item: its text is gone, and so is whoever filed it."""
    text = t("klaagpaal.withdrawn_post", locale, number=number)
    return message([section(text)], text)
