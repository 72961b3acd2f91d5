from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.resend_response_channels_additional_property import (
        ResendResponseChannelsAdditionalProperty,
    )


T = TypeVar("T", bound="ResendResponseChannels")


@_attrs_define
class ResendResponseChannels:
    additional_properties: dict[str, ResendResponseChannelsAdditionalProperty] = (
        _attrs_field(init=False, factory=dict)
    )

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.resend_response_channels_additional_property import (
            ResendResponseChannelsAdditionalProperty,
        )

        d = dict(src_dict)
        resend_response_channels = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = ResendResponseChannelsAdditionalProperty.from_dict(
                prop_dict
            )

            additional_properties[prop_name] = additional_property

        resend_response_channels.additional_properties = additional_properties
        return resend_response_channels

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> ResendResponseChannelsAdditionalProperty:
        return self.additional_properties[key]

    def __setitem__(
        self, key: str, value: ResendResponseChannelsAdditionalProperty
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
