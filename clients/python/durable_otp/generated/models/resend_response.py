from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.resend_response_channels import ResendResponseChannels
    from ..models.resend_response_sandbox_otps import ResendResponseSandboxOtps


T = TypeVar("T", bound="ResendResponse")


@_attrs_define
class ResendResponse:
    """
    Attributes:
        success (bool):
        message (Literal['OTP resent successfully']):
        sandbox (bool): A sandbox session: its codes were handed to the caller, no message reached anyone
        expires_at (datetime.datetime):
        resends_remaining (int):
        next_resend_at (datetime.datetime | None):
        channels (ResendResponseChannels):
        sandbox_otps (ResendResponseSandboxOtps | Unset): The codes of a sandbox session; never present for a live
            session
    """

    success: bool
    message: Literal["OTP resent successfully"]
    sandbox: bool
    expires_at: datetime.datetime
    resends_remaining: int
    next_resend_at: datetime.datetime | None
    channels: ResendResponseChannels
    sandbox_otps: ResendResponseSandboxOtps | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        message = self.message

        sandbox = self.sandbox

        expires_at = self.expires_at.isoformat()

        resends_remaining = self.resends_remaining

        next_resend_at: None | str
        if isinstance(self.next_resend_at, datetime.datetime):
            next_resend_at = self.next_resend_at.isoformat()
        else:
            next_resend_at = self.next_resend_at

        channels = self.channels.to_dict()

        sandbox_otps: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sandbox_otps, Unset):
            sandbox_otps = self.sandbox_otps.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "success": success,
                "message": message,
                "sandbox": sandbox,
                "expires_at": expires_at,
                "resends_remaining": resends_remaining,
                "next_resend_at": next_resend_at,
                "channels": channels,
            }
        )
        if sandbox_otps is not UNSET:
            field_dict["sandbox_otps"] = sandbox_otps

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.resend_response_channels import ResendResponseChannels
        from ..models.resend_response_sandbox_otps import ResendResponseSandboxOtps

        d = dict(src_dict)
        success = d.pop("success")

        message = cast(Literal["OTP resent successfully"], d.pop("message"))
        if message != "OTP resent successfully":
            raise ValueError(
                f"message must match const 'OTP resent successfully', got '{message}'"
            )

        sandbox = d.pop("sandbox")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        resends_remaining = d.pop("resends_remaining")

        def _parse_next_resend_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_resend_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_resend_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_resend_at = _parse_next_resend_at(d.pop("next_resend_at"))

        channels = ResendResponseChannels.from_dict(d.pop("channels"))

        _sandbox_otps = d.pop("sandbox_otps", UNSET)
        sandbox_otps: ResendResponseSandboxOtps | Unset
        if isinstance(_sandbox_otps, Unset):
            sandbox_otps = UNSET
        else:
            sandbox_otps = ResendResponseSandboxOtps.from_dict(_sandbox_otps)

        resend_response = cls(
            success=success,
            message=message,
            sandbox=sandbox,
            expires_at=expires_at,
            resends_remaining=resends_remaining,
            next_resend_at=next_resend_at,
            channels=channels,
            sandbox_otps=sandbox_otps,
        )

        return resend_response
