from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.resend_response_channels_additional_property_delivery import (
    ResendResponseChannelsAdditionalPropertyDelivery,
)

T = TypeVar("T", bound="ResendResponseChannelsAdditionalProperty")


@_attrs_define
class ResendResponseChannelsAdditionalProperty:
    """
    Attributes:
        delivery (ResendResponseChannelsAdditionalPropertyDelivery): waiting: a fallback channel not reached yet;
            delivered / undelivered: the provider's receipt (SPEC §9)
    """

    delivery: ResendResponseChannelsAdditionalPropertyDelivery

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
        delivery = ResendResponseChannelsAdditionalPropertyDelivery(d.pop("delivery"))

        resend_response_channels_additional_property = cls(
            delivery=delivery,
        )

        return resend_response_channels_additional_property
