from enum import StrEnum


class SessionDetailEventsItemWebhookEvent(StrEnum):
    DELIVERY_DELIVERED = "delivery.delivered"
    DELIVERY_FAILED = "delivery.failed"
    FRAUD_BLOCKED = "fraud.blocked"
    SESSION_CANCELLED = "session.cancelled"
    SESSION_EXPIRED = "session.expired"
    SESSION_FAILED = "session.failed"
    SESSION_LOCKED = "session.locked"
    SESSION_VERIFIED = "session.verified"

    def __str__(self) -> str:
        return str(self.value)
