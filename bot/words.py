"""The words people type after a command, Dutch and English alike: one table per command, every alias mapped to the
one thing it means. Handlers act on the meaning, so a word added here works in both languages at once."""

from __future__ import annotations

HELP = {"help": "help", "hulp": "help", "?": "help"}

KENNISKRING = {
    **HELP,
    "start": "start",
    "coordinator": "coordinator",
    "coördinator": "coordinator",
    "vergadering": "meeting",
    "vergaderingen": "meeting",
    "bijeenkomst": "meeting",
    "meeting": "meeting",
    "meetings": "meeting",
    "instellingen": "settings",
    "instelling": "settings",
    "settings": "settings",
    "punt": "point",
    "agendapunt": "point",
    "point": "point",
    "topic": "point",
    "verslag": "record",
    "record": "record",
    "kalender": "calendar",
    "calendar": "calendar",
    "mijn-gegevens": "my_data",
    "mijngegevens": "my_data",
    "gegevens": "my_data",
    "my-data": "my_data",
    "mydata": "my_data",
    "data": "my_data",
}

# `/kenniskring mijn-gegevens <word>`: removal instead of the document.
PERSONAL_DATA = {
    **HELP,
    "verwijderen": "remove",
    "verwijder": "remove",
    "wissen": "remove",
    "wis": "remove",
    "remove": "remove",
    "delete": "remove",
    "erase": "remove",
}

# `/kenniskring vergadering <word> …`
MEETING = {
    **HELP,
    "instellen": "plan",
    "plannen": "plan",
    "nieuw": "plan",
    "formulier": "plan",
    "plan": "plan",
    "new": "plan",
    "form": "plan",
    "lijst": "list",
    "list": "list",
    "verzet": "move",
    "verzetten": "move",
    "verplaats": "move",
    "verplaatsen": "move",
    "move": "move",
    "reschedule": "move",
    "annuleer": "cancel",
    "annuleren": "cancel",
    "afgelast": "cancel",
    "afgelasten": "cancel",
    "vervalt": "cancel",
    "cancel": "cancel",
    "stop": "stop",
}

# `/kenniskring instellingen agenda:3 tijd:08:30 herinneringen:21,7,1 stil:28 voortgang:3`: each word names a setting.
SETTINGS = {
    "agenda": "agenda_lead_days",
    "tijd": "post_time",
    "time": "post_time",
    "herinneringen": "nudge_days",
    "herinnering": "nudge_days",
    "reminders": "nudge_days",
    "reminder": "nudge_days",
    "stil": "stale_after_days",
    "quiet": "stale_after_days",
    "voortgang": "progress_lead_days",
    "progress": "progress_lead_days",
}

AGENDA = {
    **HELP,
    "nieuw": "new",
    "new": "new",
    "export": "export",
    "vaststellen": "adopt",
    "vastgesteld": "adopt",
    "adopt": "adopt",
    "versie": "version",
    "version": "version",
    "lessen": "lessons",
    "geleerd": "lessons",
    "lessons": "lessons",
    "zoek": "search",
    "zoeken": "search",
    "search": "search",
}

# `/kenniskring verslag [datum] <word>`: the record as a file instead of a message.
RECORD = {"docx": "docx", "word": "docx"}

# `/kenniskring kalender <word>`: in the channel instead of by direct message.
CALENDAR = {"kanaal": "channel", "delen": "channel", "channel": "channel", "share": "channel"}

ACTIE = {
    **HELP,
    "lijst": "list",
    "list": "list",
    "open": "list",
    "klaar": "done",
    "gedaan": "done",
    "afgerond": "done",
    "done": "done",
}
KLAAGPAAL = {**HELP, "lijst": "list", "list": "list", "anoniem": "anonymous", "anonymous": "anonymous"}
HULPVRAAG = {**HELP, "lijst": "list", "list": "list"}
VOORTGANG = HELP


def meaning(words: dict[str, str], word: str) -> str | None:
    """What `word` means after this command, whatever the language it was typed in; None for any other word."""
    return words.get(word.strip().lower())
