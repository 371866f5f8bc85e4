"""In-memory workspace behind the Slack stand-in: channels, views, users, uploads and the Web API methods."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Json = dict[str, Any]
BOT_ID = "B0001"


def tz_offset(tz: str) -> int:
    """Seconds east of UTC right now, as Slack reports it in users.info."""
    try:
        offset = ZoneInfo(tz).utcoffset(datetime.now())
    except (ZoneInfoNotFoundError, ValueError):
        # A host without a tz database should still serve users.info; UTC is the honest fallback.
        return 0
    return int(offset.total_seconds()) if offset else 0


def error(code: str) -> Json:
    return {"ok": False, "error": code}


@dataclass
class Workspace:
    """Everything the stand-in remembers between calls; callers serialise access with one lock."""

    bot_user_id: str
    team_id: str
    base: str = ""  # filled in once the server has a port; upload URLs and permalinks point here
    messages: dict[str, list[Json]] = field(default_factory=dict)  # channel -> messages, oldest first
    users: dict[str, Json] = field(default_factory=dict)
    home_views: dict[str, Json] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    pending_files: dict[str, Json] = field(default_factory=dict)  # file_id -> {filename, length}
    canvases: dict[str, Json] = field(default_factory=dict)  # canvas id -> {title, content}
    channel_canvases: dict[str, str] = field(default_factory=dict)  # channel -> its canvas id
    # Tokens handed out by oauth.v2.access -> the workspace each belongs to (any other token: the first workspace).
    tokens: dict[str, str] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)  # people deactivated: a DM to them cannot be opened
    _serial: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_ts(self) -> str:
        # Slack timestamps are "seconds.micros" strings; counting micros keeps them unique and ordered.
        n = next(self._serial) * 100
        return f"{1700000000 + n // 1_000_000}.{n % 1_000_000:06d}"

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._serial):06d}"

    def find(self, channel: str, ts: str) -> Json | None:
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

    def store(self, channel: str, body: Json, **extra: Any) -> Json:
        message: Json = {
            "type": "message",
            "text": body.get("text", ""),
            "user": self.bot_user_id,
            "bot_id": BOT_ID,
            "ts": self.next_ts(),
            **extra,
        }
        for key in ("blocks", "attachments", "metadata", "thread_ts"):
            if body.get(key):
                message[key] = body[key]
        self.messages.setdefault(channel, []).append(message)
        return message


def auth_test(ws: Workspace, body: Json, token: str | None = None) -> Json:
    """Who the token is: the workspace oauth.v2.access gave it out for; a token revoked there is refused."""
    team_id = ws.tokens.get(token or "", ws.team_id)
    if team_id == REVOKED:
        return error("token_revoked")
    return {
        "ok": True,
        "url": f"{ws.base}/",
        "team": f"Kenniskring {team_id}",
        "user": "kenniskring",
        "team_id": team_id,
        "user_id": ws.bot_user_id,
        "bot_id": BOT_ID,
    }


REVOKED = "-"
SCOPES = "chat:write,commands"


def oauth_access(ws: Workspace, body: Json) -> Json:
    """Exchange an install code for a bot token. The code says which workspace installs: `code-T0002`."""
    code = str(body.get("code") or "")
    if not code.startswith("code-"):
        return error("invalid_code")
    team_id = code.removeprefix("code-")
    token = f"xoxb-{team_id}-{len(ws.tokens) + 1}"
    ws.tokens[token] = team_id
    return {
        "ok": True,
        "app_id": "A0001",
        "authed_user": {"id": "U1"},
        "scope": SCOPES,
        "token_type": "bot",
        "access_token": token,
        "bot_user_id": ws.bot_user_id,
        "team": {"id": team_id, "name": f"Kenniskring {team_id}"},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def post_message(ws: Workspace, body: Json) -> Json:
    channel = body.get("channel")
    if not channel:
        return error("channel_not_found")
    message = ws.store(channel, body)
    return {"ok": True, "channel": channel, "ts": message["ts"], "message": dict(message)}


def post_ephemeral(ws: Workspace, body: Json) -> Json:
    # Ephemeral messages never appear in history, so only a timestamp is handed out.
    return {"ok": True, "message_ts": ws.next_ts()}


def update_message(ws: Workspace, body: Json) -> Json:
    channel, ts = body.get("channel", ""), body.get("ts", "")
    message = ws.find(channel, ts)
    if message is None:
        return error("message_not_found")
    message.update({k: body[k] for k in ("text", "blocks", "attachments", "metadata") if k in body})
    return {"ok": True, "channel": channel, "ts": ts, "text": message["text"], "message": dict(message)}


def delete_message(ws: Workspace, body: Json) -> Json:
    channel, ts = body.get("channel", ""), body.get("ts", "")
    message = ws.find(channel, ts)
    if message is None:
        return error("message_not_found")
    ws.messages[channel].remove(message)
    return {"ok": True, "channel": channel, "ts": ts}


def get_permalink(ws: Workspace, body: Json) -> Json:
    channel, ts = body.get("channel", ""), str(body.get("message_ts", ""))
    return {"ok": True, "channel": channel, "permalink": f"{ws.base}/archives/{channel}/p{ts.replace('.', '')}"}


def open_conversation(ws: Workspace, body: Json) -> Json:
    users = body.get("users") or []
    if isinstance(users, str):
        users = [u.strip() for u in users.split(",") if u.strip()]
    if not users:
        return error("users_list_not_supplied")
    if any(user in ws.gone for user in users):
        return error("user_disabled")
    # Deterministic per user set, so a bot reopening a DM lands in the same channel.
    return {"ok": True, "channel": {"id": "D" + "".join(sorted(users))}}


def history(ws: Workspace, body: Json) -> Json:
    oldest, limit = float(body.get("oldest") or 0), int(body.get("limit") or 100)
    newest_first = [dict(m) for m in reversed(ws.messages.get(body.get("channel", ""), [])) if float(m["ts"]) > oldest]
    return {
        "ok": True,
        "messages": newest_first[:limit],
        "has_more": len(newest_first) > limit,
        "response_metadata": {"next_cursor": ""},
    }


def view_method(ws: Workspace, body: Json) -> Json:
    sent = body.get("view")
    if not isinstance(sent, dict):
        return error("invalid_arguments")
    # views.update names the view it replaces; every other method creates a fresh one.
    view = {**sent, "id": body.get("view_id") or ws.next_id("V"), "hash": ws.next_id("h"), "team_id": ws.team_id}
    return {"ok": True, "view": view}


def publish_view(ws: Workspace, body: Json) -> Json:
    if not body.get("user_id"):
        return error("invalid_arguments")
    reply = view_method(ws, body)
    if reply["ok"]:
        ws.home_views[body["user_id"]] = reply["view"]
    return reply


def user_info(ws: Workspace, body: Json) -> Json:
    user_id = body.get("user", "")
    if not user_id:
        return error("user_not_found")
    return {"ok": True, "user": ws.users.get(user_id) or make_user(user_id, name=user_id.lower())}


def make_user(
    user_id: str, *, name: str, real_name: str | None = None, tz: str = "Europe/Amsterdam", locale: str = "nl-NL"
) -> Json:
    real = real_name or name
    return {
        "id": user_id,
        "name": name,
        "real_name": real,
        "tz": tz,
        "tz_offset": tz_offset(tz),
        "locale": locale,
        "is_bot": False,
        "profile": {"display_name": name, "real_name": real},
    }


def add_reaction(ws: Workspace, body: Json) -> Json:
    return {"ok": True}


def upload_url(ws: Workspace, body: Json) -> Json:
    if not body.get("filename") or body.get("length") is None:
        return error("invalid_arguments")
    file_id = ws.next_id("F")
    ws.pending_files[file_id] = {"filename": body["filename"], "length": int(body["length"])}
    return {"ok": True, "upload_url": f"{ws.base}/upload/{file_id}", "file_id": file_id}


def complete_upload(ws: Workspace, body: Json) -> Json:
    files = body.get("files")
    if not isinstance(files, list) or not files:
        return error("invalid_arguments")
    if any(f.get("id") not in ws.uploads for f in files):
        return error("file_not_found")
    done = [
        {
            "id": f["id"],
            "name": ws.pending_files[f["id"]]["filename"],
            "title": f.get("title") or ws.pending_files[f["id"]]["filename"],
        }
        for f in files
    ]
    if body.get("channel_id"):
        # Sharing a file posts a message carrying it, which is what history readers will see.
        ws.store(body["channel_id"], {"text": body.get("initial_comment") or ""}, files=done)
    return {"ok": True, "files": done}


def create_channel_canvas(ws: Workspace, body: Json) -> Json:
    channel = body.get("channel_id")
    if not channel:
        return error("invalid_arguments")
    if channel in ws.channel_canvases:
        return error("channel_canvas_already_exists")
    canvas_id = ws.next_id("F")
    ws.channel_canvases[channel] = canvas_id
    ws.canvases[canvas_id] = {"title": body.get("title"), "content": body.get("document_content") or {}}
    return {"ok": True, "canvas_id": canvas_id}


def edit_canvas(ws: Workspace, body: Json) -> Json:
    canvas = ws.canvases.get(body.get("canvas_id", ""))
    if canvas is None:
        return error("canvas_not_found")
    for change in body.get("changes") or []:
        if change.get("operation") == "replace":
            canvas["content"] = change.get("document_content") or {}
    return {"ok": True}


def conversation_info(ws: Workspace, body: Json) -> Json:
    channel = body.get("channel", "")
    properties = {"canvas": {"file_id": ws.channel_canvases[channel]}} if channel in ws.channel_canvases else {}
    return {"ok": True, "channel": {"id": channel, "properties": properties}}


METHODS: dict[str, Callable[[Workspace, Json], Json]] = {
    "auth.test": auth_test,
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update_message,
    "chat.delete": delete_message,
    "chat.getPermalink": get_permalink,
    "conversations.open": open_conversation,
    "conversations.history": history,
    "views.open": view_method,
    "views.push": view_method,
    "views.update": view_method,
    "views.publish": publish_view,
    "users.info": user_info,
    "reactions.add": add_reaction,
    "files.getUploadURLExternal": upload_url,
    "files.completeUploadExternal": complete_upload,
    "conversations.canvases.create": create_channel_canvas,
    "canvases.edit": edit_canvas,
    "conversations.info": conversation_info,
}
