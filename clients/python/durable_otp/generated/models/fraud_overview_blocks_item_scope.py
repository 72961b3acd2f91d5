from enum import StrEnum


class FraudOverviewBlocksItemScope(StrEnum):
    COUNTRY = "country"
    RANGE = "range"

    def __str__(self) -> str:
        return str(self.value)
