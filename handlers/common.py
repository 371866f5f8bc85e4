"""Slack payloads parsed into typed inputs, and the small steps every handler shares."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy.orm import Session

from bot import words
from bot.messages import person
from bot.services import Services
from store import circles
from store.errors import Forbidden, UserError
from store.models import Circle

HELP_WORDS = tuple(words.HELP)
LARGEST_ID = 2**31 - 1  # a record id as the databases store it (INTEGER); a larger number was never handed out


def record_id(text: object) -> int:
    """A record's id as a button or form carries it; anything else (forged, or from an old message) is refused."""
    try:
        number = int(str(text).strip())
    except ValueError:
        raise UserError("common.unexpected") from None
    if not 0 < number <= LARGEST_ID:
        raise UserError("common.unexpected")
    return number  # for `word in HELP_WORDS`; the words themselves live in bot/words.py


class CommandInput(BaseModel):
    """A slash command as Slack posts it."""

    command: str
    text: str = ""
    team_id: str
    channel_id: str
    user_id: str
    trigger_id: str | None = None
    response_url: str | None = None

    @classmethod
    def parse(cls, command: dict[str, Any]) -> CommandInput:
        return cls.model_validate(command)

    @property
    def head(self) -> str:
        """The first word, lower-cased: the subcommand."""
        parts = self.text.split(maxsplit=1)
        return parts[0].lower() if parts else ""

    @property
    def rest(self) -> str:
        parts = self.text.strip().split(maxsplit=1)
        return parts[1] if len(parts) > 1 else ""

    def origin(self, **extra: Any) -> dict[str, Any]:
        return {"team_id": self.team_id, "channel_id": self.channel_id, **extra}

    def locale(self, services: Services) -> str:
        """The language to answer the one who typed it in."""
        return services.locale_for(self.user_id, self.team_id, self.channel_id)


class ActionInput(BaseModel):
    """A button press: who, where, and the value the button carries."""

    team_id: str
    user_id: str
    value: str
    channel_id: str | None = None
    message_ts: str | None = None
    trigger_id: str | None = None

    @classmethod
    def parse(cls, body: dict[str, Any]) -> ActionInput:
        action = body["actions"][0]
        return cls(
            team_id=(body.get("team") or {}).get("id") or body["user"].get("team_id", ""),
            user_id=body["user"]["id"],
            value=action.get("value") or (action.get("selected_option") or {}).get("value", ""),
            channel_id=(body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id"),
            message_ts=(body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts"),
            trigger_id=body.get("trigger_id"),
        )

    def item_id(self) -> int:
        return record_id(self.value.split(":")[0])

    def origin(self, **extra: Any) -> dict[str, Any]:
        return {"team_id": self.team_id, "channel_id": self.channel_id, "message_ts": self.message_ts, **extra}

    def locale(self, services: Services) -> str:
        """The language to answer the one who pressed it in."""
        return services.locale_for(self.user_id, self.team_id, self.channel_id)

    def reach(self, session: Session, circle: Circle) -> None:
        """Refuse unless the record's circle is this conversation's (or, from a DM or the App Home, the presser's);
        the value a button carries is never trusted to say so."""
        circles.require_reach(
            session, circle=circle, team_id=self.team_id, channel_id=self.channel_id, user_id=self.user_id
        )


class Origin(BaseModel):
    """Where a modal was opened from, carried in its private_metadata."""

    team_id: str
    channel_id: str | None = None
    message_ts: str | None = None
    item_id: int | None = Field(default=None, gt=0, le=LARGEST_ID)

    @field_validator("team_id", "channel_id", "message_ts")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        if value is not None and "\x00" in value:  # the bot never puts one there (and PostgreSQL refuses it)
            raise ValueError("a NUL character")
        return value

    @classmethod
    def of(cls, view: dict[str, Any]) -> Origin:
        """The form's origin, refused when it names another workspace than the one the form was submitted in."""
        try:
            origin = cls.model_validate(json.loads(view.get("private_metadata") or "{}"))
        except ValueError:  # not JSON, or not what the bot put there: an old or forged form
            raise UserError("common.unexpected") from None
        if view.get("team_id") != origin.team_id:
            raise Forbidden("circle.out_of_reach")
        return origin

    def reach(self, session: Session, circle: Circle, user_id: str) -> None:
        """Refuse a record of another circle: the channel named in private_metadata is not trusted, so whoever
        submits a form about a record must be a member of its circle."""
        circles.require_reach(session, circle=circle, team_id=self.team_id, user_id=user_id)

    def locale(self, services: Services, user_id: str) -> str:
        """The language to answer the one who submitted the form in."""
        return services.locale_for(user_id, self.team_id, self.channel_id)


def confirm(services: Services, channel_id: str | None, user_id: str, text: str) -> None:
    """A word to the one who acted, by the one rule for answering a person, then sent at once."""
    with services.transaction() as session:
        person.say(session, channel_id=channel_id, user_id=user_id, text=text)
    services.deliver()
