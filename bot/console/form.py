"""A modal the bot opened, filled in at the terminal one input at a time, checked the way Slack's client would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.console.render import Json, Renderer
from bot.console.screen import Screen
from bot.console.world import Person
from bot.i18n import t
from bot.parsing import is_whole_number

DATE = re.compile(r"^\s*(?:([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})|([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4}))\s*$")
TIME = re.compile(r"^\s*([0-9]{1,2})[:.]([0-9]{2})\s*$")
SLASH = re.compile(r"^\s*/[A-Za-z][A-Za-z0-9_-]*(?:\s|$)")  # `/agenda …`: a command, not a field's value
CHOICES = ("static_select", "radio_buttons", "external_select")
MULTI_CHOICES = ("checkboxes", "multi_static_select")
USERS = ("users_select", "multi_users_select")
ONE_LINE = 90  # choices longer than this together are listed one per line


class Refused(Exception):
    """An answer Slack's client would not accept; the message says how to write it."""


@dataclass
class Field:
    block_id: str
    label: str
    element: Json
    optional: bool
    hint: str

    @property
    def kind(self) -> str:
        return self.element.get("type", "plain_text_input")

    def options(self, people: list[Person]) -> list[tuple[str, str]]:
        """(value, label) pairs the user picks from by number."""
        if self.kind in USERS:
            return [(person.user_id, person.full_name) for person in people]
        options = list(self.element.get("options") or [])
        for group in self.element.get("option_groups") or []:
            options += group.get("options") or []
        return [(o.get("value", ""), (o.get("text") or {}).get("text", "")) for o in options]

    def initial(self) -> Any:
        element = self.element
        for key in ("initial_value", "initial_date", "initial_time", "initial_user", "initial_conversation"):
            if element.get(key):
                return element[key]
        if element.get("initial_option"):
            return element["initial_option"].get("value")
        if element.get("initial_options"):
            return [o.get("value") for o in element["initial_options"]]
        return element.get("initial_users") or None


@dataclass
class Form:
    """The inputs of one modal, the answers so far, and which inputs are still to ask."""

    view: Json
    people: list[Person]
    locale: str = "nl"
    fields: list[Field] = field(init=False)
    values: dict[str, Any] = field(init=False)
    todo: list[int] = field(init=False)
    position: int = 0

    def __post_init__(self) -> None:
        renderer = Renderer(names={}, channels={}, locale=self.locale)
        self.fields = [
            Field(
                block["block_id"],
                renderer.text(block.get("label")),
                block.get("element") or {},
                bool(block.get("optional")),
                renderer.text(block.get("hint")),
            )
            for block in self.view.get("blocks") or []
            if block.get("type") == "input" and block.get("block_id")
        ]
        self.values = {f.block_id: f.initial() for f in self.fields}
        self.todo = list(range(len(self.fields)))

    @property
    def done(self) -> bool:
        return self.position >= len(self.todo)

    @property
    def current(self) -> Field:
        return self.fields[self.todo[self.position]]

    def question(self) -> tuple[str, list[str]]:
        """The label to ask (numbered, marked optional) and the lines that explain how to answer."""
        current, count = self.current, f"({self.position + 1}/{len(self.todo)}) "
        label = count + current.label
        if current.optional:
            label += " " + t("console.form_optional", self.locale)
        lines = [current.hint] if current.hint else []
        choices = [f"[{n}] {text}" for n, (_, text) in enumerate(current.options(self.people), 1)]
        if sum(len(choice) + 3 for choice in choices) > ONE_LINE:
            lines += choices
        elif choices:
            lines.append("   ".join(choices))
        how = _HOW.get(current.kind)
        if how:
            lines.append(t(how, self.locale))
        initial = self.values.get(current.block_id)
        if initial:
            lines.append(t("console.form_keep", self.locale, value=self._shown(current, initial)))
        elif current.optional:
            lines.append(t("console.form_skip", self.locale))
        return label, lines

    def answer(self, line: str) -> None:
        """Take the answer to the current input and move on; raises Refused when it cannot be taken."""
        current = self.current
        text = line.strip()
        if text:
            self.values[current.block_id] = self._parse(current, text)
        elif not current.optional and not self.values.get(current.block_id):
            raise Refused(t("console.form_required", self.locale))
        self.position += 1

    def back(self) -> bool:
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def redo(self, errors: dict[str, str]) -> list[tuple[str, str]]:
        """Ask again for the inputs the bot refused; returns (label, message) for each refusal."""
        by_id = {f.block_id: i for i, f in enumerate(self.fields)}
        self.todo = [by_id[block_id] for block_id in errors if block_id in by_id] or list(range(len(self.fields)))
        self.position = 0
        return [(self.fields[by_id[b]].label if b in by_id else "", message) for b, message in errors.items()]

    def _parse(self, current: Field, text: str) -> Any:
        kind = current.kind
        if kind in CHOICES or kind == "users_select":
            return self._pick(current, text)
        if kind in MULTI_CHOICES or kind == "multi_users_select":
            return [self._pick(current, part) for part in re.split(r"[,\s]+", text) if part]
        if kind == "datepicker":
            return _date(text, self.locale)
        if kind == "timepicker":
            return _time(text, self.locale)
        if kind == "number_input":
            return _number(text, current.element, self.locale)
        return _text(text, current.element, self.locale)

    def _pick(self, current: Field, text: str) -> str:
        options = current.options(self.people)
        word = text.strip().lstrip("@").lower()
        if is_whole_number(word) and 1 <= int(word) <= len(options):
            return options[int(word) - 1][0]
        for person in self.people if current.kind in USERS else []:
            if word in (person.handle, person.user_id.lower(), person.name.lower()):
                return person.user_id
        for value, label in options:
            if word in (value.lower(), label.lower()):
                return value
        raise Refused(t("console.form_pick", self.locale, count=len(options)))

    def _shown(self, current: Field, value: Any) -> str:
        labels = dict(current.options(self.people))
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)


_HOW = {
    "static_select": "console.form_how_choice",
    "radio_buttons": "console.form_how_choice",
    "users_select": "console.form_how_user",
    "checkboxes": "console.form_how_choices",
    "multi_static_select": "console.form_how_choices",
    "multi_users_select": "console.form_how_users",
    "datepicker": "console.form_how_date",
    "timepicker": "console.form_how_time",
    "number_input": "console.form_how_number",
}


def _date(text: str, locale: str) -> str:
    match = DATE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = (match.group(1), match.group(2), match.group(3))
        if year is None:
            day, month, year = match.group(4), match.group(5), match.group(6)
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise Refused(t("console.form_bad_date", locale, text=text[:40])) from None


def _time(text: str, locale: str) -> str:
    match = TIME.match(text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise Refused(t("console.form_bad_time", locale, text=text[:40]))
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _number(text: str, element: Json, locale: str) -> str:
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise Refused(t("console.form_bad_number", locale, text=text[:40])) from None
    if not element.get("is_decimal_allowed") and number != number.to_integral_value():
        raise Refused(t("console.form_whole_number", locale))
    low, high = element.get("min_value"), element.get("max_value")
    if (low is not None and number < Decimal(str(low))) or (high is not None and number > Decimal(str(high))):
        shown = {"low": "…" if low is None else low, "high": "…" if high is None else high}
        raise Refused(t("console.form_number_range", locale, **shown))
    return str(number)


def _text(text: str, element: Json, locale: str) -> str:
    # Slack's client checks the lengths before anything is sent; so does the console.
    if element.get("max_length") and len(text) > int(element["max_length"]):
        raise Refused(t("console.form_too_long", locale, limit=element["max_length"], length=len(text)))
    if element.get("min_length") and len(text) < int(element["min_length"]):
        raise Refused(t("console.form_too_short", locale, limit=element["min_length"]))
    return text


class FormFilling:
    """Mixed into Console: the lines typed while a modal is open, and its submission."""

    def _form_line(self, line: str) -> str:
        """An answer to the current field, or `:terug`, `:annuleer`, `:stop`."""
        form, word = self.form, line.strip().lower()
        if SLASH.match(line):
            return self._command_in_form(line.strip())
        if word in (":stop", ":quit"):
            self.form = None
            return self._stop("")
        if word in (":annuleer", ":cancel"):
            self.form = None
            return self._note(t("console.form_cancelled", self.locale))
        if word.startswith(":") and (word not in (":terug", ":back") or not form.fields):
            return self._note(t("console.form_meta", self.locale))
        if not form.fields:
            return self._submit()
        screen = self._screen()
        if word.startswith(":"):
            if not form.back():
                screen.note(t("console.form_first", self.locale))
        else:
            try:
                form.answer(line)
            except Refused as refusal:
                screen.note("✗ " + str(refusal))
        if form.done:
            return self._submit()
        self._ask(screen)
        return screen.text()

    def _command_in_form(self, text: str) -> str:
        """A slash command typed in a form: in Slack one leaves the form to type it, so the form closes unsent and
        the command runs. A `/word` the bot does not know keeps the form open rather than becoming its value."""
        command = text.split()[0].lower()
        if command not in self.commands():
            screen = self._screen()
            screen.note(t("console.form_slash_unknown", self.locale, command=command[:40]))
            self._ask(screen)
            return screen.text()
        self.form = None
        return self._note(t("console.form_left_for_command", self.locale, command=command)) + "\n" + self._command(text)

    def _ask(self, screen: Screen, *, first: bool = False) -> None:
        form = self.form
        if not form.fields:
            screen.note(t("console.form_confirm", self.locale, submit=self._submit_label(form)))
            return
        if first:
            screen.note(t("console.form_intro", self.locale))
        label, lines = form.question()
        screen.block(label, [self.style.dim(line) for line in lines])

    def _submit_label(self, form: Form) -> str:
        return self._renderer().text(form.view.get("submit")) or "OK"

    def _submit(self) -> str:
        """Send the answers; the bot may refuse fields (asked again), or answer with a next form."""
        form, self.form = self.form, None
        intro = t("console.form_sent", self.locale, submit=self._submit_label(form))
        screen, answer = self._run(lambda: self.slack.submit(form.view, form.values, user=self.user), intro=intro)
        payload = answer.json if answer is not None else {}
        action = payload.get("response_action")
        if action == "errors":
            refusals = form.redo(payload.get("errors") or {})
            lines = [f"✗ {label}: {self._mrkdwn(message)}" if label else f"✗ {message}" for label, message in refusals]
            screen.block(t("console.form_refused", self.locale), lines)
            self.form = form
            self._ask(screen)
        elif action in ("update", "push") and isinstance(payload.get("view"), dict):
            self._next_view(screen, payload["view"])
        return screen.text()

    def _next_view(self, screen: Screen, view: Json) -> None:
        if not view.get("submit"):  # nothing left to fill in: the bot answers in the form itself, to be closed
            screen.block(t("console.label_view_update", self.locale), self._renderer().view(view))
            return
        self.form = Form(view, self.people, self.locale)
        title = self._renderer().text(view.get("title"))
        screen.block(t("console.label_modal", self.locale, title=title), [])
        self._ask(screen, first=True)
