from enum import StrEnum


class ErrorCode(StrEnum):
    ALREADY_VERIFIED = "already_verified"
    CODE_NOT_ACTIVE = "code_not_active"
    COOLDOWN_ACTIVE = "cooldown_active"
    FORBIDDEN = "forbidden"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    INTERNAL_ERROR = "internal_error"
    INVALID_API_KEY = "invalid_api_key"
    INVALID_JSON = "invalid_json"
    INVALID_OTP = "invalid_otp"
    MAX_ATTEMPTS_EXCEEDED = "max_attempts_exceeded"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_FOUND = "not_found"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    RATE_LIMITED = "rate_limited"
    RECIPIENT_BLOCKED = "recipient_blocked"
    RESEND_LIMIT_REACHED = "resend_limit_reached"
    SERVICE_UNAVAILABLE = "service_unavailable"
    SESSION_CANCELLED = "session_cancelled"
    SESSION_EXPIRED = "session_expired"
    SESSION_FAILED = "session_failed"
    SESSION_LOCKED = "session_locked"
    SESSION_NOT_FOUND = "session_not_found"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    VALIDATION_ERROR = "validation_error"

    def __str__(self) -> str:
        return str(self.value)
