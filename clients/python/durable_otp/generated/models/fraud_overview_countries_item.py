from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.fraud_overview_countries_item_channel import (
    FraudOverviewCountriesItemChannel,
)

T = TypeVar("T", bound="FraudOverviewCountriesItem")


@_attrs_define
class FraudOverviewCountriesItem:
    """
    Attributes:
        channel (FraudOverviewCountriesItemChannel):
        country (str):
        sends (int):
        verified (int):
        conversion (float | None): verified / sends
    """

    channel: FraudOverviewCountriesItemChannel
    country: str
    sends: int
    verified: int
    conversion: float | None

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        country = self.country

        sends = self.sends

        verified = self.verified

        conversion: float | None
        conversion = self.conversion

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "country": country,
                "sends": sends,
                "verified": verified,
                "conversion": conversion,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        channel = FraudOverviewCountriesItemChannel(d.pop("channel"))

        country = d.pop("country")

        sends = d.pop("sends")

        verified = d.pop("verified")

        def _parse_conversion(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        conversion = _parse_conversion(d.pop("conversion"))

        fraud_overview_countries_item = cls(
            channel=channel,
            country=country,
            sends=sends,
            verified=verified,
            conversion=conversion,
        )

        return fraud_overview_countries_item
