from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="InsightsDataItem")


@_attrs_define
class InsightsDataItem:
    """
    Attributes:
        date (datetime.date):
        value (str): The channel, country (ISO 3166-1 alpha-2, or "unknown") or purpose ("none")
        sends (int): Messages sent (first sends, resends, fallback steps)
        verified (int): Sessions verified, counted under each channel and country they were sent on
        conversion (float | None): verified / sends
        credits_ (int): Credits the messages cost (0 for a tenant without a balance, and in sandbox)
    """

    date: datetime.date
    value: str
    sends: int
    verified: int
    conversion: float | None
    credits_: int

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        value = self.value

        sends = self.sends

        verified = self.verified

        conversion: float | None
        conversion = self.conversion

        credits_ = self.credits_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "date": date,
                "value": value,
                "sends": sends,
                "verified": verified,
                "conversion": conversion,
                "credits": credits_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))

        value = d.pop("value")

        sends = d.pop("sends")

        verified = d.pop("verified")

        def _parse_conversion(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        conversion = _parse_conversion(d.pop("conversion"))

        credits_ = d.pop("credits")

        insights_data_item = cls(
            date=date,
            value=value,
            sends=sends,
            verified=verified,
            conversion=conversion,
            credits_=credits_,
        )

        return insights_data_item
