from enum import StrEnum


class CancelSessionResponse400Code(StrEnum):
    ALREADY_VERIFIED = "already_verified"
    INVALID_JSON = "invalid_json"
    SESSION_CANCELLED = "session_cancelled"
    SESSION_EXPIRED = "session_expired"
    SESSION_FAILED = "session_failed"
    SESSION_NOT_FOUND = "session_not_found"
    VALIDATION_ERROR = "validation_error"

    def __str__(self) -> str:
        return str(self.value)
