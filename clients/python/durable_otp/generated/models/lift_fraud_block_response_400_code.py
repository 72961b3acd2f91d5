from enum import StrEnum


class LiftFraudBlockResponse400Code(StrEnum):
    VALIDATION_ERROR = "validation_error"

    def __str__(self) -> str:
        return str(self.value)
