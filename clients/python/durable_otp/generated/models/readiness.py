from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.readiness_reason import ReadinessReason
from ..models.readiness_status import ReadinessStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Readiness")


@_attrs_define
class Readiness:
    """
    Attributes:
        status (ReadinessStatus):
        reason (ReadinessReason | Unset): Why not ready (the details are in the API log)
    """

    status: ReadinessStatus
    reason: ReadinessReason | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        reason: str | Unset = UNSET
        if not isinstance(self.reason, Unset):
            reason = self.reason.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = ReadinessStatus(d.pop("status"))

        _reason = d.pop("reason", UNSET)
        reason: ReadinessReason | Unset
        if isinstance(_reason, Unset):
            reason = UNSET
        else:
            reason = ReadinessReason(_reason)

        readiness = cls(
            status=status,
            reason=reason,
        )

        return readiness
