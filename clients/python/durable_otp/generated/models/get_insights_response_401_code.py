from enum import StrEnum


class GetInsightsResponse401Code(StrEnum):
    INVALID_API_KEY = "invalid_api_key"

    def __str__(self) -> str:
        return str(self.value)
