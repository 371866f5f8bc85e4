"""Block Kit and mrkdwn as the console shows them: readable text, every pressable thing numbered."""

from __future__ import annotations

from bot.blocks import hulpvraag, klaagpaal
from bot.console.render import Renderer, Style
from store.models import HelpRequest, KlaagpaalItem
from tests.helpers import mrkdwn, plain

NAMES = {"U1": "Anne de Vries", "U2": "Bram Jansen"}
CHANNELS = {"C1": "kenniskring"}


def renderer(color: bool = False) -> Renderer:
    return Renderer(names=NAMES, channels=CHANNELS, style=Style(color))


def test_mentions_show_as_names_and_broadcasts_as_words() -> None:
    text = renderer().mrkdwn("Door <@U1> en <@U2|bram>, voor <@U9|piet> en <@U8> in <#C1> <!here> <!channel|channel>")
    assert text == "Door @Anne de Vries en @Bram Jansen, voor @piet en @U8 in #kenniskring @here @channel"


def test_escapes_are_undone_without_turning_user_text_into_tokens() -> None:
    assert renderer().mrkdwn("a &lt;b&gt; &amp; &lt;@U1&gt; &lt;!channel&gt;") == "a <b> & <@U1> <!channel>"


def test_bold_italic_and_code_read_as_plain_text_and_in_colour_on_a_terminal() -> None:
    plain = renderer().mrkdwn("*K-1* is _nu_ open: typ `/klaagpaal lijst`; 3 * 4 = 12")
    assert plain == "K-1 is nu open: typ `/klaagpaal lijst`; 3 * 4 = 12"
    coloured = renderer(color=True).mrkdwn("*K-1* `x`")
    assert coloured == "\033[1mK-1\033[22m \033[36mx\033[39m"


def test_code_is_left_as_written() -> None:
    assert renderer().mrkdwn("`/kenniskring start <naam>` *niet vet*") == "`/kenniskring start <naam>` niet vet"


def test_quotes_links_dates_and_emoji() -> None:
    text = renderer().mrkdwn(
        "> eerste\n&gt; tweede\n<https://x.nl|site> <mailto:a@b.nl> <!date^1|8 dec> :loudspeaker: :nope:"
    )
    assert text.split("\n") == ["│ eerste", "│ tweede", "site (https://x.nl) mailto:a@b.nl 8 dec 📢 :nope:"]


def test_a_klaagpaal_post_reads_clearly_and_numbers_its_buttons() -> None:
    item = KlaagpaalItem(id=7, number=3, text="Regels <schuren> & knellen", author_id="U2", status="open", marks=[])
    shown = renderer()
    lines = shown.message(klaagpaal.post(item, "nl"), channel="C1", ts="1.0001")

    assert lines[0] == "📢 Klaagpaal K-3"
    assert lines[1] == "│ Regels <schuren> & knellen"
    assert lines[2] == "Ingebracht door @Bram Jansen · ✋ 0× herkenbaar"
    assert lines[3] == "[1] Herkenbaar   [2] Afsluiten"
    assert [(b.action_id, b.value, b.channel, b.message_ts) for b in shown.buttons] == [
        ("klaagpaal_herkenbaar", "7", "C1", "1.0001"),
        ("klaagpaal_resolve", "7", "C1", "1.0001"),
    ]


def test_numbering_continues_over_several_messages_on_one_screen() -> None:
    shown = renderer()
    request = HelpRequest(id=4, number=1, text="Wie helpt?", requester_id="U1", status="open", offers=[])
    shown.message(hulpvraag.post(request, "nl"), channel="C1", ts="1")
    lines = shown.message(hulpvraag.post(request, "nl"), channel="C1", ts="2")
    assert lines[-1] == "[3] Ik help   [4] Afsluiten"
    assert [b.message_ts for b in shown.buttons] == ["1", "1", "2", "2"]


def test_menus_in_messages_offer_each_option_as_a_numbered_choice() -> None:
    options = [{"text": plain("Afronden"), "value": "done:1"}, {"text": plain("Verplaatsen"), "value": "move:1"}]
    menu = {"type": "overflow", "action_id": "activity_menu", "options": options}
    picker = {"type": "datepicker", "action_id": "d", "placeholder": plain("Nieuwe datum")}
    blocks = [
        {"type": "section", "text": mrkdwn("*A-1* Wegen"), "accessory": menu},
        {"type": "actions", "elements": [picker]},
    ]
    shown = renderer()
    lines = shown.blocks(blocks, channel="C1", ts="5")
    assert lines == [
        "A-1 Wegen",
        "[1] Afronden  [2] Verplaatsen",
        "[Nieuwe datum: dit kies je in Slack, niet in de console]",
    ]
    assert [(b.action_id, b.value) for b in shown.buttons] == [("activity_menu", "done:1"), ("activity_menu", "move:1")]


def test_other_blocks_fields_and_unknown_kinds() -> None:
    greeting = {
        "type": "rich_text_section",
        "elements": [{"type": "text", "text": "Hoi "}, {"type": "user", "user_id": "U2"}],
    }
    point = {"type": "rich_text_section", "elements": [{"type": "text", "text": "punt"}]}
    blocks = [
        {"type": "header", "text": plain("Agenda :calendar:")},
        {"type": "divider"},
        {"type": "section", "fields": [mrkdwn("*Deadline*"), plain("1 mrt")]},
        {"type": "context", "elements": [{"type": "image", "alt_text": "logo"}, mrkdwn("door <@U1>")]},
        {"type": "image", "alt_text": "grafiek", "image_url": "https://x"},
        {"type": "video"},
        {"type": "rich_text", "elements": [greeting, {"type": "rich_text_list", "elements": [point]}]},
    ]
    spaced = renderer().blocks(blocks, channel=None, ts=None)
    assert spaced[1] == ""  # a long message gets air between its parts, as in Slack
    lines = [line for line in spaced if line]
    assert lines[0] == "Agenda 📆"
    assert lines[1].startswith("───")
    assert lines[2:4] == ["Deadline", "1 mrt"]
    assert lines[4] == "logo  door @Anne de Vries"
    assert lines[5] == "[afbeelding: grafiek]"
    assert lines[6] == "[video: niet te tonen in de console]"
    assert lines[7:] == ["Hoi @Bram Jansen", "• punt"]


def test_a_message_without_blocks_shows_its_text_and_attachments() -> None:
    payload = {"text": "Let op: <@U1>", "attachments": [{"text": "*bijlage*"}], "files": [{"name": "agenda.xlsx"}]}
    assert renderer().message(payload, channel="C1", ts=None) == [
        "Let op: @Anne de Vries",
        "┃ bijlage",
        "📎 agenda.xlsx",
    ]


def test_a_modal_shows_its_title_and_fields_with_optional_marked() -> None:
    view = klaagpaal.file_modal("nl", {"team_id": "T1", "channel_id": "C1"})
    lines = renderer().view(view)
    assert lines == ["Klaagpaal", "▸ Wat moet er gezegd worden?", "▸ Categorie (optioneel)", "▸ Anoniem (optioneel)"]


def test_home_buttons_are_pressed_in_the_view_not_a_channel() -> None:
    link = {"type": "button", "text": plain("Open"), "action_id": "a", "value": "1", "url": "https://x"}
    shown = renderer()
    assert shown.view({"type": "home", "blocks": [{"type": "actions", "elements": [link]}]}) == ["[1] Open (https://x)"]
    assert shown.buttons[0].channel is None


def test_formatting_may_span_code() -> None:
    text = renderer().mrkdwn("_Nog niets. Breng er een in met `/kenniskring punt arbeidsmarkt: …`_")
    assert text == "Nog niets. Breng er een in met `/kenniskring punt arbeidsmarkt: …`"
