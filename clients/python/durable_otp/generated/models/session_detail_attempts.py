from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionDetailAttempts")


@_attrs_define
class SessionDetailAttempts:
    """
    Attributes:
        failed (int):
        max_ (int):
        remaining (int):
    """

    failed: int
    max_: int
    remaining: int

    def to_dict(self) -> dict[str, Any]:
        failed = self.failed

        max_ = self.max_

        remaining = self.remaining

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "failed": failed,
                "max": max_,
                "remaining": remaining,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failed = d.pop("failed")

        max_ = d.pop("max")

        remaining = d.pop("remaining")

        session_detail_attempts = cls(
            failed=failed,
            max_=max_,
            remaining=remaining,
        )

        return session_detail_attempts
