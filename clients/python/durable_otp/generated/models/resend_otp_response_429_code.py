from enum import StrEnum


class ResendOtpResponse429Code(StrEnum):
    COOLDOWN_ACTIVE = "cooldown_active"
    RATE_LIMITED = "rate_limited"
    RESEND_LIMIT_REACHED = "resend_limit_reached"

    def __str__(self) -> str:
        return str(self.value)
