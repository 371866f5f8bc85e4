"""`kenniskring console`: the real app against the Slack stand-in, typed at from a terminal."""

from __future__ import annotations

import builtins
import contextlib
import html
import logging
import re
import secrets
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from slack_bolt import App
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.app import create_app, make_services, slash_commands
from bot.config import Settings
from bot.console.form import Form, FormFilling
from bot.console.meta import META, MetaCommands
from bot.console.render import Button, Renderer, Style
from bot.console.screen import CallReader, Screen, World
from bot.console.world import ConsoleClock, LogRecords, Person, people, restore_history
from bot.i18n import t
from bot.parsing import is_whole_number
from bot.standin.server import SlackStandIn
from bot.standin.simulator import Answer, ListenerPool, SlackSimulator
from store import circles
from store.db import make_engine, make_session_factory, migrate

BARE = ("help", "hulp", "?", "stop", "quit", "exit")  # what newcomers type without the colon, and mean
FILES = "kenniskring-bestanden"  # next to the default database: what the bot shares, saved to open


class Console(MetaCommands, FormFilling):
    """One session: a stand-in Slack, the app on the configured database, and who is typing where."""

    CHANNEL = re.compile(r"^[CGD][A-Z0-9]{1,20}$")
    USER = re.compile(r"^[UW][A-Z0-9]{1,20}$")

    def __init__(self, settings: Settings, *, color: bool = False, width: int = 100, files: Path | None = None) -> None:
        """`files`: the folder where files the bot shares are saved for the user to open (None: only shown)."""
        self.locale, self.style, self.width, self.files = settings.locale, Style(color), width, files
        self.standin = SlackStandIn().start()
        try:
            self.engine = self._open(settings)
        except BaseException:
            self.standin.stop()
            raise
        self.people = people(self.locale)
        for person in self.people:  # each person's Slack speaks the console's language, as the bot answers them
            self.standin.user(person.user_id, name=person.handle, real_name=person.full_name, locale=self.person_locale)
        self.user, self.channel = "U1", "C1"
        self.buttons: list[Button] = []
        self.form: Form | None = None
        self.finished = False
        self.dm_users: dict[str, str] = {}
        self.log = LogRecords()
        logging.getLogger().addHandler(self.log)

    def _open(self, settings: Settings) -> Engine:
        secret = secrets.token_hex(16)
        overrides = {"slack_bot_token": "xoxb-console", "slack_signing_secret": secret, "slack_app_token": None}
        settings = settings.model_copy(update={**overrides, "slack_api_url": self.standin.url})
        engine = make_engine(settings.database_url)
        migrate(engine)
        self.clock = ConsoleClock()
        self.pool = ListenerPool()
        self.services = make_services(settings, make_session_factory(engine), clock=self.clock, background=self.pool)
        self.app: App = create_app(self.services, listener_executor=self.pool)
        self.slack = SlackSimulator(
            app=self.app, signing_secret=secret, response_url=self.standin.response_url(), pool=self.pool
        )
        restore_history(self.standin, self.services.session_factory)
        self.services.deliver()  # whatever an earlier session left waiting
        self.pool.drain()
        self.standin.clear()
        return engine

    def close(self) -> None:
        logging.getLogger().removeHandler(self.log)
        self.pool.shutdown(wait=True)
        self.standin.stop()
        self.engine.dispose()

    def __enter__(self) -> Console:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def person_locale(self) -> str:
        """The Slack language of the console's people: the bot answers each person in theirs."""
        return "en-GB" if self.locale == "en" else "nl-NL"

    @property
    def prompt(self) -> str:
        if self.form is not None:
            return "  › "
        return t("console.prompt", self.locale, user=self._person(self.user).handle, channel=self._channel_name())

    def welcome(self) -> str:
        """The first screen: what this is, what to type, who you are."""
        screen = self._screen()
        database = self.engine.url.render_as_string(hide_password=True).removeprefix("sqlite:///")
        screen.note(t("console.welcome", self.locale, database=database), indent=0)
        screen.lines.append("")
        screen.note(self._where_am_i(), indent=0)
        return screen.text()

    def _where_am_i(self) -> str:
        with self.services.transaction() as session:
            circle = circles.find(session, team_id=self.slack.team_id, channel_id=self.channel)
            name = circle.name if circle else None
        here = t("console.you_are", self.locale, user=self._person(self.user).full_name, channel=self._channel_name())
        state = t("console.circle_here", self.locale, name=name) if name else t("console.no_circle_here", self.locale)
        return here + " " + state

    # -- input -------------------------------------------------------------------------------------------------------
    def handle(self, line: str) -> str:
        """Answer one line of input; never raises, whatever was typed."""
        try:
            return self._handle(line)
        except Exception:  # the console must keep running; the details go to :log
            logging.getLogger(__name__).exception("Console input %r failed", line[:80])
            self.form = None
            return self._note(t("console.failed", self.locale))

    def _handle(self, line: str) -> str:
        if self.form is not None:
            return self._form_line(line)
        text = line.strip()
        if not text:
            return ""
        if text.startswith("/"):
            return self._command(text)
        if is_whole_number(text):
            return self._press(int(text))
        if text.lower() in BARE:
            text = ":" + text
        if text.startswith(":"):
            word, _, rest = text[1:].partition(" ")
            meta = META.get(word.lower())
            if meta is None:
                return self._note(t("console.unknown_meta", self.locale, text=text[:40]))
            return getattr(self, f"_{meta}")(rest.strip())
        return self._unknown(text)

    def _command(self, text: str) -> str:
        """The app itself says whether it answers a command: Bolt answers 404 when no listener takes it."""
        command, _, rest = text.partition(" ")
        command, text = command.lower(), self._as_slack(rest.strip())
        screen, answer = self._run(lambda: self.slack.command(command, text, user=self.user, channel=self.channel))
        if answer is not None and answer.status == 404:
            listed = ", ".join(self.commands())
            return self._note(t("console.unknown_command", self.locale, command=command[:40], commands=listed))
        return screen.text()

    def _as_slack(self, text: str) -> str:
        """What Slack sends with should_escape: &, < and > escaped, mentions of known people and channels as tokens."""
        text = html.escape(text, quote=False)
        text = re.sub(r"(?<![\w@])@([\w.\-]+)", lambda m: self._mention(m.group(1)) or m.group(0), text)
        channels = {name: channel_id for channel_id, name in self._channels().items()}
        return re.sub(
            r"(?<![\w#&])#([\w\-]+)",
            lambda m: f"<#{channels[m.group(1)]}|{m.group(1)}>" if m.group(1) in channels else m.group(0),
            text,
        )

    def _mention(self, word: str) -> str | None:
        person = self._find_person(word)
        return f"<@{person.user_id}|{person.handle}>" if person else None

    def _unknown(self, text: str) -> str:
        if "/" + text.split()[0].lower() in self.commands():
            return self._note(t("console.forgot_slash", self.locale, text="/" + text[:60]))
        return self._note(t("console.unknown", self.locale, text=text[:40]))

    def commands(self) -> list[str]:
        """The slash commands the app answers, as its handlers declare them, so new commands show up by themselves."""
        return slash_commands()

    def _press(self, number: int) -> str:
        if not 1 <= number <= len(self.buttons):
            key = "console.no_buttons" if not self.buttons else "console.no_such_button"
            return self._note(t(key, self.locale, number=number, count=len(self.buttons)))
        button, user = self.buttons[number - 1], self.user
        intro = t("console.pressed", self.locale, label=button.label, user=self._person(user).name)
        return self._step(
            lambda: self.slack.press(
                button.action_id, button.value, user=user, channel=button.channel, message_ts=button.message_ts
            ),
            intro=intro,
        )

    # -- one step: send, then show the answer and everything the bot did ----------------------------------------------
    def _step(self, send: Callable[[], Answer | None], *, intro: str | None = None) -> str:
        return self._run(send, intro=intro)[0].text()

    def _run(
        self, send: Callable[[], Answer | None], *, intro: str | None = None, silence: str = "console.nothing_shown"
    ) -> tuple[Screen, Answer | None]:
        """Send, then show the answer and every call the app made meanwhile; `silence` says when it made none."""
        before = {channel: {m["ts"] for m in messages} for channel, messages in self.standin.workspace.messages.items()}
        mark, errors = len(self.standin.calls), self.log.errors
        answer = send()
        screen, renderer = self._screen(), self._renderer()
        if intro:
            screen.note(intro)
        reader = CallReader(self.standin, self._world(), renderer, before)
        reader.answer(screen, answer)
        reader.calls(screen, self.standin.calls[mark:])
        if self.log.errors > errors:
            screen.block(t("console.internal_error", self.locale), [])
        if renderer.buttons:
            self.buttons = renderer.buttons
        if reader.opened is not None and reader.opened.get("submit") and self.form is None:
            self.form = Form(reader.opened, self.people, self.locale)
            self._ask(screen, first=True)
        elif screen.blocks == 0:
            screen.note(t(silence, self.locale))
        return screen, answer

    # -- small helpers -----------------------------------------------------------------------------------------------
    def _find_person(self, word: str) -> Person | None:
        key = word.strip().lstrip("@").lower()
        for person in self.people:
            if key and key in (person.handle, person.user_id.lower(), person.name.lower(), person.full_name.lower()):
                return person
        return None

    def _person(self, user_id: str) -> Person:
        return next((p for p in self.people if p.user_id == user_id), Person(user_id, user_id.lower(), user_id))

    def _channels(self) -> dict[str, str]:
        return {"C1": t("console.channel_C1", self.locale), "C2": t("console.channel_C2", self.locale)}

    def _channel_name(self) -> str:
        return "#" + self._channels().get(self.channel, self.channel.lower())

    def _people_line(self) -> str:
        return ", ".join(f"{p.handle} ({p.user_id})" for p in self.people)

    def _channels_line(self) -> str:
        return ", ".join(f"#{name} ({channel_id})" for channel_id, name in self._channels().items())

    def _world(self) -> World:
        names = {p.user_id: p.name for p in self.people} | {"UBOT": "Kenniskring"}
        return World(names, self._channels(), self.user, self.channel, self.locale, self.dm_users, self.files)

    def _renderer(self) -> Renderer:
        return Renderer(names=self._world().names, channels=self._channels(), locale=self.locale, style=self.style)

    def _mrkdwn(self, text: str) -> str:
        return self._renderer().mrkdwn(text)

    def _screen(self) -> Screen:
        return Screen(self.style, self.width, self._mrkdwn)

    def _note(self, text: str) -> str:
        screen = self._screen()
        screen.note(text)
        return screen.text()

    def _block(self, title: str, lines: list[str]) -> str:
        screen = self._screen()
        screen.block(title, lines)
        return screen.text()


def run_console(
    settings: Settings,
    *,
    input: Callable[[str], str] = builtins.input,
    output: TextIO = sys.stdout,
    echo: bool | None = None,
) -> int:
    """Read and answer lines until :stop or end of input; 0 when it ended normally, 2 when it could not start.

    `echo`: write each line read after its prompt, so that a transcript of piped input shows what was typed; by
    default when the lines come from standard input that is not a terminal.
    """
    if echo is None:
        echo = input is builtins.input and not sys.stdin.isatty()
    _quiet_logging()
    if input is builtins.input:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401 - gives input() line editing and history
    width = min(shutil.get_terminal_size((100, 24)).columns - 2, 110)
    try:
        console = Console(settings, color=output.isatty(), width=width, files=Path(FILES))
    except SQLAlchemyError as error:
        print(t("console.database_unreachable", settings.locale, error=str(error).split("\n")[0][:200]), file=output)
        return 2
    with console:
        print(console.welcome() + "\n", file=output)
        while not console.finished:
            try:
                prompt = console.prompt
                line = input("" if echo else prompt)
                if echo:
                    print(prompt + line, file=output)
            except EOFError:
                line = ":stop"
                print(file=output)
            except KeyboardInterrupt:  # Ctrl-C closes an open form, or ends the console
                line = ":annuleer" if console.form is not None else ":stop"
                print(file=output)
            reply = console.handle(line)
            if reply:
                print(reply + "\n", file=output)
    return 0


def _quiet_logging() -> None:
    """Log lines on the terminal would bury the conversation; the console keeps them for `:log` instead."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if type(handler) is logging.StreamHandler:
            root.removeHandler(handler)
    root.setLevel(logging.WARNING)
