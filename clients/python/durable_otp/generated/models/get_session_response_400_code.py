from enum import StrEnum


class GetSessionResponse400Code(StrEnum):
    SESSION_NOT_FOUND = "session_not_found"

    def __str__(self) -> str:
        return str(self.value)
