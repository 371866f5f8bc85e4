"""Help request messages and modals."""

from __future__ import annotations

from bot.blocks.common import (
    Paging,
    actions,
    button,
    context,
    date_input,
    message,
    modal,
    paged,
    preview,
    section,
    text_input,
)
from bot.formatting import long_date
from bot.i18n import t
from bot.slacktext import escape, quote
from store.models import HelpRequest


def _helpers(request: HelpRequest) -> str:
    return ", ".join(f"<@{offer.user_id}>" for offer in request.offers)  # shown through t(), which words removed people


def post(request: HelpRequest, locale: str) -> dict:
    blocks = [section(t("hulpvraag.post_title", locale, number=request.number) + "\n" + quote(request.text))]
    details = [t("hulpvraag.post_by", locale, user=request.requester_id)]
    if request.expertise:
        details.append(t("hulpvraag.post_expertise", locale, expertise=escape(request.expertise)))
    if request.wanted_by:
        details.append(t("hulpvraag.post_wanted_by", locale, date=long_date(request.wanted_by, locale)))
    blocks.append(context(" · ".join(details)))
    if request.offers:
        blocks.append(context(t("hulpvraag.post_helpers", locale, helpers=_helpers(request))))
    if request.status == "opgelost":
        outcome = escape(request.outcome)
        blocks.append(context(t("hulpvraag.resolved_post", locale, user=request.closed_by, outcome=outcome)))
    else:
        blocks.append(
            actions(
                button(t("hulpvraag.help_button", locale), "hulpvraag_help", str(request.id), style="primary"),
                button(t("common.button_resolve", locale), "hulpvraag_resolve", str(request.id)),
                block_id=f"hulpvraag_{request.id}",
            )
        )
    return message(blocks, f"H-{request.number}: {escape(preview(request.text))}")


def helper_dm(request: HelpRequest, helper_id: str, locale: str) -> dict:
    text = t("hulpvraag.helper_dm", locale, helper=helper_id, number=request.number, text=escape(preview(request.text)))
    return message([section(text)], text)


def listing(requests: list[HelpRequest], paging: Paging, locale: str) -> dict:
    """One page of the open requests, with who offered help."""
    if not requests:
        return message([section(t("hulpvraag.list_empty", locale))], t("hulpvraag.list_empty", locale))
    lines = []
    for request in requests:
        helpers = t("hulpvraag.list_helpers", locale, helpers=_helpers(request)) if request.offers else ""
        text = escape(preview(request.text))
        lines.append(
            t(
                "hulpvraag.list_line",
                locale,
                number=request.number,
                text=text,
                user=request.requester_id,
                helpers=helpers,
            )
        )
    return paged(t("hulpvraag.list_title", locale), lines, paging, locale)


def file_modal(locale: str, metadata: dict, *, text: str | None = None) -> dict:
    blocks = [
        text_input("text", t("hulpvraag.modal_text_label", locale), multiline=True, initial=text),
        text_input("expertise", t("hulpvraag.modal_expertise_label", locale), optional=True, max_length=500),
        date_input("wanted_by", t("hulpvraag.modal_wanted_by_label", locale)),
    ]
    return modal("hulpvraag_file", t("hulpvraag.modal_title", locale), blocks, locale, metadata)


def resolve_modal(request: HelpRequest, locale: str, metadata: dict) -> dict:
    blocks = [
        section(quote(preview(request.text))),
        text_input("outcome", t("common.outcome_label", locale), multiline=True, hint=t("common.outcome_hint", locale)),
    ]
    title = t("hulpvraag.resolve_title", locale, number=request.number)
    return modal("hulpvraag_resolve", title, blocks, locale, metadata)
