"""The JSON frames a chat socket sends, and the broadcasts that carry them to every instance's sockets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from golive.engagement.chat.models import ChatMessage, ChatReport, ChatRestriction, ChatRoom


def stamp(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def message_out(message: ChatMessage) -> dict[str, Any]:
    return {
        "messageId": str(message.message_id),
        "author": {"personId": message.person_id, "name": message.author_name, "moderator": message.moderator},
        "text": message.text,
        "replyTo": str(message.reply_to_id) if message.reply_to_id is not None else None,
        "mentions": list(message.mentions),
        "status": message.status.value,
        "createdAt": stamp(message.created_at),
    }


def room_out(room: ChatRoom) -> dict[str, Any]:
    return {
        "policy": room.policy.value,
        "linksAllowed": room.links_allowed,
        "slowModeSeconds": room.slow_mode_seconds,
        "emoteOnly": room.emote_only,
        "blockedTerms": list(room.blocked_terms),
        "blockedTermAction": room.blocked_term_action.value,
        "pinnedMessageId": str(room.pinned_message_id) if room.pinned_message_id is not None else None,
        "embedChat": room.embed_chat,
    }


def restriction_out(restriction: ChatRestriction) -> dict[str, Any]:
    return {
        "restrictionId": restriction.restriction_id,
        "personId": restriction.person_id,
        "name": restriction.person_name,
        "kind": restriction.kind.value,
        "until": stamp(restriction.until),
        "reason": restriction.reason,
        "createdBy": restriction.created_by,
        "createdAt": stamp(restriction.created_at),
    }


def report_out(report: ChatReport, message: ChatMessage) -> dict[str, Any]:
    return {
        "reportId": report.report_id,
        "status": report.status.value,
        "reportedBy": report.reported_by,
        "reason": report.reason,
        "createdAt": stamp(report.created_at),
        "message": message_out(message),
    }


def error_frame(code: str, message: str, request: str | None = None, **details: Any) -> dict[str, Any]:
    """A refusal: `request` names the type of the client's frame it answers (None: the socket's own)."""
    shown = {"type": "error", "code": code, "message": message, "request": request}
    return shown | ({"details": details} if details else {})


@dataclass(frozen=True)
class Broadcast:
    """A frame for a room's sockets on every instance: all of them, its moderators, or one person's."""

    frame: dict[str, Any]
    to: str | None = None  # a person id
    moderators_only: bool = False
    close: bool = False  # the person's sockets close after the frame (a ban)

    def encode(self) -> str:
        return json.dumps(
            {"frame": self.frame, "to": self.to, "moderatorsOnly": self.moderators_only, "close": self.close}
        )

    @classmethod
    def decode(cls, data: str) -> Broadcast:
        raw = json.loads(data)
        return cls(raw["frame"], raw.get("to"), bool(raw.get("moderatorsOnly")), bool(raw.get("close")))
