"""What one console step shows: the bot's answer and every Web API call it made, each labelled and laid out."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.console.render import Json, Renderer, Style
from bot.i18n import t
from bot.standin.server import Call, SlackStandIn
from bot.standin.simulator import Answer
from bot.standin.state import open_conversation

CONTINUATION = re.compile(r"^(\s*)(│ |┃ |• |[-*] |\(\d+/\d+\) )?")
PREVIEW_LINES = 8
PREVIEW_WIDTH = 90
CODE_SPAN = re.compile(r"`[^`\n]+`|\033\[36m.*?\033\[39m")
KEEP = "\x00"


@dataclass
class Screen:
    """Lines for the terminal: notes at one indent, labelled blocks with their content one indent further."""

    style: Style
    width: int = 100
    markup: Callable[[str], str] = str  # how notes and labels (mrkdwn from the catalogue) are shown
    lines: list[str] = field(default_factory=list)
    blocks: int = 0

    def note(self, text: str, *, indent: int = 2) -> None:
        for line in self.markup(text).split("\n"):
            self.lines += _wrap(line, indent, self.width)

    def block(self, label: str, content: list[str]) -> None:
        """A label with lines under it; the label is mrkdwn, the lines are already rendered."""
        if self.lines:
            self.lines.append("")
        self.blocks += 1
        self.lines += _wrap(self.style.bold(self.markup(label)), 2, self.width)
        for line in content:
            self.lines += _wrap(line, 4, self.width)

    def text(self) -> str:
        return "\n".join(self.lines)


def _wrap(line: str, indent: int, width: int) -> list[str]:
    """Wrap one line, continuing quotes and list items under their text rather than under the margin."""
    if not line.strip():
        return [""]
    lead = CONTINUATION.match(line)
    inner = " " * len(lead.group(1)) + (
        "│ " if (lead.group(2) or "").startswith("│") else " " * len(lead.group(2) or "")
    )
    pad = " " * indent
    # A command in code (`/klaagpaal Te veel formulieren`) stays on one line, so it can be read and copied whole.
    kept = CODE_SPAN.sub(lambda m: m.group(0).replace(" ", KEEP), line)
    wrapped = textwrap.wrap(
        kept,
        width=max(width, 40),
        initial_indent=pad,
        subsequent_indent=pad + inner,
        break_long_words=False,
        break_on_hyphens=False,
        drop_whitespace=True,
    )
    return [part.replace(KEEP, " ") for part in wrapped] or [pad + line]


@dataclass
class World:
    """What labels need to know: who is who, which channel is which, who is typing."""

    names: Mapping[str, str]
    channels: Mapping[str, str]
    user: str
    here: str  # the channel the user types in
    locale: str = "nl"
    dm_users: dict[str, str] = field(default_factory=dict)  # DM channel id -> user id
    files: Path | None = None  # where shared files are saved for the user to open; None: only shown

    def channel(self, channel_id: str | None) -> str:
        return "#" + self.channels.get(channel_id or "", (channel_id or "?").lower())

    def person(self, user_id: str | None) -> str:
        return "@" + self.names.get(user_id or "", user_id or "?")

    def dm_user(self, channel_id: str) -> str | None:
        if channel_id[:1] in ("U", "W"):
            return channel_id
        return self.dm_users.get(channel_id) if channel_id[:1] == "D" else None


class CallReader:
    """Turns the recorded Web API calls of one step into labelled blocks on a screen."""

    def __init__(self, standin: SlackStandIn, world: World, renderer: Renderer, before: Mapping[str, set[str]]) -> None:
        self.standin, self.world, self.renderer = standin, world, renderer
        self.fresh = {
            channel: [m["ts"] for m in messages if m["ts"] not in before.get(channel, set())]
            for channel, messages in standin.workspace.messages.items()
        }
        self.opened: Json | None = None  # the modal the bot opened in this step, to be filled in next
        self.failed: int | None = None

    def answer(self, screen: Screen, answer: Answer | None) -> None:
        if answer is None or answer.status == 200 and not answer.body.strip():
            return
        locale = self.world.locale
        if answer.status != 200:
            self.failed = answer.status  # said only when nothing else shows what happened
            return
        payload = answer.json or {"text": answer.body}
        if payload.get("response_action"):
            return  # a modal's answer: the form shows it next to its fields
        label = "label_in_channel" if payload.get("response_type") == "in_channel" else "label_answer"
        here = self.world.here
        screen.block(t(f"console.{label}", locale, channel=self.world.channel(here)), self._message(payload, here))

    def calls(self, screen: Screen, calls: list[Call]) -> None:
        shown = screen.blocks
        for call in calls:
            show = _METHODS.get(call.method)
            if show is not None:
                show(self, screen, call.body)
        if self.failed is not None and screen.blocks == shown:
            screen.block(t("console.no_answer", self.world.locale, status=self.failed), [])

    def _message(self, payload: Json, channel: str | None = None, ts: str | None = None) -> list[str]:
        return self.renderer.message(payload, channel=channel, ts=ts)

    def _post(self, screen: Screen, body: Json) -> None:
        channel, locale = body.get("channel", ""), self.world.locale
        ts = self.fresh.get(channel, []).pop(0) if self.fresh.get(channel) else None
        to = self.world.dm_user(channel)
        if to is not None:
            key = "label_dm_you" if to == self.world.user else "label_dm"
            label = t(f"console.{key}", locale, user=self.world.person(to))
        elif body.get("thread_ts"):
            label = t("console.label_thread", locale, channel=self.world.channel(channel))
        else:
            label = t("console.label_post", locale, channel=self.world.channel(channel))
        screen.block(label, self._message(body, channel, ts))

    def _ephemeral(self, screen: Screen, body: Json) -> None:
        user, channel, locale = body.get("user"), self._where(body.get("channel", "")), self.world.locale
        if user == self.world.user:
            label = t("console.label_ephemeral", locale, channel=channel)
        else:
            label = t("console.label_ephemeral_other", locale, channel=channel, user=self.world.person(user))
        screen.block(label, self._message(body, body.get("channel")))

    def _update(self, screen: Screen, body: Json) -> None:
        label = t("console.label_update", self.world.locale, channel=self._where(body.get("channel", "")))
        screen.block(label, self._message(body, body.get("channel"), body.get("ts")))

    def _delete(self, screen: Screen, body: Json) -> None:
        screen.block(t("console.label_delete", self.world.locale, channel=self._where(body.get("channel", ""))), [])

    def _where(self, channel: str) -> str:
        to, locale = self.world.dm_user(channel), self.world.locale
        if to is None:
            return self.world.channel(channel)
        if to == self.world.user:
            return t("console.dm_you", locale)
        return t("console.dm_with", locale, user=self.world.person(to))

    def _open(self, screen: Screen, body: Json) -> None:
        view = body.get("view") or {}
        if view.get("type") == "modal" and self.opened is None:
            self.opened = view
        shown = [block for block in view.get("blocks") or [] if block.get("type") != "input"]
        content = self.renderer.blocks(shown, channel=None, ts=None)
        title = self.renderer.text(view.get("title"))
        screen.block(t("console.label_modal", self.world.locale, title=title), content)

    def _view_update(self, screen: Screen, body: Json) -> None:
        screen.block(t("console.label_view_update", self.world.locale), self.renderer.view(body.get("view") or {}))

    def _publish(self, screen: Screen, body: Json) -> None:
        user, locale = body.get("user_id"), self.world.locale
        key = "label_home_you" if user == self.world.user else "label_home"
        screen.block(t(f"console.{key}", locale, user=self.world.person(user)), self.renderer.view(body["view"]))

    def _upload(self, screen: Screen, body: Json) -> None:
        channel = body.get("channel_id") or ""
        if self.fresh.get(channel):
            self.fresh[channel].pop(0)  # sharing posted a message: it is not the next post's
        for upload in body.get("files") or []:
            content = self.standin.uploads.get(upload.get("id", ""), b"")
            name = upload.get("title") or upload.get("id") or "?"
            key, where = ("label_file_in", self._where(channel)) if channel else ("label_file", "")
            label = t(f"console.{key}", self.world.locale, name=name, channel=where)
            screen.block(label, [_size(len(content), self.world.locale), *self._keep(name, content)])

    def _keep(self, name: str, content: bytes) -> list[str]:
        """Save the file where the user can open it, as downloading it from Slack would; say where it went."""
        folder, locale = self.world.files, self.world.locale
        if folder is None:
            return _preview(content, locale)
        path = folder / Path(name).name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as error:
            return [t("console.file_not_saved", locale, error=error.strerror or error), *_preview(content, locale)]
        return [t("console.file_saved", locale, path=path), *_preview(content, locale)]

    def _response(self, screen: Screen, body: Json) -> None:
        locale, channel = self.world.locale, self.world.channel(self.world.here)
        if body.get("delete_original"):
            screen.block(t("console.label_delete", locale, channel=channel), [])
            return
        if body.get("replace_original") in (True, "true"):
            key = "label_replaced"
        elif body.get("response_type") == "in_channel":
            key = "label_in_channel"
        else:
            key = "label_answer"
        screen.block(t(f"console.{key}", locale, channel=channel), self._message(body, self.world.here))

    def _conversation(self, screen: Screen, body: Json) -> None:
        users = body.get("users") or []
        users = users.split(",") if isinstance(users, str) else users
        reply = open_conversation(self.standin.workspace, body)
        if reply.get("ok") and len(users) == 1:
            self.world.dm_users[reply["channel"]["id"]] = users[0].strip()

    def _canvas(self, screen: Screen, body: Json) -> None:
        """The channel's canvas, written: its markdown shown as text."""
        content = (
            body.get("document_content")
            or next((change.get("document_content") for change in body.get("changes") or []), None)
            or {}
        )
        where = (
            self.world.channel(body.get("channel_id"))
            if body.get("channel_id")
            else t("console.canvas_channel", self.world.locale)
        )
        lines = (content.get("markdown") or "").split("\n")
        screen.block(t("console.label_canvas", self.world.locale, channel=where), lines[: PREVIEW_LINES * 3])

    def _reaction(self, screen: Screen, body: Json) -> None:
        name = self.renderer.mrkdwn(f":{body.get('name', '')}:")
        screen.block(t("console.label_reaction", self.world.locale, emoji=name), [])


def _preview(content: bytes, locale: str) -> list[str]:
    """The first lines of a text file, each cut to fit a line; nothing for a binary file (a spreadsheet)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    lines = [line if len(line) <= PREVIEW_WIDTH else line[: PREVIEW_WIDTH - 1] + "…" for line in text.splitlines()]
    more = [t("console.file_more", locale, count=len(lines) - PREVIEW_LINES)] if len(lines) > PREVIEW_LINES else []
    return lines[:PREVIEW_LINES] + more


def _size(length: int, locale: str) -> str:
    if length >= 1024:
        return t("console.file_size_kb", locale, size=round(length / 1024))
    return t("console.file_size", locale, size=length)


_METHODS: dict[str, Callable[[CallReader, Screen, Json], None]] = {
    "chat.postMessage": CallReader._post,
    "chat.postEphemeral": CallReader._ephemeral,
    "chat.update": CallReader._update,
    "chat.delete": CallReader._delete,
    "conversations.open": CallReader._conversation,
    "views.open": CallReader._open,
    "views.push": CallReader._open,
    "views.update": CallReader._view_update,
    "views.publish": CallReader._publish,
    "files.completeUploadExternal": CallReader._upload,
    "response_url": CallReader._response,
    "reactions.add": CallReader._reaction,
    "conversations.canvases.create": CallReader._canvas,
    "canvases.edit": CallReader._canvas,
}
