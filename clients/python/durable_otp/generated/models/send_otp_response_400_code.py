from enum import StrEnum


class SendOtpResponse400Code(StrEnum):
    INVALID_JSON = "invalid_json"
    VALIDATION_ERROR = "validation_error"

    def __str__(self) -> str:
        return str(self.value)
