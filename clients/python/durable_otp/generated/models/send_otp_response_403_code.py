from enum import StrEnum


class SendOtpResponse403Code(StrEnum):
    RECIPIENT_BLOCKED = "recipient_blocked"

    def __str__(self) -> str:
        return str(self.value)
