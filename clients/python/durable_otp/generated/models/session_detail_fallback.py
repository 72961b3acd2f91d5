from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.session_detail_fallback_channels_item import (
    SessionDetailFallbackChannelsItem,
)

T = TypeVar("T", bound="SessionDetailFallback")


@_attrs_define
class SessionDetailFallback:
    """
    Attributes:
        channels (list[SessionDetailFallbackChannelsItem]): In order: only the first gets a code at once, each next one
            when the previous fails
        after_seconds (int): How long each channel gets to be verified before the next one gets a code
        next_fallback_at (datetime.datetime | None): When the next channel gets a code unless the session is verified
            first
    """

    channels: list[SessionDetailFallbackChannelsItem]
    after_seconds: int
    next_fallback_at: datetime.datetime | None

    def to_dict(self) -> dict[str, Any]:
        channels = []
        for channels_item_data in self.channels:
            channels_item = channels_item_data.value
            channels.append(channels_item)

        after_seconds = self.after_seconds

        next_fallback_at: None | str
        if isinstance(self.next_fallback_at, datetime.datetime):
            next_fallback_at = self.next_fallback_at.isoformat()
        else:
            next_fallback_at = self.next_fallback_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channels": channels,
                "after_seconds": after_seconds,
                "next_fallback_at": next_fallback_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        channels = []
        _channels = d.pop("channels")
        for channels_item_data in _channels:
            channels_item = SessionDetailFallbackChannelsItem(channels_item_data)

            channels.append(channels_item)

        after_seconds = d.pop("after_seconds")

        def _parse_next_fallback_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_fallback_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_fallback_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_fallback_at = _parse_next_fallback_at(d.pop("next_fallback_at"))

        session_detail_fallback = cls(
            channels=channels,
            after_seconds=after_seconds,
            next_fallback_at=next_fallback_at,
        )

        return session_detail_fallback
