from enum import StrEnum


class GetInsightsResponse400Code(StrEnum):
    VALIDATION_ERROR = "validation_error"

    def __str__(self) -> str:
        return str(self.value)
