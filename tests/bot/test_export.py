"""`/agenda export` and `kenniskring export`: the whole agenda with its progress history as XLSX or CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from bot.cli import main


def fill(slack) -> None:
    slack.command(
        "/agenda", "nieuw Pilot asfalt thema:klimaat deadline:1-3-2027 budget:€ 48.000 <@U2|a> <@U3|b>", user="U2"
    )
    slack.command("/agenda", 'nieuw =HYPERLINK("http://x") thema:leren', user="U4")
    slack.command("/voortgang", "A-1 40% Proefvak gelegd", user="U2")
    slack.command("/voortgang", "A-1 status:geblokkeerd Wachten op vergunning", user="U3")


def rows(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_is_sent_as_a_workbook_in_a_direct_message(slack, standin, circle) -> None:
    fill(slack)

    answer = slack.command("/agenda", "export", user="U5")

    assert "privébericht" in answer.text
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert complete.body["channel_id"] == "DU5"
    assert "versie 0 (nog niet vastgesteld)" in complete.body["initial_comment"]
    [content] = standin.uploads.values()
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[:3] == ["Uitvoeringsagenda", "Voortgang", "Over deze export"]
    assert "Thema's" in book.sheetnames
    agenda = rows(book["Uitvoeringsagenda"])
    header = agenda[0]
    first = dict(zip(header, agenda[1], strict=True))
    assert (first["Nummer"], first["Titel"], first["Status"], first["Voortgang (%)"]) == (
        "A-1",
        "Pilot asfalt",
        "geblokkeerd",
        40,
    )
    assert first["Budget (€)"] == 48000 and first["Deadline"].date() == date(2027, 3, 1)
    assert (first["Initiatiefnemer"], first["Team"]) == ("u2", "u3")  # names as Slack knows them
    assert first["Laatste voortgang"] == "Wachten op vergunning"
    assert [row[0] for row in agenda[1:]] == ["A-1", "A-2"]
    progress = rows(book["Voortgang"])
    assert [(row[0], row[3], row[6]) for row in progress[1:]] == [
        ("A-1", "u2", "Proefvak gelegd"),
        ("A-1", "u3", "Wachten op vergunning"),
    ]
    about = dict(rows(book["Over deze export"]))
    assert (
        about["Versie van de uitvoeringsagenda"] == "versie 0 (nog niet vastgesteld)"
        and about["Kenniskring"] == "Kenniskring West"
    )


def test_text_typed_by_users_never_becomes_a_formula(slack, standin, circle) -> None:
    fill(slack)
    slack.command("/agenda", "export", user="U5")
    book = load_workbook(io.BytesIO(next(iter(standin.uploads.values()))))
    cell = book["Uitvoeringsagenda"]["B3"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_csv_alternative(slack, standin, circle) -> None:
    fill(slack)
    slack.command("/agenda", "export csv", user="U5")

    [content] = standin.uploads.values()
    assert content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header = table[0]
    lines = [dict(zip(header, row, strict=True)) for row in table[1:]]
    assert [(line["Nummer"], line["Wat er gebeurde"]) for line in lines] == [
        ("A-1", "Proefvak gelegd"),
        ("A-1", "Wachten op vergunning"),
        ("A-2", ""),
    ]
    assert lines[0]["Budget (€)"] == "48000,00" and lines[0]["Deadline"] == "01-03-2027"
    assert lines[2]["Titel"].startswith("'=")  # a spreadsheet program reads it as text


def test_unknown_export_format_is_refused(slack, standin, circle) -> None:
    assert "export csv" in slack.command("/agenda", "export pdf").text
    assert standin.uploads == {}


def test_cli_export_writes_the_same_workbook(slack, circle, database_url, tmp_path, monkeypatch, capsys) -> None:
    fill(slack)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)

    assert main(["export", "--channel", "C1", "--output", str(tmp_path / "agenda.xlsx")]) == 0
    assert main(["export", "--channel", "C1", "--format", "csv"]) == 0

    book = load_workbook(tmp_path / "agenda.xlsx")
    agenda = rows(book["Uitvoeringsagenda"])
    assert [row[0] for row in agenda[1:]] == ["A-1", "A-2"] and agenda[1][5] == "U2"  # no token: ids
    [written] = tmp_path.glob("uitvoeringsagenda-kenniskring-west-v0+-*.csv")
    assert "Proefvak gelegd" in written.read_text("utf-8-sig")
    assert "2 activities, version 0+" in capsys.readouterr().out


def test_cli_export_names_what_it_cannot_find(database_url, session_factory, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    assert main(["export", "--channel", "C404"]) == 1
    assert "no circle is bound to channel C404" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export"])  # --channel or --circle is required


def test_export_of_an_empty_agenda(session_factory) -> None:
    from zoneinfo import ZoneInfo

    from bot import export
    from store import circles

    with session_factory.begin() as session:
        circle = circles.start(
            session, team_id="T1", channel_id="C1", name="Kring", user_id="U1", locale="nl", timezone="Europe/Amsterdam"
        )
        report = export.gather(
            session, circle=circle, today=date(2026, 12, 1), zone=ZoneInfo("Europe/Amsterdam"), locale="en"
        )
    book = load_workbook(io.BytesIO(export.xlsx(report)))
    assert rows(book["Execution agenda"]) == [list(rows(book["Execution agenda"])[0])]
    assert export.csv_bytes(report).decode("utf-8-sig").count("\r\n") == 1
