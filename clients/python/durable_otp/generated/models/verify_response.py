from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.verify_response_pending_channels_item import (
    VerifyResponsePendingChannelsItem,
)
from ..models.verify_response_status import VerifyResponseStatus
from ..models.verify_response_verified_channels_item import (
    VerifyResponseVerifiedChannelsItem,
)

if TYPE_CHECKING:
    from ..models.verify_response_metadata import VerifyResponseMetadata
    from ..models.verify_response_results import VerifyResponseResults


T = TypeVar("T", bound="VerifyResponse")


@_attrs_define
class VerifyResponse:
    """
    Attributes:
        success (bool):
        status (VerifyResponseStatus):
        results (VerifyResponseResults):
        verified_channels (list[VerifyResponseVerifiedChannelsItem]):
        pending_channels (list[VerifyResponsePendingChannelsItem]):
        attempts_remaining (int):
        session_id (str):
        sandbox (bool): A sandbox session: its codes were handed to the caller, no message reached anyone
        metadata (VerifyResponseMetadata): A flat JSON object (string, number, boolean or null values), at most 4 KiB
    """

    success: bool
    status: VerifyResponseStatus
    results: VerifyResponseResults
    verified_channels: list[VerifyResponseVerifiedChannelsItem]
    pending_channels: list[VerifyResponsePendingChannelsItem]
    attempts_remaining: int
    session_id: str
    sandbox: bool
    metadata: VerifyResponseMetadata

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        status = self.status.value

        results = self.results.to_dict()

        verified_channels = []
        for verified_channels_item_data in self.verified_channels:
            verified_channels_item = verified_channels_item_data.value
            verified_channels.append(verified_channels_item)

        pending_channels = []
        for pending_channels_item_data in self.pending_channels:
            pending_channels_item = pending_channels_item_data.value
            pending_channels.append(pending_channels_item)

        attempts_remaining = self.attempts_remaining

        session_id = self.session_id

        sandbox = self.sandbox

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "success": success,
                "status": status,
                "results": results,
                "verified_channels": verified_channels,
                "pending_channels": pending_channels,
                "attempts_remaining": attempts_remaining,
                "session_id": session_id,
                "sandbox": sandbox,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.verify_response_metadata import VerifyResponseMetadata
        from ..models.verify_response_results import VerifyResponseResults

        d = dict(src_dict)
        success = d.pop("success")

        status = VerifyResponseStatus(d.pop("status"))

        results = VerifyResponseResults.from_dict(d.pop("results"))

        verified_channels = []
        _verified_channels = d.pop("verified_channels")
        for verified_channels_item_data in _verified_channels:
            verified_channels_item = VerifyResponseVerifiedChannelsItem(
                verified_channels_item_data
            )

            verified_channels.append(verified_channels_item)

        pending_channels = []
        _pending_channels = d.pop("pending_channels")
        for pending_channels_item_data in _pending_channels:
            pending_channels_item = VerifyResponsePendingChannelsItem(
                pending_channels_item_data
            )

            pending_channels.append(pending_channels_item)

        attempts_remaining = d.pop("attempts_remaining")

        session_id = d.pop("session_id")

        sandbox = d.pop("sandbox")

        metadata = VerifyResponseMetadata.from_dict(d.pop("metadata"))

        verify_response = cls(
            success=success,
            status=status,
            results=results,
            verified_channels=verified_channels,
            pending_channels=pending_channels,
            attempts_remaining=attempts_remaining,
            session_id=session_id,
            sandbox=sandbox,
            metadata=metadata,
        )

        return verify_response
