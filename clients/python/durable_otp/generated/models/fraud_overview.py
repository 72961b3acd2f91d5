from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.fraud_overview_blocks_item import FraudOverviewBlocksItem
    from ..models.fraud_overview_countries_item import FraudOverviewCountriesItem


T = TypeVar("T", bound="FraudOverview")


@_attrs_define
class FraudOverview:
    """
    Attributes:
        window_minutes (int): The detector's sliding window
        blocks (list[FraudOverviewBlocksItem]):
        countries (list[FraudOverviewCountriesItem]):
    """

    window_minutes: int
    blocks: list[FraudOverviewBlocksItem]
    countries: list[FraudOverviewCountriesItem]

    def to_dict(self) -> dict[str, Any]:
        window_minutes = self.window_minutes

        blocks = []
        for blocks_item_data in self.blocks:
            blocks_item = blocks_item_data.to_dict()
            blocks.append(blocks_item)

        countries = []
        for countries_item_data in self.countries:
            countries_item = countries_item_data.to_dict()
            countries.append(countries_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "window_minutes": window_minutes,
                "blocks": blocks,
                "countries": countries,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.fraud_overview_blocks_item import FraudOverviewBlocksItem
        from ..models.fraud_overview_countries_item import FraudOverviewCountriesItem

        d = dict(src_dict)
        window_minutes = d.pop("window_minutes")

        blocks = []
        _blocks = d.pop("blocks")
        for blocks_item_data in _blocks:
            blocks_item = FraudOverviewBlocksItem.from_dict(blocks_item_data)

            blocks.append(blocks_item)

        countries = []
        _countries = d.pop("countries")
        for countries_item_data in _countries:
            countries_item = FraudOverviewCountriesItem.from_dict(countries_item_data)

            countries.append(countries_item)

        fraud_overview = cls(
            window_minutes=window_minutes,
            blocks=blocks,
            countries=countries,
        )

        return fraud_overview
