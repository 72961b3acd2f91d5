from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionDetailVerificationType1")


@_attrs_define
class SessionDetailVerificationType1:
    """
    Attributes:
        mode (Literal['any']):
    """

    mode: Literal["any"]

    def to_dict(self) -> dict[str, Any]:
        mode = self.mode

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mode": mode,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        mode = cast(Literal["any"], d.pop("mode"))
        if mode != "any":
            raise ValueError(f"mode must match const 'any', got '{mode}'")

        session_detail_verification_type_1 = cls(
            mode=mode,
        )

        return session_detail_verification_type_1
