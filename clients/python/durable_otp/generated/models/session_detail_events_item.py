from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.session_detail_events_item_channels_item import (
    SessionDetailEventsItemChannelsItem,
)
from ..models.session_detail_events_item_type import SessionDetailEventsItemType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.session_detail_events_item_webhook import (
        SessionDetailEventsItemWebhook,
    )


T = TypeVar("T", bound="SessionDetailEventsItem")


@_attrs_define
class SessionDetailEventsItem:
    """
    Attributes:
        type_ (SessionDetailEventsItemType):
        at (datetime.datetime):
        channels (list[SessionDetailEventsItemChannelsItem] | Unset):
        reason (str | Unset):
        locale (str | Unset): sent: the language the message was written in (SPEC §12)
        webhook (SessionDetailEventsItemWebhook | Unset):
    """

    type_: SessionDetailEventsItemType
    at: datetime.datetime
    channels: list[SessionDetailEventsItemChannelsItem] | Unset = UNSET
    reason: str | Unset = UNSET
    locale: str | Unset = UNSET
    webhook: SessionDetailEventsItemWebhook | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        at = self.at.isoformat()

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        reason = self.reason

        locale = self.locale

        webhook: dict[str, Any] | Unset = UNSET
        if not isinstance(self.webhook, Unset):
            webhook = self.webhook.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "at": at,
            }
        )
        if channels is not UNSET:
            field_dict["channels"] = channels
        if reason is not UNSET:
            field_dict["reason"] = reason
        if locale is not UNSET:
            field_dict["locale"] = locale
        if webhook is not UNSET:
            field_dict["webhook"] = webhook

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.session_detail_events_item_webhook import (
            SessionDetailEventsItemWebhook,
        )

        d = dict(src_dict)
        type_ = SessionDetailEventsItemType(d.pop("type"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        _channels = d.pop("channels", UNSET)
        channels: list[SessionDetailEventsItemChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = SessionDetailEventsItemChannelsItem(channels_item_data)

                channels.append(channels_item)

        reason = d.pop("reason", UNSET)

        locale = d.pop("locale", UNSET)

        _webhook = d.pop("webhook", UNSET)
        webhook: SessionDetailEventsItemWebhook | Unset
        if isinstance(_webhook, Unset):
            webhook = UNSET
        else:
            webhook = SessionDetailEventsItemWebhook.from_dict(_webhook)

        session_detail_events_item = cls(
            type_=type_,
            at=at,
            channels=channels,
            reason=reason,
            locale=locale,
            webhook=webhook,
        )

        return session_detail_events_item
