from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.insights_group_by import InsightsGroupBy

if TYPE_CHECKING:
    from ..models.insights_data_item import InsightsDataItem


T = TypeVar("T", bound="Insights")


@_attrs_define
class Insights:
    """
    Attributes:
        from_ (datetime.date):
        to (datetime.date):
        group_by (InsightsGroupBy):
        data (list[InsightsDataItem]):
    """

    from_: datetime.date
    to: datetime.date
    group_by: InsightsGroupBy
    data: list[InsightsDataItem]

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        group_by = self.group_by.value

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "to": to,
                "group_by": group_by,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.insights_data_item import InsightsDataItem

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        group_by = InsightsGroupBy(d.pop("group_by"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = InsightsDataItem.from_dict(data_item_data)

            data.append(data_item)

        insights = cls(
            from_=from_,
            to=to,
            group_by=group_by,
            data=data,
        )

        return insights
