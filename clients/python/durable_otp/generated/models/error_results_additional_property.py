from enum import StrEnum


class ErrorResultsAdditionalProperty(StrEnum):
    ALREADY_VERIFIED = "already_verified"
    INVALID = "invalid"
    NOT_CHECKED = "not_checked"
    VERIFIED = "verified"

    def __str__(self) -> str:
        return str(self.value)
