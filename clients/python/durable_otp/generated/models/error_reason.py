from enum import StrEnum


class ErrorReason(StrEnum):
    COUNTRY = "country"
    NUMBER_TYPE = "number_type"
    SUSPECTED_FRAUD = "suspected_fraud"

    def __str__(self) -> str:
        return str(self.value)
