from enum import StrEnum


class GetFraudOverviewResponse503Code(StrEnum):
    SERVICE_UNAVAILABLE = "service_unavailable"

    def __str__(self) -> str:
        return str(self.value)
