from enum import StrEnum


class SessionListDataItemChannelsItem(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    VOICE = "voice"
    WHATSAPP = "whatsapp"

    def __str__(self) -> str:
        return str(self.value)
