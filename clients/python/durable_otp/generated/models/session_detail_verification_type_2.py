from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

from ..models.session_detail_verification_type_2_channels_item import (
    SessionDetailVerificationType2ChannelsItem,
)

T = TypeVar("T", bound="SessionDetailVerificationType2")


@_attrs_define
class SessionDetailVerificationType2:
    """
    Attributes:
        mode (Literal['channels']):
        channels (list[SessionDetailVerificationType2ChannelsItem]):
    """

    mode: Literal["channels"]
    channels: list[SessionDetailVerificationType2ChannelsItem]

    def to_dict(self) -> dict[str, Any]:
        mode = self.mode

        channels = []
        for channels_item_data in self.channels:
            channels_item = channels_item_data.value
            channels.append(channels_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mode": mode,
                "channels": channels,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        mode = cast(Literal["channels"], d.pop("mode"))
        if mode != "channels":
            raise ValueError(f"mode must match const 'channels', got '{mode}'")

        channels = []
        _channels = d.pop("channels")
        for channels_item_data in _channels:
            channels_item = SessionDetailVerificationType2ChannelsItem(
                channels_item_data
            )

            channels.append(channels_item)

        session_detail_verification_type_2 = cls(
            mode=mode,
            channels=channels,
        )

        return session_detail_verification_type_2
