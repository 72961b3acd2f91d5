from enum import StrEnum


class SessionDetailChannelsAdditionalPropertyDelivery(StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"
    QUEUED = "queued"
    SANDBOX = "sandbox"
    SENT = "sent"
    UNDELIVERED = "undelivered"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
