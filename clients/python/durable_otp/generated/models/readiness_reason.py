from enum import StrEnum


class ReadinessReason(StrEnum):
    NO_WORKER_POLLING = "no_worker_polling"
    TEMPORAL_UNREACHABLE = "temporal_unreachable"

    def __str__(self) -> str:
        return str(self.value)
