from enum import StrEnum


class TwilioStatusCallbackResponse403Code(StrEnum):
    FORBIDDEN = "forbidden"

    def __str__(self) -> str:
        return str(self.value)
