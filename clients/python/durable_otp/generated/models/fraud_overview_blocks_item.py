from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.fraud_overview_blocks_item_channel import FraudOverviewBlocksItemChannel
from ..models.fraud_overview_blocks_item_scope import FraudOverviewBlocksItemScope

T = TypeVar("T", bound="FraudOverviewBlocksItem")


@_attrs_define
class FraudOverviewBlocksItem:
    """
    Attributes:
        channel (FraudOverviewBlocksItemChannel):
        scope (FraudOverviewBlocksItemScope):
        subject (str): The range (an E.164 prefix) or the country (ISO 3166-1 alpha-2)
        key (str): `<channel>:<subject>`: the key that lifts it (DELETE …/fraud/blocks/{scope}/{key})
        until (datetime.datetime):
        blocks_in_24h (int): This block included: each one within 24 h lasts twice the last
    """

    channel: FraudOverviewBlocksItemChannel
    scope: FraudOverviewBlocksItemScope
    subject: str
    key: str
    until: datetime.datetime
    blocks_in_24h: int

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        scope = self.scope.value

        subject = self.subject

        key = self.key

        until = self.until.isoformat()

        blocks_in_24h = self.blocks_in_24h

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "scope": scope,
                "subject": subject,
                "key": key,
                "until": until,
                "blocks_in_24h": blocks_in_24h,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        channel = FraudOverviewBlocksItemChannel(d.pop("channel"))

        scope = FraudOverviewBlocksItemScope(d.pop("scope"))

        subject = d.pop("subject")

        key = d.pop("key")

        until = datetime.datetime.fromisoformat(d.pop("until"))

        blocks_in_24h = d.pop("blocks_in_24h")

        fraud_overview_blocks_item = cls(
            channel=channel,
            scope=scope,
            subject=subject,
            key=key,
            until=until,
            blocks_in_24h=blocks_in_24h,
        )

        return fraud_overview_blocks_item
