from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="Balance")


@_attrs_define
class Balance:
    """
    Attributes:
        credits_ (int | None): The tenant's balance; null for a tenant without a balance limit
    """

    credits_: int | None

    def to_dict(self) -> dict[str, Any]:
        credits_: int | None
        credits_ = self.credits_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "credits": credits_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_credits_(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        credits_ = _parse_credits_(d.pop("credits"))

        balance = cls(
            credits_=credits_,
        )

        return balance
