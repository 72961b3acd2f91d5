from enum import StrEnum


class SendOtpResponse402Code(StrEnum):
    INSUFFICIENT_BALANCE = "insufficient_balance"

    def __str__(self) -> str:
        return str(self.value)
