from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.send_response_status import SendResponseStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.send_response_channels import SendResponseChannels
    from ..models.send_response_sandbox_otps import SendResponseSandboxOtps


T = TypeVar("T", bound="SendResponse")


@_attrs_define
class SendResponse:
    """
    Attributes:
        success (bool):
        session_id (str):
        session_token (str):
        status (SendResponseStatus):
        expires_at (datetime.datetime):
        channels (SendResponseChannels):
        sandbox_otps (SendResponseSandboxOtps | Unset): The codes of a sandbox session; never present for a live session
    """

    success: bool
    session_id: str
    session_token: str
    status: SendResponseStatus
    expires_at: datetime.datetime
    channels: SendResponseChannels
    sandbox_otps: SendResponseSandboxOtps | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        session_id = self.session_id

        session_token = self.session_token

        status = self.status.value

        expires_at = self.expires_at.isoformat()

        channels = self.channels.to_dict()

        sandbox_otps: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sandbox_otps, Unset):
            sandbox_otps = self.sandbox_otps.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "success": success,
                "session_id": session_id,
                "session_token": session_token,
                "status": status,
                "expires_at": expires_at,
                "channels": channels,
            }
        )
        if sandbox_otps is not UNSET:
            field_dict["sandbox_otps"] = sandbox_otps

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.send_response_channels import SendResponseChannels
        from ..models.send_response_sandbox_otps import SendResponseSandboxOtps

        d = dict(src_dict)
        success = d.pop("success")

        session_id = d.pop("session_id")

        session_token = d.pop("session_token")

        status = SendResponseStatus(d.pop("status"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        channels = SendResponseChannels.from_dict(d.pop("channels"))

        _sandbox_otps = d.pop("sandbox_otps", UNSET)
        sandbox_otps: SendResponseSandboxOtps | Unset
        if isinstance(_sandbox_otps, Unset):
            sandbox_otps = UNSET
        else:
            sandbox_otps = SendResponseSandboxOtps.from_dict(_sandbox_otps)

        send_response = cls(
            success=success,
            session_id=session_id,
            session_token=session_token,
            status=status,
            expires_at=expires_at,
            channels=channels,
            sandbox_otps=sandbox_otps,
        )

        return send_response
