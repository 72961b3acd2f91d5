from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.error_channel import ErrorChannel
from ..models.error_reason import ErrorReason
from ..models.lift_fraud_block_response_500_code import LiftFraudBlockResponse500Code
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_details_item import ErrorDetailsItem
    from ..models.error_results import ErrorResults


T = TypeVar("T", bound="LiftFraudBlockResponse500")


@_attrs_define
class LiftFraudBlockResponse500:
    """
    Attributes:
        status_code (int):
        message (str):
        error (str): The HTTP reason phrase
        code (LiftFraudBlockResponse500Code):
        details (list[ErrorDetailsItem] | Unset):
        retry_after (int | Unset): seconds (also sent as the Retry-After header)
        reason (ErrorReason | Unset): recipient_blocked: the number type, the country, or suspected SMS pumping (SPEC
            §11)
        channel (ErrorChannel | Unset): recipient_blocked: the channel whose recipient is refused
        attempts_remaining (int | Unset):
        results (ErrorResults | Unset):
    """

    status_code: int
    message: str
    error: str
    code: LiftFraudBlockResponse500Code
    details: list[ErrorDetailsItem] | Unset = UNSET
    retry_after: int | Unset = UNSET
    reason: ErrorReason | Unset = UNSET
    channel: ErrorChannel | Unset = UNSET
    attempts_remaining: int | Unset = UNSET
    results: ErrorResults | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status_code = self.status_code

        message = self.message

        error = self.error

        code = self.code.value

        details: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = []
            for details_item_data in self.details:
                details_item = details_item_data.to_dict()
                details.append(details_item)

        retry_after = self.retry_after

        reason: str | Unset = UNSET
        if not isinstance(self.reason, Unset):
            reason = self.reason.value

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value

        attempts_remaining = self.attempts_remaining

        results: dict[str, Any] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = self.results.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "statusCode": status_code,
                "message": message,
                "error": error,
                "code": code,
            }
        )
        if details is not UNSET:
            field_dict["details"] = details
        if retry_after is not UNSET:
            field_dict["retry_after"] = retry_after
        if reason is not UNSET:
            field_dict["reason"] = reason
        if channel is not UNSET:
            field_dict["channel"] = channel
        if attempts_remaining is not UNSET:
            field_dict["attempts_remaining"] = attempts_remaining
        if results is not UNSET:
            field_dict["results"] = results

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_details_item import ErrorDetailsItem
        from ..models.error_results import ErrorResults

        d = dict(src_dict)
        status_code = d.pop("statusCode")

        message = d.pop("message")

        error = d.pop("error")

        code = LiftFraudBlockResponse500Code(d.pop("code"))

        _details = d.pop("details", UNSET)
        details: list[ErrorDetailsItem] | Unset = UNSET
        if _details is not UNSET:
            details = []
            for details_item_data in _details:
                details_item = ErrorDetailsItem.from_dict(details_item_data)

                details.append(details_item)

        retry_after = d.pop("retry_after", UNSET)

        _reason = d.pop("reason", UNSET)
        reason: ErrorReason | Unset
        if isinstance(_reason, Unset):
            reason = UNSET
        else:
            reason = ErrorReason(_reason)

        _channel = d.pop("channel", UNSET)
        channel: ErrorChannel | Unset
        if isinstance(_channel, Unset):
            channel = UNSET
        else:
            channel = ErrorChannel(_channel)

        attempts_remaining = d.pop("attempts_remaining", UNSET)

        _results = d.pop("results", UNSET)
        results: ErrorResults | Unset
        if isinstance(_results, Unset):
            results = UNSET
        else:
            results = ErrorResults.from_dict(_results)

        lift_fraud_block_response_500 = cls(
            status_code=status_code,
            message=message,
            error=error,
            code=code,
            details=details,
            retry_after=retry_after,
            reason=reason,
            channel=channel,
            attempts_remaining=attempts_remaining,
            results=results,
        )

        lift_fraud_block_response_500.additional_properties = d
        return lift_fraud_block_response_500

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
