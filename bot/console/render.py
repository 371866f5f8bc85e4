"""Block Kit messages, modals and home views turned into readable terminal text, with their buttons numbered."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import t

Json = dict[str, Any]

TOKEN = re.compile(r"<([^<>\n]+)>")
BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])")
CODE = re.compile(r"`([^`\n]+)`")
EMOJI = re.compile(r":([a-z0-9_+\-]+):")
SPACED_FROM = 4
PLACEHOLDER = re.compile(r"\x01(\d+)\x02")
# The shortcodes the bot's texts use most; an unknown one stays as typed, which still reads.
EMOJIS = {
    "loudspeaker": "📢", "mega": "📣", "sos": "🆘", "seedling": "🌱", "handshake": "🤝", "white_check_mark": "✅",
    "heavy_check_mark": "✔️", "raised_hand": "✋", "sparkles": "✨", "tada": "🎉", "calendar": "📆", "date": "📅",
    "spiral_calendar_pad": "🗓️", "warning": "⚠️", "memo": "📝", "bell": "🔔", "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳", "alarm_clock": "⏰", "chart_with_upwards_trend": "📈", "bar_chart": "📊",
    "clipboard": "📋", "pushpin": "📌", "round_pushpin": "📍", "x": "❌", "construction": "🚧", "bulb": "💡",
    "star": "⭐", "rocket": "🚀", "speech_balloon": "💬", "busts_in_silhouette": "👥", "bust_in_silhouette": "👤",
    "red_circle": "🔴", "large_green_circle": "🟢", "large_yellow_circle": "🟡", "large_orange_circle": "🟠",
    "arrow_right": "➡️", "point_right": "👉", "trophy": "🏆", "clap": "👏", "muscle": "💪", "moneybag": "💰",
    "euro": "💶", "books": "📚", "mag": "🔍", "lock": "🔒", "information_source": "ℹ️", "question": "❓",
    "exclamation": "❗", "hammer_and_wrench": "🛠️", "recycle": "♻️", "earth_africa": "🌍", "thumbsup": "👍",
    "+1": "👍", "eyes": "👀", "inbox_tray": "📥", "page_facing_up": "📄", "wave": "👋", "hammer": "🔨",
    "heavy_plus_sign": "➕", "pencil2": "✏️", "link": "🔗", "repeat": "🔁", "stopwatch": "⏱️", "fire": "🔥",
    "partying_face": "🥳", "confetti_ball": "🎊", "dart": "🎯", "handshake_tone1": "🤝", "mailbox": "📫",
}  # fmt: skip


@dataclass(frozen=True)
class Button:
    """Something the user can press by number: a button, or one option of a menu in a message."""

    label: str
    action_id: str
    value: str
    channel: str | None  # None: the button sits in a view (App Home, modal)
    message_ts: str | None
    url: str | None = None


@dataclass(frozen=True)
class Style:
    """ANSI on a terminal; plain text (bold markers dropped, code kept in backticks) elsewhere."""

    color: bool = False

    def wrap(self, on: str, off: str, text: str, plain: str = "{}") -> str:
        # Each style switches off only itself, so bold inside a dim line leaves the rest of the line dim.
        return f"\033[{on}m{text}\033[{off}m" if self.color else plain.format(text)

    def bold(self, text: str) -> str:
        return self.wrap("1", "22", text)

    def dim(self, text: str) -> str:
        return self.wrap("2", "22", text)

    def italic(self, text: str) -> str:
        return self.wrap("3", "23", text)

    def code(self, text: str) -> str:
        return self.wrap("36", "39", text, "`{}`")

    def strike(self, text: str) -> str:
        return self.wrap("9", "29", text, "~{}~")


@dataclass
class Renderer:
    """Renders for one screen; every pressable thing it renders is numbered in `buttons`, starting at 1."""

    names: Mapping[str, str]  # user id -> display name
    channels: Mapping[str, str]  # channel id -> name without '#'
    locale: str = "nl"
    style: Style = field(default_factory=Style)
    buttons: list[Button] = field(default_factory=list)

    # -- mrkdwn ---------------------------------------------------------------------------------------------------
    def mrkdwn(self, text: str) -> str:
        """Slack's mrkdwn as a terminal shows it: mentions as @naam, escapes undone, quotes marked with a bar."""
        lines = []
        for line in (text or "").split("\n"):
            quoted = line.startswith((">", "&gt;"))
            if quoted:
                line = line.removeprefix(">").removeprefix("&gt;").removeprefix(" ")
            line = self._inline(line)
            lines.append(("│ " + line) if quoted else line)
        return "\n".join(lines)

    def _inline(self, text: str) -> str:
        # Code is set aside first: no tokens or formatting inside it, while formatting may span around it.
        codes: list[str] = []

        def aside(match: re.Match) -> str:
            codes.append(self.style.code(html.unescape(match.group(1))))
            return f"\x01{len(codes) - 1}\x02"

        text = CODE.sub(aside, text)
        text = TOKEN.sub(lambda m: self._token(m.group(1)), text)
        text = BOLD.sub(lambda m: self.style.bold(m.group(1)), text)
        text = ITALIC.sub(lambda m: self.style.italic(m.group(1)), text)
        text = STRIKE.sub(lambda m: self.style.strike(m.group(1)), text)
        text = EMOJI.sub(lambda m: EMOJIS.get(m.group(1), m.group(0)), text)
        return PLACEHOLDER.sub(lambda m: codes[int(m.group(1))], html.unescape(text))

    def _token(self, inner: str) -> str:
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + self.names.get(target[1:], label or target[1:])
        if target.startswith("#"):
            return "#" + self.channels.get(target[1:], label or target[1:])
        if target.startswith("!subteam^"):
            return label or "@groep"
        if target.startswith("!date^"):
            return label
        if target.startswith("!"):
            return "@" + target[1:]
        if target.startswith(("http://", "https://", "mailto:")):
            return f"{label} ({target})" if label else target
        return f"<{inner}>"  # not a Slack token: show it as written

    def text(self, obj: Json | str | None) -> str:
        """A text object (plain_text or mrkdwn) or a bare string."""
        if obj is None:
            return ""
        if isinstance(obj, str):
            return self.mrkdwn(obj)
        if obj.get("type") == "plain_text":
            return EMOJI.sub(lambda m: EMOJIS.get(m.group(1), m.group(0)), obj.get("text", ""))
        return self.mrkdwn(obj.get("text", ""))

    # -- messages and views ---------------------------------------------------------------------------------------
    def message(self, payload: Json, *, channel: str | None, ts: str | None) -> list[str]:
        """A chat message: its blocks when it has them (the text is only the notification), else its text."""
        lines = self.blocks(payload.get("blocks") or [], channel=channel, ts=ts)
        if not lines and payload.get("text"):
            lines = self.mrkdwn(payload["text"]).split("\n")
        for attachment in payload.get("attachments") or []:
            inner = self.blocks(attachment.get("blocks") or [], channel=channel, ts=ts)
            inner = inner or self.mrkdwn(attachment.get("text") or attachment.get("fallback") or "").split("\n")
            lines.extend("┃ " + line for line in inner)
        for upload in payload.get("files") or []:
            lines.append("📎 " + (upload.get("title") or upload.get("name") or upload.get("id", "")))
        return lines

    def view(self, view: Json) -> list[str]:
        """A modal or home view, title first; input fields are listed by label (the console asks for them)."""
        lines = [self.style.bold(self.text(view["title"]))] if view.get("title") else []
        return lines + self.blocks(view.get("blocks") or [], channel=None, ts=None)

    def blocks(self, blocks: list[Json], *, channel: str | None, ts: str | None) -> list[str]:
        # A long message (an agenda) reads better with air between its parts, as Slack shows it.
        spaced = len(blocks) > SPACED_FROM
        lines: list[str] = []
        for block in blocks:
            kind = block.get("type", "")
            if spaced and lines and kind in ("section", "header", "divider", "rich_text") and lines[-1]:
                lines.append("")
            lines.extend(_BLOCKS.get(kind, Renderer._unknown)(self, block, channel, ts))
        return lines

    def _section(self, block: Json, channel: str | None, ts: str | None) -> list[str]:
        lines = self.text(block.get("text")).split("\n") if block.get("text") else []
        lines += [self.text(item) for item in block.get("fields") or []]
        if block.get("accessory"):
            lines.append(self.element(block["accessory"], channel, ts))
        return [line for line in lines if line is not None]

    def _context(self, block: Json, channel: str | None, ts: str | None) -> list[str]:
        parts = [
            self.text(item) if item.get("type") != "image" else item.get("alt_text", "")
            for item in block.get("elements") or []
        ]
        return [self.style.dim(line) for line in "  ".join(p for p in parts if p).split("\n")]

    def _actions(self, block: Json, channel: str | None, ts: str | None) -> list[str]:
        return ["   ".join(self.element(element, channel, ts) for element in block.get("elements") or [])]

    def _header(self, block: Json, channel: str | None, ts: str | None) -> list[str]:
        return [self.style.bold(self.text(block.get("text")))]

    def _divider(self, block: Json, channel: str | None, ts: str | None) -> list[str]:
        return [self.style.dim("─" * 40)]

    def _image(self, block: Json, channel: str | None, ts: str | None) -> list[str]:
        return [t("console.render_image", self.locale, text=block.get("alt_text") or self.text(block.get("title")))]

    def _input(self, block: Json, channel: str | None, ts: str | None) -> list[str]:
        optional = " " + t("console.form_optional", self.locale) if block.get("optional") else ""
        return ["▸ " + self.text(block.get("label")) + optional]

    def _rich_text(self, block: Json, channel: str | None, ts: str | None) -> list[str]:
        lines: list[str] = []
        for part in block.get("elements") or []:
            kind, inner = part.get("type"), part.get("elements") or []
            if kind == "rich_text_list":
                lines += ["• " + self._rich_run(item.get("elements") or []) for item in inner]
            elif kind == "rich_text_quote":
                lines += ["│ " + line for line in self._rich_run(inner).split("\n")]
            else:
                lines += self._rich_run(inner).split("\n")
        return lines

    def _rich_run(self, elements: list[Json]) -> str:
        """Rich text pieces: mentions and links as mrkdwn would show them, styled text plain."""
        pieces = []
        for piece in elements:
            kind = piece.get("type")
            if kind == "user":
                pieces.append("@" + self.names.get(piece.get("user_id", ""), piece.get("user_id", "")))
            elif kind == "channel":
                pieces.append("#" + self.channels.get(piece.get("channel_id", ""), piece.get("channel_id", "")))
            elif kind == "link":
                pieces.append(piece.get("text") or piece.get("url", ""))
            elif kind == "emoji":
                pieces.append(EMOJIS.get(piece.get("name", ""), f":{piece.get('name', '')}:"))
            else:
                pieces.append(piece.get("text", ""))
        return "".join(pieces)

    def _unknown(self, block: Json, channel: str | None, ts: str | None) -> list[str]:
        return [self.style.dim(t("console.render_unknown", self.locale, kind=block.get("type", "?")))]

    # -- interactive elements -------------------------------------------------------------------------------------
    def element(self, element: Json, channel: str | None, ts: str | None) -> str:
        kind = element.get("type")
        if kind == "button":
            label = self.text(element.get("text"))
            return self.press(label, element, element.get("value", ""), channel, ts, url=element.get("url"))
        options = _options(element)
        if options and kind in ("overflow", "static_select", "radio_buttons", "checkboxes", "multi_static_select"):
            placeholder = self.text(element.get("placeholder")) if element.get("placeholder") else ""
            choices = [self.press(self.text(o.get("text")), element, o.get("value", ""), channel, ts) for o in options]
            return (placeholder + ": " if placeholder else "") + "  ".join(choices)
        if kind == "image":
            return t("console.render_image", self.locale, text=element.get("alt_text", ""))
        placeholder = self.text(element.get("placeholder")) if element.get("placeholder") else kind or "?"
        return self.style.dim(t("console.render_not_here", self.locale, what=placeholder))

    def press(
        self, label: str, element: Json, value: str, channel: str | None, ts: str | None, *, url: str | None = None
    ) -> str:
        """Number a pressable thing and show it as `[n] label`."""
        self.buttons.append(Button(label, element.get("action_id", ""), value, channel, ts, url))
        shown = f"[{len(self.buttons)}] {label}"
        if url:
            shown += f" ({url})"
        return self.style.bold(shown) if element.get("style") == "primary" else shown


def _options(element: Json) -> list[Json]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


_BLOCKS: dict[str, Callable[[Renderer, Json, str | None, str | None], list[str]]] = {
    "section": Renderer._section,
    "context": Renderer._context,
    "actions": Renderer._actions,
    "header": Renderer._header,
    "divider": Renderer._divider,
    "image": Renderer._image,
    "input": Renderer._input,
    "rich_text": Renderer._rich_text,
}
