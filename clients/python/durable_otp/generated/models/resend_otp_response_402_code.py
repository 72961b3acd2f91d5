from enum import StrEnum


class ResendOtpResponse402Code(StrEnum):
    INSUFFICIENT_BALANCE = "insufficient_balance"

    def __str__(self) -> str:
        return str(self.value)
