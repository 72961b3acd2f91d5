from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.twilio_status_callback_body import TwilioStatusCallbackBody
from ...models.twilio_status_callback_response_403 import (
    TwilioStatusCallbackResponse403,
)
from ...models.twilio_status_callback_response_413 import (
    TwilioStatusCallbackResponse413,
)
from ...models.twilio_status_callback_response_415 import (
    TwilioStatusCallbackResponse415,
)
from ...models.twilio_status_callback_response_500 import (
    TwilioStatusCallbackResponse500,
)
from ...models.twilio_status_callback_response_503 import (
    TwilioStatusCallbackResponse503,
)
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: TwilioStatusCallbackBody,
    workflow: str,
    channel: str,
    issue: str,
    x_twilio_signature: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-Twilio-Signature"] = x_twilio_signature

    params: dict[str, Any] = {}

    params["workflow"] = workflow

    params["channel"] = channel

    params["issue"] = issue

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/otp/providers/twilio/status",
        "params": params,
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    Any
    | TwilioStatusCallbackResponse403
    | TwilioStatusCallbackResponse413
    | TwilioStatusCallbackResponse415
    | TwilioStatusCallbackResponse500
    | TwilioStatusCallbackResponse503
    | None
):
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 403:
        response_403 = TwilioStatusCallbackResponse403.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = TwilioStatusCallbackResponse413.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = TwilioStatusCallbackResponse415.from_dict(response.json())

        return response_415

    if response.status_code == 500:
        response_500 = TwilioStatusCallbackResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = TwilioStatusCallbackResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    Any
    | TwilioStatusCallbackResponse403
    | TwilioStatusCallbackResponse413
    | TwilioStatusCallbackResponse415
    | TwilioStatusCallbackResponse500
    | TwilioStatusCallbackResponse503
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TwilioStatusCallbackBody,
    workflow: str,
    channel: str,
    issue: str,
    x_twilio_signature: str,
) -> Response[
    Any
    | TwilioStatusCallbackResponse403
    | TwilioStatusCallbackResponse413
    | TwilioStatusCallbackResponse415
    | TwilioStatusCallbackResponse500
    | TwilioStatusCallbackResponse503
]:
    """Twilio's delivery receipts (SPEC §9): for Twilio, not for clients

     Believed only with a valid X-Twilio-Signature over the exact StatusCallback URL the product gave
    Twilio (PUBLIC_BASE_URL, this path and its query) and the posted parameters. A final message status
    (delivered, read, undelivered, failed) or a call's end (completed; busy, no-answer, failed,
    canceled) moves the channel's delivery; anything else, an unknown message or call id or an ended
    session changes nothing.

    Args:
        workflow (str):
        channel (str):
        issue (str):
        x_twilio_signature (str):
        body (TwilioStatusCallbackBody): A message's callback (MessageSid, MessageStatus) or a
            call's (CallSid, CallStatus)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | TwilioStatusCallbackResponse403 | TwilioStatusCallbackResponse413 | TwilioStatusCallbackResponse415 | TwilioStatusCallbackResponse500 | TwilioStatusCallbackResponse503]
    """

    kwargs = _get_kwargs(
        body=body,
        workflow=workflow,
        channel=channel,
        issue=issue,
        x_twilio_signature=x_twilio_signature,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: TwilioStatusCallbackBody,
    workflow: str,
    channel: str,
    issue: str,
    x_twilio_signature: str,
) -> (
    Any
    | TwilioStatusCallbackResponse403
    | TwilioStatusCallbackResponse413
    | TwilioStatusCallbackResponse415
    | TwilioStatusCallbackResponse500
    | TwilioStatusCallbackResponse503
    | None
):
    """Twilio's delivery receipts (SPEC §9): for Twilio, not for clients

     Believed only with a valid X-Twilio-Signature over the exact StatusCallback URL the product gave
    Twilio (PUBLIC_BASE_URL, this path and its query) and the posted parameters. A final message status
    (delivered, read, undelivered, failed) or a call's end (completed; busy, no-answer, failed,
    canceled) moves the channel's delivery; anything else, an unknown message or call id or an ended
    session changes nothing.

    Args:
        workflow (str):
        channel (str):
        issue (str):
        x_twilio_signature (str):
        body (TwilioStatusCallbackBody): A message's callback (MessageSid, MessageStatus) or a
            call's (CallSid, CallStatus)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | TwilioStatusCallbackResponse403 | TwilioStatusCallbackResponse413 | TwilioStatusCallbackResponse415 | TwilioStatusCallbackResponse500 | TwilioStatusCallbackResponse503
    """

    return sync_detailed(
        client=client,
        body=body,
        workflow=workflow,
        channel=channel,
        issue=issue,
        x_twilio_signature=x_twilio_signature,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TwilioStatusCallbackBody,
    workflow: str,
    channel: str,
    issue: str,
    x_twilio_signature: str,
) -> Response[
    Any
    | TwilioStatusCallbackResponse403
    | TwilioStatusCallbackResponse413
    | TwilioStatusCallbackResponse415
    | TwilioStatusCallbackResponse500
    | TwilioStatusCallbackResponse503
]:
    """Twilio's delivery receipts (SPEC §9): for Twilio, not for clients

     Believed only with a valid X-Twilio-Signature over the exact StatusCallback URL the product gave
    Twilio (PUBLIC_BASE_URL, this path and its query) and the posted parameters. A final message status
    (delivered, read, undelivered, failed) or a call's end (completed; busy, no-answer, failed,
    canceled) moves the channel's delivery; anything else, an unknown message or call id or an ended
    session changes nothing.

    Args:
        workflow (str):
        channel (str):
        issue (str):
        x_twilio_signature (str):
        body (TwilioStatusCallbackBody): A message's callback (MessageSid, MessageStatus) or a
            call's (CallSid, CallStatus)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | TwilioStatusCallbackResponse403 | TwilioStatusCallbackResponse413 | TwilioStatusCallbackResponse415 | TwilioStatusCallbackResponse500 | TwilioStatusCallbackResponse503]
    """

    kwargs = _get_kwargs(
        body=body,
        workflow=workflow,
        channel=channel,
        issue=issue,
        x_twilio_signature=x_twilio_signature,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TwilioStatusCallbackBody,
    workflow: str,
    channel: str,
    issue: str,
    x_twilio_signature: str,
) -> (
    Any
    | TwilioStatusCallbackResponse403
    | TwilioStatusCallbackResponse413
    | TwilioStatusCallbackResponse415
    | TwilioStatusCallbackResponse500
    | TwilioStatusCallbackResponse503
    | None
):
    """Twilio's delivery receipts (SPEC §9): for Twilio, not for clients

     Believed only with a valid X-Twilio-Signature over the exact StatusCallback URL the product gave
    Twilio (PUBLIC_BASE_URL, this path and its query) and the posted parameters. A final message status
    (delivered, read, undelivered, failed) or a call's end (completed; busy, no-answer, failed,
    canceled) moves the channel's delivery; anything else, an unknown message or call id or an ended
    session changes nothing.

    Args:
        workflow (str):
        channel (str):
        issue (str):
        x_twilio_signature (str):
        body (TwilioStatusCallbackBody): A message's callback (MessageSid, MessageStatus) or a
            call's (CallSid, CallStatus)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | TwilioStatusCallbackResponse403 | TwilioStatusCallbackResponse413 | TwilioStatusCallbackResponse415 | TwilioStatusCallbackResponse500 | TwilioStatusCallbackResponse503
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            workflow=workflow,
            channel=channel,
            issue=issue,
            x_twilio_signature=x_twilio_signature,
        )
    ).parsed
