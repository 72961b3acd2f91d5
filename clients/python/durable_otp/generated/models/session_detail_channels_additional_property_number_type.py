from enum import StrEnum


class SessionDetailChannelsAdditionalPropertyNumberType(StrEnum):
    FIXED_LINE = "FIXED_LINE"
    FIXED_LINE_OR_MOBILE = "FIXED_LINE_OR_MOBILE"
    MOBILE = "MOBILE"
    PAGER = "PAGER"
    PERSONAL_NUMBER = "PERSONAL_NUMBER"
    PREMIUM_RATE = "PREMIUM_RATE"
    SHARED_COST = "SHARED_COST"
    TOLL_FREE = "TOLL_FREE"
    UAN = "UAN"
    UNKNOWN = "UNKNOWN"
    VOICEMAIL = "VOICEMAIL"
    VOIP = "VOIP"

    def __str__(self) -> str:
        return str(self.value)
