from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreditChange")


@_attrs_define
class CreditChange:
    """
    Attributes:
        set_ (int | Unset): The new balance
        add (int | Unset): Credits to add (negative: to take away)
        reason (str | Unset): Kept in the audit trail
    """

    set_: int | Unset = UNSET
    add: int | Unset = UNSET
    reason: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        set_ = self.set_

        add = self.add

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if set_ is not UNSET:
            field_dict["set"] = set_
        if add is not UNSET:
            field_dict["add"] = add
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        set_ = d.pop("set", UNSET)

        add = d.pop("add", UNSET)

        reason = d.pop("reason", UNSET)

        credit_change = cls(
            set_=set_,
            add=add,
            reason=reason,
        )

        return credit_change
