"""The console's own commands, typed after a colon: who you are, where you are, what time it is for the bot."""

from __future__ import annotations

from datetime import datetime

from bot import scheduler
from bot.console.world import Person, parse_moment
from bot.formatting import clock, long_date
from bot.i18n import t
from bot.parsing import is_whole_number
from bot.standin.state import open_conversation

# The words after ':' the console understands, Dutch first, and the method (without '_') each runs.
META = {
    "help": "help", "hulp": "help", "h": "help", "?": "help",
    "stop": "stop", "quit": "stop", "exit": "stop", "q": "stop", "klaar": "stop",
    "als": "switch_user", "as": "switch_user",
    "kanaal": "switch_channel", "channel": "switch_channel",
    "tick": "tick",
    "home": "home",
    "druk": "press_word", "press": "press_word",
    "knoppen": "list_buttons", "buttons": "list_buttons",
    "wie": "people", "who": "people",
    "berichten": "messages", "messages": "messages",
    "log": "show_log",
    "annuleer": "cancel", "cancel": "cancel", "terug": "cancel", "back": "cancel",
}  # fmt: skip


class MetaCommands:
    """Mixed into Console: each `_name(rest)` answers `:word rest` with the text to show."""

    def _switch_user(self, rest: str) -> str:
        person = self._find_person(rest)
        word = rest.strip().upper()
        if person is None and self.USER.match(word):
            person = Person(word, word.lower(), word)
            self.people.append(person)
            self.standin.user(person.user_id, name=person.handle, locale=self.person_locale)
        if person is None:
            return self._note(t("console.who_unknown", self.locale, text=rest[:40], people=self._people_line()))
        self.user = person.user_id
        return self._note(t("console.now_user", self.locale, user=person.full_name))

    def _switch_channel(self, rest: str) -> str:
        word = rest.strip().lstrip("#")
        by_name = {name: channel_id for channel_id, name in self._channels().items()}
        channel = by_name.get(word.lower()) or (word.upper() if self.CHANNEL.match(word.upper()) else None)
        if channel is None:
            return self._note(t("console.channel_how", self.locale, channels=self._channels_line()))
        self.channel = channel
        return self._note(self._where_am_i())

    def _tick(self, rest: str) -> str:
        moment = parse_moment(rest, self.services.settings.zone, self.clock())
        if moment is None:
            return self._note(t("console.tick_how", self.locale, text=rest[:40]))
        self.clock.move_to(moment)
        intro = t("console.tick_done", self.locale, moment=self._moment(moment))

        def tick() -> None:  # what it sent is what the screen shows; failures are in `:log`
            scheduler.run_due(self.services, moment)

        screen, _ = self._run(tick, intro=intro, silence="console.tick_nothing")
        return screen.text()

    def _home(self, rest: str) -> str:
        dm = open_conversation(self.standin.workspace, {"users": [self.user]})["channel"]["id"]
        event = {"type": "app_home_opened", "user": self.user, "channel": dm, "tab": "home", "event_ts": "1.000001"}
        return self._step(lambda: self.slack.event(event))

    def _messages(self, rest: str) -> str:
        count = int(rest) if is_whole_number(rest) else 5
        messages = self.standin.workspace.messages.get(self.channel, [])[-count:]
        if not messages:
            return self._note(t("console.no_messages", self.locale, channel=self._channel_name()))
        renderer, lines = self._renderer(), []
        for message in messages:
            lines += [""] if lines else []
            lines += renderer.message(message, channel=self.channel, ts=message["ts"])
        if renderer.buttons:
            self.buttons = renderer.buttons
        return self._block(t("console.label_earlier", self.locale, channel=self._channel_name()), lines)

    def _press_word(self, rest: str) -> str:
        if not is_whole_number(rest.strip()):
            return self._note(t("console.press_how", self.locale))
        return self._press(int(rest))

    def _list_buttons(self, rest: str) -> str:
        if not self.buttons:
            return self._note(t("console.no_buttons", self.locale))
        lines = [f"[{n}] {button.label}" for n, button in enumerate(self.buttons, 1)]
        return self._block(t("console.buttons_title", self.locale), lines)

    def _people(self, rest: str) -> str:
        lines = [
            ("→ " if person.user_id == self.user else "  ")
            + f"{person.handle:<10} {person.user_id:<4} {person.full_name}"
            for person in self.people
        ]
        lines += ["", self._mrkdwn(self._where_am_i())]
        lines.append(self._mrkdwn(t("console.clock", self.locale, moment=self._moment(self.clock()))))
        return self._block(t("console.people_title", self.locale), lines)

    def _help(self, rest: str) -> str:
        lines = self._mrkdwn(t("console.help", self.locale)).split("\n")
        commands = ", ".join(self.commands())
        lines += ["", self._mrkdwn(t("console.help_commands", self.locale, commands=commands))]
        return self._block(t("console.help_title", self.locale), lines)

    def _show_log(self, rest: str) -> str:
        lines = self.log.lines() or [t("console.log_empty", self.locale)]
        return self._block(t("console.log_title", self.locale), lines)

    def _stop(self, rest: str) -> str:
        self.finished = True
        return self._note(t("console.goodbye", self.locale))

    def _cancel(self, rest: str) -> str:
        return self._note(t("console.no_form", self.locale))

    def _moment(self, moment: datetime) -> str:
        local = moment.astimezone(self.services.settings.zone)
        return f"{long_date(local.date(), self.locale)} {clock(local, self.locale)}"
