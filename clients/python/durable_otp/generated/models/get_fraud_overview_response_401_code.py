from enum import StrEnum


class GetFraudOverviewResponse401Code(StrEnum):
    INVALID_API_KEY = "invalid_api_key"

    def __str__(self) -> str:
        return str(self.value)
