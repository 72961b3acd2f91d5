from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.session_detail_channels_additional_property_delivery import (
    SessionDetailChannelsAdditionalPropertyDelivery,
)
from ..models.session_detail_channels_additional_property_number_type import (
    SessionDetailChannelsAdditionalPropertyNumberType,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionDetailChannelsAdditionalProperty")


@_attrs_define
class SessionDetailChannelsAdditionalProperty:
    """
    Attributes:
        recipient (str):
        delivery (SessionDetailChannelsAdditionalPropertyDelivery): waiting: a fallback channel not reached yet;
            delivered / undelivered: the provider's receipt (SPEC §9)
        verified (bool):
        verified_at (datetime.datetime | None):
        required (bool):
        code_expires_at (datetime.datetime | None | Unset): When this channel's current code stops working; null once
            verified
        test_recipient (bool | Unset): One of the tenant's test recipients (SPEC §12): fixed code, nothing sent, nothing
            charged
        country (str | Unset): Phone channels: the number's country, ISO 3166-1 alpha-2 (SPEC §11)
        number_type (SessionDetailChannelsAdditionalPropertyNumberType | Unset): Phone channels: the number type
            (libphonenumber)
    """

    recipient: str
    delivery: SessionDetailChannelsAdditionalPropertyDelivery
    verified: bool
    verified_at: datetime.datetime | None
    required: bool
    code_expires_at: datetime.datetime | None | Unset = UNSET
    test_recipient: bool | Unset = UNSET
    country: str | Unset = UNSET
    number_type: SessionDetailChannelsAdditionalPropertyNumberType | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        recipient = self.recipient

        delivery = self.delivery.value

        verified = self.verified

        verified_at: None | str
        if isinstance(self.verified_at, datetime.datetime):
            verified_at = self.verified_at.isoformat()
        else:
            verified_at = self.verified_at

        required = self.required

        code_expires_at: None | str | Unset
        if isinstance(self.code_expires_at, Unset):
            code_expires_at = UNSET
        elif isinstance(self.code_expires_at, datetime.datetime):
            code_expires_at = self.code_expires_at.isoformat()
        else:
            code_expires_at = self.code_expires_at

        test_recipient = self.test_recipient

        country = self.country

        number_type: str | Unset = UNSET
        if not isinstance(self.number_type, Unset):
            number_type = self.number_type.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recipient": recipient,
                "delivery": delivery,
                "verified": verified,
                "verified_at": verified_at,
                "required": required,
            }
        )
        if code_expires_at is not UNSET:
            field_dict["code_expires_at"] = code_expires_at
        if test_recipient is not UNSET:
            field_dict["test_recipient"] = test_recipient
        if country is not UNSET:
            field_dict["country"] = country
        if number_type is not UNSET:
            field_dict["number_type"] = number_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        recipient = d.pop("recipient")

        delivery = SessionDetailChannelsAdditionalPropertyDelivery(d.pop("delivery"))

        verified = d.pop("verified")

        def _parse_verified_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                verified_at_type_0 = datetime.datetime.fromisoformat(data)

                return verified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        verified_at = _parse_verified_at(d.pop("verified_at"))

        required = d.pop("required")

        def _parse_code_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                code_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return code_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        code_expires_at = _parse_code_expires_at(d.pop("code_expires_at", UNSET))

        test_recipient = d.pop("test_recipient", UNSET)

        country = d.pop("country", UNSET)

        _number_type = d.pop("number_type", UNSET)
        number_type: SessionDetailChannelsAdditionalPropertyNumberType | Unset
        if isinstance(_number_type, Unset):
            number_type = UNSET
        else:
            number_type = SessionDetailChannelsAdditionalPropertyNumberType(
                _number_type
            )

        session_detail_channels_additional_property = cls(
            recipient=recipient,
            delivery=delivery,
            verified=verified,
            verified_at=verified_at,
            required=required,
            code_expires_at=code_expires_at,
            test_recipient=test_recipient,
            country=country,
            number_type=number_type,
        )

        return session_detail_channels_additional_property
