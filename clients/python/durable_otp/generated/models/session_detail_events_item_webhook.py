from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.session_detail_events_item_webhook_event import (
    SessionDetailEventsItemWebhookEvent,
)

T = TypeVar("T", bound="SessionDetailEventsItemWebhook")


@_attrs_define
class SessionDetailEventsItemWebhook:
    """
    Attributes:
        id (str): The webhook-id header: the same for every attempt of one event
        event (SessionDetailEventsItemWebhookEvent):
        host (str): The endpoint's host (and port): never its path or query, which may hold the receiver's secrets
        attempts (int): Attempts until the endpoint took it; 0 on webhook_failed, given up after 24 h (the count is not
            kept)
    """

    id: str
    event: SessionDetailEventsItemWebhookEvent
    host: str
    attempts: int

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event = self.event.value

        host = self.host

        attempts = self.attempts

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "event": event,
                "host": host,
                "attempts": attempts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        event = SessionDetailEventsItemWebhookEvent(d.pop("event"))

        host = d.pop("host")

        attempts = d.pop("attempts")

        session_detail_events_item_webhook = cls(
            id=id,
            event=event,
            host=host,
            attempts=attempts,
        )

        return session_detail_events_item_webhook
