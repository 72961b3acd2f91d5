from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.session_detail_key_mode import SessionDetailKeyMode
from ..models.session_detail_pending_channels_item import (
    SessionDetailPendingChannelsItem,
)
from ..models.session_detail_status import SessionDetailStatus
from ..models.session_detail_verified_channels_item import (
    SessionDetailVerifiedChannelsItem,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.session_detail_attempts import SessionDetailAttempts
    from ..models.session_detail_channels import SessionDetailChannels
    from ..models.session_detail_config import SessionDetailConfig
    from ..models.session_detail_events_item import SessionDetailEventsItem
    from ..models.session_detail_fallback import SessionDetailFallback
    from ..models.session_detail_metadata import SessionDetailMetadata
    from ..models.session_detail_resends import SessionDetailResends
    from ..models.session_detail_verification_type_0 import (
        SessionDetailVerificationType0,
    )
    from ..models.session_detail_verification_type_1 import (
        SessionDetailVerificationType1,
    )
    from ..models.session_detail_verification_type_2 import (
        SessionDetailVerificationType2,
    )


T = TypeVar("T", bound="SessionDetail")


@_attrs_define
class SessionDetail:
    """
    Attributes:
        session_id (str):
        tenant_id (str):
        status (SessionDetailStatus):
        sandbox (bool): A sandbox session: its codes were handed to the caller, no message reached anyone
        key_mode (SessionDetailKeyMode): The mode of the key that opened the session; only keys of that mode see it
        locale (str): The language of its messages, a BCP 47 tag (SPEC §12)
        channels (SessionDetailChannels):
        verification (SessionDetailVerificationType0 | SessionDetailVerificationType1 | SessionDetailVerificationType2):
        verified_channels (list[SessionDetailVerifiedChannelsItem]):
        pending_channels (list[SessionDetailPendingChannelsItem]):
        attempts (SessionDetailAttempts):
        resends (SessionDetailResends):
        config (SessionDetailConfig):
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
        locked_until (datetime.datetime | None):
        metadata (SessionDetailMetadata): A flat JSON object (string, number, boolean or null values), at most 4 KiB
        events (list[SessionDetailEventsItem]):
        cost (int): Credits the live messages of this session cost (0 for sandbox)
        temporal_ui_url (None | str): The session's history in the Temporal Web UI (null when no UI is configured)
        fallback (SessionDetailFallback | Unset):
    """

    session_id: str
    tenant_id: str
    status: SessionDetailStatus
    sandbox: bool
    key_mode: SessionDetailKeyMode
    locale: str
    channels: SessionDetailChannels
    verification: (
        SessionDetailVerificationType0
        | SessionDetailVerificationType1
        | SessionDetailVerificationType2
    )
    verified_channels: list[SessionDetailVerifiedChannelsItem]
    pending_channels: list[SessionDetailPendingChannelsItem]
    attempts: SessionDetailAttempts
    resends: SessionDetailResends
    config: SessionDetailConfig
    created_at: datetime.datetime
    expires_at: datetime.datetime
    locked_until: datetime.datetime | None
    metadata: SessionDetailMetadata
    events: list[SessionDetailEventsItem]
    cost: int
    temporal_ui_url: None | str
    fallback: SessionDetailFallback | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.session_detail_verification_type_0 import (
            SessionDetailVerificationType0,
        )
        from ..models.session_detail_verification_type_1 import (
            SessionDetailVerificationType1,
        )

        session_id = self.session_id

        tenant_id = self.tenant_id

        status = self.status.value

        sandbox = self.sandbox

        key_mode = self.key_mode.value

        locale = self.locale

        channels = self.channels.to_dict()

        verification: dict[str, Any]
        if isinstance(self.verification, SessionDetailVerificationType0) or isinstance(
            self.verification, SessionDetailVerificationType1
        ):
            verification = self.verification.to_dict()
        else:
            verification = self.verification.to_dict()

        verified_channels = []
        for verified_channels_item_data in self.verified_channels:
            verified_channels_item = verified_channels_item_data.value
            verified_channels.append(verified_channels_item)

        pending_channels = []
        for pending_channels_item_data in self.pending_channels:
            pending_channels_item = pending_channels_item_data.value
            pending_channels.append(pending_channels_item)

        attempts = self.attempts.to_dict()

        resends = self.resends.to_dict()

        config = self.config.to_dict()

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        locked_until: None | str
        if isinstance(self.locked_until, datetime.datetime):
            locked_until = self.locked_until.isoformat()
        else:
            locked_until = self.locked_until

        metadata = self.metadata.to_dict()

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        cost = self.cost

        temporal_ui_url: None | str
        temporal_ui_url = self.temporal_ui_url

        fallback: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fallback, Unset):
            fallback = self.fallback.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "session_id": session_id,
                "tenant_id": tenant_id,
                "status": status,
                "sandbox": sandbox,
                "key_mode": key_mode,
                "locale": locale,
                "channels": channels,
                "verification": verification,
                "verified_channels": verified_channels,
                "pending_channels": pending_channels,
                "attempts": attempts,
                "resends": resends,
                "config": config,
                "created_at": created_at,
                "expires_at": expires_at,
                "locked_until": locked_until,
                "metadata": metadata,
                "events": events,
                "cost": cost,
                "temporal_ui_url": temporal_ui_url,
            }
        )
        if fallback is not UNSET:
            field_dict["fallback"] = fallback

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.session_detail_attempts import SessionDetailAttempts
        from ..models.session_detail_channels import SessionDetailChannels
        from ..models.session_detail_config import SessionDetailConfig
        from ..models.session_detail_events_item import SessionDetailEventsItem
        from ..models.session_detail_fallback import SessionDetailFallback
        from ..models.session_detail_metadata import SessionDetailMetadata
        from ..models.session_detail_resends import SessionDetailResends
        from ..models.session_detail_verification_type_0 import (
            SessionDetailVerificationType0,
        )
        from ..models.session_detail_verification_type_1 import (
            SessionDetailVerificationType1,
        )
        from ..models.session_detail_verification_type_2 import (
            SessionDetailVerificationType2,
        )

        d = dict(src_dict)
        session_id = d.pop("session_id")

        tenant_id = d.pop("tenant_id")

        status = SessionDetailStatus(d.pop("status"))

        sandbox = d.pop("sandbox")

        key_mode = SessionDetailKeyMode(d.pop("key_mode"))

        locale = d.pop("locale")

        channels = SessionDetailChannels.from_dict(d.pop("channels"))

        def _parse_verification(
            data: object,
        ) -> (
            SessionDetailVerificationType0
            | SessionDetailVerificationType1
            | SessionDetailVerificationType2
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                verification_type_0 = SessionDetailVerificationType0.from_dict(data)

                return verification_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                verification_type_1 = SessionDetailVerificationType1.from_dict(data)

                return verification_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            verification_type_2 = SessionDetailVerificationType2.from_dict(data)

            return verification_type_2

        verification = _parse_verification(d.pop("verification"))

        verified_channels = []
        _verified_channels = d.pop("verified_channels")
        for verified_channels_item_data in _verified_channels:
            verified_channels_item = SessionDetailVerifiedChannelsItem(
                verified_channels_item_data
            )

            verified_channels.append(verified_channels_item)

        pending_channels = []
        _pending_channels = d.pop("pending_channels")
        for pending_channels_item_data in _pending_channels:
            pending_channels_item = SessionDetailPendingChannelsItem(
                pending_channels_item_data
            )

            pending_channels.append(pending_channels_item)

        attempts = SessionDetailAttempts.from_dict(d.pop("attempts"))

        resends = SessionDetailResends.from_dict(d.pop("resends"))

        config = SessionDetailConfig.from_dict(d.pop("config"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_locked_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                locked_until_type_0 = datetime.datetime.fromisoformat(data)

                return locked_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        locked_until = _parse_locked_until(d.pop("locked_until"))

        metadata = SessionDetailMetadata.from_dict(d.pop("metadata"))

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = SessionDetailEventsItem.from_dict(events_item_data)

            events.append(events_item)

        cost = d.pop("cost")

        def _parse_temporal_ui_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        temporal_ui_url = _parse_temporal_ui_url(d.pop("temporal_ui_url"))

        _fallback = d.pop("fallback", UNSET)
        fallback: SessionDetailFallback | Unset
        if isinstance(_fallback, Unset):
            fallback = UNSET
        else:
            fallback = SessionDetailFallback.from_dict(_fallback)

        session_detail = cls(
            session_id=session_id,
            tenant_id=tenant_id,
            status=status,
            sandbox=sandbox,
            key_mode=key_mode,
            locale=locale,
            channels=channels,
            verification=verification,
            verified_channels=verified_channels,
            pending_channels=pending_channels,
            attempts=attempts,
            resends=resends,
            config=config,
            created_at=created_at,
            expires_at=expires_at,
            locked_until=locked_until,
            metadata=metadata,
            events=events,
            cost=cost,
            temporal_ui_url=temporal_ui_url,
            fallback=fallback,
        )

        return session_detail
