from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.send_response_channels_additional_property_delivery import (
    SendResponseChannelsAdditionalPropertyDelivery,
)

T = TypeVar("T", bound="SendResponseChannelsAdditionalProperty")


@_attrs_define
class SendResponseChannelsAdditionalProperty:
    """
    Attributes:
        delivery (SendResponseChannelsAdditionalPropertyDelivery): waiting: a fallback channel not reached yet;
            delivered / undelivered: the provider's receipt (SPEC §9)
    """

    delivery: SendResponseChannelsAdditionalPropertyDelivery

    def to_dict(self) -> dict[str, Any]:
        delivery = self.delivery.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "delivery": delivery,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        delivery = SendResponseChannelsAdditionalPropertyDelivery(d.pop("delivery"))

        send_response_channels_additional_property = cls(
            delivery=delivery,
        )

        return send_response_channels_additional_property
