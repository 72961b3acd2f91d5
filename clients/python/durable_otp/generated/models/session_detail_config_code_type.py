from enum import StrEnum


class SessionDetailConfigCodeType(StrEnum):
    ALPHA = "alpha"
    ALPHANUMERIC = "alphanumeric"
    NUMERIC = "numeric"

    def __str__(self) -> str:
        return str(self.value)
