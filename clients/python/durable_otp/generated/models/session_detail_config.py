from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.session_detail_config_code_type import SessionDetailConfigCodeType

T = TypeVar("T", bound="SessionDetailConfig")


@_attrs_define
class SessionDetailConfig:
    """
    Attributes:
        otp_length (int):
        code_type (SessionDetailConfigCodeType):
        expiry_minutes (int):
        max_attempts (int):
        resend_cooldown_seconds (int):
        max_resends (int):
        lockout_minutes (int | None): null: locked until the session expires
    """

    otp_length: int
    code_type: SessionDetailConfigCodeType
    expiry_minutes: int
    max_attempts: int
    resend_cooldown_seconds: int
    max_resends: int
    lockout_minutes: int | None

    def to_dict(self) -> dict[str, Any]:
        otp_length = self.otp_length

        code_type = self.code_type.value

        expiry_minutes = self.expiry_minutes

        max_attempts = self.max_attempts

        resend_cooldown_seconds = self.resend_cooldown_seconds

        max_resends = self.max_resends

        lockout_minutes: int | None
        lockout_minutes = self.lockout_minutes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "otp_length": otp_length,
                "code_type": code_type,
                "expiry_minutes": expiry_minutes,
                "max_attempts": max_attempts,
                "resend_cooldown_seconds": resend_cooldown_seconds,
                "max_resends": max_resends,
                "lockout_minutes": lockout_minutes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        otp_length = d.pop("otp_length")

        code_type = SessionDetailConfigCodeType(d.pop("code_type"))

        expiry_minutes = d.pop("expiry_minutes")

        max_attempts = d.pop("max_attempts")

        resend_cooldown_seconds = d.pop("resend_cooldown_seconds")

        max_resends = d.pop("max_resends")

        def _parse_lockout_minutes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        lockout_minutes = _parse_lockout_minutes(d.pop("lockout_minutes"))

        session_detail_config = cls(
            otp_length=otp_length,
            code_type=code_type,
            expiry_minutes=expiry_minutes,
            max_attempts=max_attempts,
            resend_cooldown_seconds=resend_cooldown_seconds,
            max_resends=max_resends,
            lockout_minutes=lockout_minutes,
        )

        return session_detail_config
