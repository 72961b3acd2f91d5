from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionDetailResends")


@_attrs_define
class SessionDetailResends:
    """
    Attributes:
        used (int):
        max_ (int):
        remaining (int):
        next_resend_at (datetime.datetime | None):
    """

    used: int
    max_: int
    remaining: int
    next_resend_at: datetime.datetime | None

    def to_dict(self) -> dict[str, Any]:
        used = self.used

        max_ = self.max_

        remaining = self.remaining

        next_resend_at: None | str
        if isinstance(self.next_resend_at, datetime.datetime):
            next_resend_at = self.next_resend_at.isoformat()
        else:
            next_resend_at = self.next_resend_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "used": used,
                "max": max_,
                "remaining": remaining,
                "next_resend_at": next_resend_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        used = d.pop("used")

        max_ = d.pop("max")

        remaining = d.pop("remaining")

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

        session_detail_resends = cls(
            used=used,
            max_=max_,
            remaining=remaining,
            next_resend_at=next_resend_at,
        )

        return session_detail_resends
