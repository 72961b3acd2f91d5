from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.session_list_data_item_channels_item import (
    SessionListDataItemChannelsItem,
)
from ..models.session_list_data_item_status import SessionListDataItemStatus

T = TypeVar("T", bound="SessionListDataItem")


@_attrs_define
class SessionListDataItem:
    """
    Attributes:
        session_id (str):
        status (SessionListDataItemStatus):
        channels (list[SessionListDataItemChannelsItem]):
        sandbox (bool):
        purpose (None | str):
        created_at (datetime.datetime):
        closed_at (datetime.datetime | None):
    """

    session_id: str
    status: SessionListDataItemStatus
    channels: list[SessionListDataItemChannelsItem]
    sandbox: bool
    purpose: None | str
    created_at: datetime.datetime
    closed_at: datetime.datetime | None

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        status = self.status.value

        channels = []
        for channels_item_data in self.channels:
            channels_item = channels_item_data.value
            channels.append(channels_item)

        sandbox = self.sandbox

        purpose: None | str
        purpose = self.purpose

        created_at = self.created_at.isoformat()

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "session_id": session_id,
                "status": status,
                "channels": channels,
                "sandbox": sandbox,
                "purpose": purpose,
                "created_at": created_at,
                "closed_at": closed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        session_id = d.pop("session_id")

        status = SessionListDataItemStatus(d.pop("status"))

        channels = []
        _channels = d.pop("channels")
        for channels_item_data in _channels:
            channels_item = SessionListDataItemChannelsItem(channels_item_data)

            channels.append(channels_item)

        sandbox = d.pop("sandbox")

        def _parse_purpose(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        purpose = _parse_purpose(d.pop("purpose"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        session_list_data_item = cls(
            session_id=session_id,
            status=status,
            channels=channels,
            sandbox=sandbox,
            purpose=purpose,
            created_at=created_at,
            closed_at=closed_at,
        )

        return session_list_data_item
