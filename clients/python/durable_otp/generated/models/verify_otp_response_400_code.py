from enum import StrEnum


class VerifyOtpResponse400Code(StrEnum):
    ALREADY_VERIFIED = "already_verified"
    CODE_NOT_ACTIVE = "code_not_active"
    INVALID_JSON = "invalid_json"
    INVALID_OTP = "invalid_otp"
    MAX_ATTEMPTS_EXCEEDED = "max_attempts_exceeded"
    SESSION_CANCELLED = "session_cancelled"
    SESSION_EXPIRED = "session_expired"
    SESSION_FAILED = "session_failed"
    SESSION_LOCKED = "session_locked"
    SESSION_NOT_FOUND = "session_not_found"
    VALIDATION_ERROR = "validation_error"

    def __str__(self) -> str:
        return str(self.value)
