from enum import StrEnum


class SessionDetailEventsItemType(StrEnum):
    ATTEMPT_FAILED = "attempt_failed"
    CANCELLED = "cancelled"
    CREATED = "created"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    EXPIRED = "expired"
    FAILED = "failed"
    FALLBACK = "fallback"
    FALLBACK_REFUSED = "fallback_refused"
    LOCKED = "locked"
    RESENT = "resent"
    SENT = "sent"
    UNDELIVERED = "undelivered"
    UNLOCKED = "unlocked"
    VERIFIED = "verified"
    WEBHOOK_FAILED = "webhook_failed"
    WEBHOOK_SENT = "webhook_sent"

    def __str__(self) -> str:
        return str(self.value)
