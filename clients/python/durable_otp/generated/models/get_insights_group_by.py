from enum import StrEnum


class GetInsightsGroupBy(StrEnum):
    CHANNEL = "channel"
    COUNTRY = "country"
    PURPOSE = "purpose"

    def __str__(self) -> str:
        return str(self.value)
