"""The console driven line by line, as a first-time user would type: commands, buttons, forms, people, time."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import delivery, scheduler
from bot.blocks.common import actions, button, message, section
from bot.config import Settings
from bot.console import Console, run_console
from store.models import HelpRequest, HerkenbaarMark, KlaagpaalItem
from tests.helpers import plain


@pytest.fixture
def console(settings: Settings, session_factory) -> Iterator[Console]:
    with Console(settings) as session:
        yield session


def typed(console: Console, *lines: str) -> str:
    return "\n".join(console.handle(line) for line in lines)


def started(console: Console) -> Console:
    console.handle("/kenniskring start Kenniskring West")
    return console


def test_first_screen_says_what_this_is_and_what_to_type(console) -> None:
    screen = console.welcome()
    assert "de echte bot, zonder Slack" in screen
    assert "`/klaagpaal Te veel formulieren`" in screen
    assert "Je bent Anne de Vries (gemeente) in #kenniskring" in screen
    assert "`/kenniskring start <naam>`" in screen
    assert console.prompt == "anne in #kenniskring › "


def test_filing_shows_the_answer_the_channel_post_and_a_numbered_button(console, session_factory) -> None:
    shown = typed(started(console), "/klaagpaal Aanbestedingen vragen <5> referenties & meer")

    answer, post = shown.split("\n\n")
    assert answer.splitlines() == [
        "  Antwoord van de bot (alleen jij ziet dit):",
        "    Dank je. Je punt staat op de klaagpaal als K-1 en is in het kanaal geplaatst.",
    ]
    assert post.splitlines() == [
        "  De bot plaatst in #kenniskring:",
        "    📢 Klaagpaal K-1",
        "    │ Aanbestedingen vragen <5> referenties & meer",
        "    Ingebracht door @Anne de Vries · ✋ 0× herkenbaar",
        "    [1] Herkenbaar   [2] Afsluiten",
    ]
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem.text)).one() == "Aanbestedingen vragen <5> referenties & meer"


def test_pressing_a_number_presses_the_button_as_whoever_types(console, session_factory) -> None:
    typed(started(console), "/klaagpaal Te veel formulieren")

    first = typed(console, ":als bram", "1")
    again = console.handle(":druk 1")

    assert "Je drukt op Herkenbaar (als Bram Jansen)." in first
    assert "Bericht bijgewerkt in #kenniskring:" in first
    assert "✋ 1× herkenbaar" in first
    assert "Alleen jij ziet dit, in #kenniskring:\n    Je hebt K-1 als herkenbaar gemarkeerd." in first
    assert "Je had K-1 al als herkenbaar gemarkeerd" in again
    with session_factory() as session:
        assert session.scalars(select(HerkenbaarMark.user_id)).all() == ["U2"]


def test_a_refused_button_answers_only_the_one_who_pressed(console) -> None:
    typed(started(console), "/klaagpaal Te veel formulieren", ":als chantal")
    shown = console.handle("2")
    assert "Antwoord van de bot (alleen jij ziet dit):" in shown
    assert "Alleen wie K-1 inbracht of een coördinator kan het afsluiten." in shown
    assert "HTTP-status" not in shown


def test_the_klaagpaal_form_is_filled_in_field_by_field(console, session_factory) -> None:
    opened = started(console).handle("/klaagpaal")
    assert "Formulier geopend: Klaagpaal" in opened
    assert "(1/3) Wat moet er gezegd worden?" in opened
    assert console.prompt == "  › "

    required = console.handle("")
    category = console.handle("De nieuwe regel over grondverzet werkt niet")
    anonymous = console.handle("2")
    done = console.handle("1")

    assert "✗ Dit veld is verplicht" in required
    assert "(2/3) Categorie (optioneel)" in category
    assert "[1] Marktblokkade   [2] Regelgeving   [3] Samenwerking   [4] Overig" in category
    assert "Enter slaat dit veld over." in category
    assert "(3/3) Anoniem (optioneel)" in anonymous
    assert "Formulier verstuurd (Opslaan)." in done
    assert "Anoniem ingebracht · Categorie: Regelgeving" in done
    assert "Formulier bijgewerkt:" in done and "anoniem op de klaagpaal als K-1" in done
    assert "Alleen jij ziet dit" not in done  # no message to the filer: it would be a record of who filed it
    assert console.prompt.startswith("anne")
    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem)).one()
        assert (item.author_id, item.category) == (None, "regelgeving")


def test_the_bots_field_errors_are_shown_and_only_that_field_is_asked_again(console, session_factory) -> None:
    typed(started(console), "/hulpvraag", "Wie kent de CO2-prestatieladder?", "")
    assert "✗ `31-2-2026` is geen datum" in console.handle("31-2-2026")  # checked before anything is sent
    refused = console.handle("1-1-2020")

    assert "Niet opgeslagen. De bot vraagt je dit te verbeteren:" in refused
    assert "✗ Graag vóór: Die datum ligt in het verleden" in refused
    assert "(1/1) Graag vóór (optioneel)" in refused
    with session_factory() as session:
        assert session.scalars(select(HelpRequest)).all() == []

    saved = console.handle((datetime.now(UTC) + timedelta(days=30)).date().isoformat())
    assert "Je hulpvraag staat als H-1 in het kanaal." in saved
    with session_factory() as session:
        assert session.scalars(select(HelpRequest.text)).one() == "Wie kent de CO2-prestatieladder?"


def test_a_form_can_go_back_and_be_cancelled_without_storing(console, session_factory) -> None:
    typed(started(console), "/klaagpaal", "eerst dit")
    back = console.handle(":terug")
    stray = console.handle(":home")
    cancelled = console.handle(":annuleer")

    assert "(1/3) Wat moet er gezegd worden?" in back and "Enter houdt: eerst dit" in back
    assert "Je vult nu een formulier in." in stray
    assert "Formulier gesloten; er is niets verstuurd." in cancelled
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem)).all() == []


def test_a_slash_command_in_a_form_closes_the_form_unsent_and_runs(console, session_factory) -> None:
    typed(started(console), "/klaagpaal", "Te veel formulieren")
    screen = console.handle("/agenda nieuw Asfalt deadline:1-3-2027 thema:klimaat")

    assert "Formulier gesloten zonder te versturen, om `/agenda` uit te voeren." in screen
    assert "A-1" in screen and "te lang" not in screen
    assert console.form is None and console.prompt.startswith("anne")
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem)).all() == []


def test_an_unknown_slash_word_in_a_form_is_neither_a_value_nor_a_command(console) -> None:
    typed(started(console), "/klaagpaal")
    screen = console.handle("/agneda nieuw")

    assert "`/agneda` is geen opdracht die de bot kent; het formulier staat nog open." in screen
    assert "(1/3) Wat moet er gezegd worden?" in screen
    assert console.form is not None


def test_switching_people_and_channels(console) -> None:
    assert "Je bent nu Bram Jansen (aannemer)." in console.handle(":als U2")
    assert console.prompt == "bram in #kenniskring › "
    assert "Chantal Bakker (gemeente)" in console.handle(":als @Chantal")
    assert "Wie is `niemand`? Kies uit: anne (U1), bram (U2), chantal (U3)." in console.handle(":als niemand")

    moved = console.handle(":kanaal C2")
    assert "in #kenniskring-oost. Hier is nog geen kenniskring" in moved
    assert console.prompt == "chantal in #kenniskring-oost › "
    assert "Start er een met `/kenniskring start <naam>`" in console.handle("/klaagpaal iets")
    assert "Welk kanaal?" in console.handle(":kanaal ???")


def test_mentions_typed_with_at_reach_the_bot_as_slack_sends_them(console) -> None:
    shown = typed(started(console), "/kenniskring coordinator @bram")
    assert "@Bram Jansen is nu coördinator van deze kenniskring." in shown


def test_tick_runs_scheduled_work_at_that_moment_and_shows_what_was_sent(console, monkeypatch) -> None:
    moments: list[datetime] = []

    def reminder(services, now: datetime) -> None:
        moments.append(now)
        payload = message(
            [section("Herinnering voor <@U2>"), actions(button("Klaar", "test_done", "1"))], "Herinnering"
        )
        with services.transaction() as session:
            delivery.enqueue(session, key="test:reminder", channel="U2", payload=payload)

    monkeypatch.setattr(scheduler, "JOBS", [reminder])
    shown = console.handle(":tick 2026-12-08 09:00")

    assert moments == [datetime(2026, 12, 8, 8, 0, tzinfo=UTC)]  # 09:00 in Amsterdam
    assert "Het is nu dinsdag 8 december 2026 09:00 voor de bot" in shown
    assert "DM aan @Bram Jansen:\n    Herinnering voor @Bram Jansen\n    [1] Klaar" in shown
    assert console.buttons[0].channel == "DU2"
    assert abs(console.clock() - moments[0]) < timedelta(minutes=1)

    assert "niets te versturen" in console.handle(":tick 2026-12-08T09:00")  # nothing twice
    assert moments[-1] == moments[0]
    assert "niets te versturen" in console.handle(":tick 9-12-2026")
    assert moments[-1] == datetime(2026, 12, 9, 8, 0, tzinfo=UTC)
    assert "`morgen` is geen moment" in console.handle(":tick morgen")


def test_home_opens_the_app_home(console) -> None:
    shown = console.handle(":home")
    assert shown.startswith("  Je startpagina van de bot (App Home):")
    first = console.standin.home_views["U1"]["blocks"][0]
    opening = console._renderer().text(first["text"]).split("\n")[0]
    assert " ".join(opening.split()) in " ".join(shown.split())


def test_bad_input_gets_a_friendly_hint_and_changes_nothing(console, session_factory) -> None:
    started(console)
    assert "Dat begrijp ik niet: `hallo`" in console.handle("hallo")
    assert "Bedoel je `/klaagpaal lijst`?" in console.handle("klaagpaal lijst")
    assert "De bot kent `/onzin` niet. Wel: " in console.handle("/onzin doe iets")
    assert "`:vlieg` ken ik niet" in console.handle(":vlieg")
    assert "Er zijn nu geen knoppen" in console.handle("3")
    assert "Welke knop?" in console.handle(":druk x")
    assert "Er is geen formulier open." in console.handle(":annuleer")
    assert "Er staat nog niets in" in console.handle("/klaagpaal anoniem")
    assert console.handle("   ") == ""
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem)).all() == []


def test_help_lists_the_console_and_the_bots_commands(console) -> None:
    shown = console.handle(":help")
    assert console.handle("help") == console.handle("hulp") == shown
    assert "`:tick 2026-12-08 09:00`" in shown
    assert "/klaagpaal" in shown and "/kenniskring" in shown


def test_what_was_posted_before_is_there_next_time_with_working_buttons(settings, session_factory) -> None:
    with Console(settings) as first:
        typed(first, "/kenniskring start West", "/klaagpaal Te veel formulieren")
    with Console(settings) as second:
        earlier = second.handle(":berichten")
        second.handle(":als bram")  # "herkenbaar" is for others than the one who filed it
        pressed = second.handle("1")
        new = second.handle("/klaagpaal Nog een punt")

    assert earlier.startswith("  De laatste berichten in #kenniskring:")
    assert "Te veel formulieren" in earlier and "[1] Herkenbaar" in earlier
    assert "Bericht bijgewerkt in #kenniskring:" in pressed and "✋ 1× herkenbaar" in pressed
    assert "K-2" in new
    assert "Te veel formulieren" not in new  # the new post did not land on the old one


def test_run_console_reads_until_stop_or_end_of_input(settings, session_factory) -> None:
    lines = iter(["/kenniskring start West", ":wie"])

    def read(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    output = io.StringIO()
    assert run_console(settings, input=read, output=output) == 0
    shown = output.getvalue()
    assert shown.index("de echte bot, zonder Slack") < shown.index("is gestart") < shown.index("Wie doen er mee")
    assert shown.rstrip().endswith("Tot ziens! Wat je hebt ingevoerd, blijft bewaard voor de volgende keer.")


def test_piped_input_is_echoed_after_its_prompt(settings, session_factory, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("/kenniskring start West\n:wie\n"))
    output = io.StringIO()

    assert run_console(settings, output=output) == 0
    shown = output.getvalue()
    assert "anne in #" in shown
    assert "› /kenniskring start West\n" in shown and "› :wie\n" in shown
    assert shown.index("/kenniskring start West") < shown.index("is gestart") < shown.index(":wie")


def test_lines_typed_at_a_terminal_are_not_echoed(settings, session_factory) -> None:
    lines = iter(["/kenniskring start West"])

    def read(prompt: str) -> str:
        assert prompt  # the terminal shows the prompt and echoes the typing itself
        return next(lines, ":stop")

    output = io.StringIO()
    assert run_console(settings, input=read, output=output) == 0
    assert "/kenniskring start West" not in output.getvalue()


def test_an_unreachable_database_is_one_sentence(settings) -> None:
    broken = settings.model_copy(update={"database_url": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    output = io.StringIO()
    assert run_console(broken, input=lambda prompt: ":stop", output=output) == 2
    assert output.getvalue().startswith("De console kan de database niet openen (DATABASE_URL):")
    assert "Traceback" not in output.getvalue()


def test_a_shared_file_is_named_and_its_first_lines_shown(console, monkeypatch) -> None:
    def export(services, now: datetime) -> None:
        services.client.files_upload_v2(channel="C1", content="nummer;titel\nA-1;Wegen\n", filename="agenda.csv")
        services.client.chat_postMessage(channel="C1", **message([actions(button("Open", "x", "1"))], "Daarna"))

    monkeypatch.setattr(scheduler, "JOBS", [export])
    shown = console.handle(":tick")

    assert "Bestand gedeeld in #kenniskring: agenda.csv\n    23 bytes\n    nummer;titel\n    A-1;Wegen" in shown
    posted = console.standin.workspace.messages["C1"][-1]
    assert "De bot plaatst in #kenniskring:\n    [1] Open" in shown
    assert console.buttons[0].message_ts == posted["ts"]  # the button belongs to the post, not the file


def test_forms_the_console_does_not_know_are_filled_in_generically(console) -> None:
    """A form without fields is confirmed with Enter; a form answered with the next form goes on with that one."""
    confirm = {"type": "modal", "callback_id": "proef", "title": plain("Bevestigen"), "submit": plain("Doen")}
    confirm["blocks"] = [{"type": "section", "text": {"type": "mrkdwn", "text": "Zeker *weten*?"}}]
    pick = {"type": "users_select", "action_id": "value"}
    follow = {**confirm, "callback_id": "proef_wie", "title": plain("Wie")}
    follow["blocks"] = [{"type": "input", "block_id": "wie", "label": plain("Wie doet het?"), "element": pick}]
    seen: list[str] = []

    @console.app.command("/proef")
    def opened(ack, client, command) -> None:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=confirm)

    @console.app.view("proef")
    def confirmed(ack) -> None:
        ack(response_action="update", view=follow)

    @console.app.view("proef_wie")
    def chosen(ack, view) -> None:
        seen.append(view["state"]["values"]["wie"]["value"]["selected_user"])
        ack()

    opening = console.handle("/proef")
    assert "Formulier geopend: Bevestigen\n    Zeker weten?" in opening
    assert "Druk Enter voor Doen" in opening
    assert "Je vult nu een formulier in." in console.handle(":terug")
    following = console.handle("")
    assert "Formulier geopend: Wie" in following and "[2] Bram Jansen (aannemer)" in following
    assert "De bot liet hierop niets zien." in console.handle("bram")
    assert seen == ["U2"]


def test_ctrl_c_closes_an_open_form_and_then_ends(settings, session_factory) -> None:
    steps = iter(["/kenniskring start West", "/klaagpaal", KeyboardInterrupt, KeyboardInterrupt])

    def read(prompt: str) -> str:
        step = next(steps)
        if step is KeyboardInterrupt:
            raise KeyboardInterrupt
        return step

    output = io.StringIO()
    assert run_console(settings, input=read, output=output) == 0
    shown = output.getvalue()
    assert shown.index("Formulier gesloten; er is niets verstuurd.") < shown.index("Tot ziens!")
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem)).all() == []


def test_a_file_sent_by_dm_is_saved_where_the_user_can_open_it(
    settings, session_factory, tmp_path, monkeypatch
) -> None:
    def export(services, now: datetime) -> None:
        dm = services.client.conversations_open(users="U1")["channel"]["id"]
        services.client.files_upload_v2(channel=dm, content=b"PK\x03\x04 spreadsheet", filename="agenda.xlsx")

    monkeypatch.setattr(scheduler, "JOBS", [export])
    with Console(settings, files=tmp_path / "bestanden") as console:
        shown = console.handle(":tick")

    saved = tmp_path / "bestanden" / "agenda.xlsx"
    assert saved.read_bytes() == b"PK\x03\x04 spreadsheet"
    assert "Bestand gedeeld in je DM met de bot: agenda.xlsx\n    16 bytes\n" in shown
    assert f"Bewaard als {saved}, zodat je het kunt openen." in " ".join(shown.split())


def test_a_word_only_you_see_after_a_dm_button_is_placed_in_that_dm(console) -> None:
    typed(started(console), "/agenda nieuw Circulair asfalt deadline:10-12-2026 thema:klimaat")
    reminder = console.handle(":tick 2026-12-03 09:00")
    assert "DM aan jou (@Anne de Vries):" in reminder and "[3] Afgerond" in reminder

    shown = console.handle("3")

    assert "is afgerond!" in shown
    assert "DM aan jou (@Anne de Vries):\n    A-1 is nu afgerond." in shown
    assert "#du1" not in shown


def test_only_digits_0_to_9_press_a_button(console, session_factory) -> None:
    screen = typed(started(console), "/klaagpaal Te veel formulieren")
    assert "[1] Herkenbaar" in screen

    for line in ("²", "١", "１", ":druk ¹", ":berichten ²"):
        answer = typed(console, line)
        assert "fout in de console zelf" not in answer, (line, answer)
    assert "Welke knop?" in typed(console, ":druk ¹")
    with session_factory() as session:
        assert session.scalars(select(HerkenbaarMark)).all() == []
