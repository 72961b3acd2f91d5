from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.send_otp_response_400 import SendOtpResponse400
from ...models.send_otp_response_401 import SendOtpResponse401
from ...models.send_otp_response_402 import SendOtpResponse402
from ...models.send_otp_response_403 import SendOtpResponse403
from ...models.send_otp_response_413 import SendOtpResponse413
from ...models.send_otp_response_415 import SendOtpResponse415
from ...models.send_otp_response_422 import SendOtpResponse422
from ...models.send_otp_response_429 import SendOtpResponse429
from ...models.send_otp_response_500 import SendOtpResponse500
from ...models.send_otp_response_503 import SendOtpResponse503
from ...models.send_response import SendResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: Any,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/otp/send",
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    SendOtpResponse400
    | SendOtpResponse401
    | SendOtpResponse402
    | SendOtpResponse403
    | SendOtpResponse413
    | SendOtpResponse415
    | SendOtpResponse422
    | SendOtpResponse429
    | SendOtpResponse500
    | SendOtpResponse503
    | SendResponse
    | None
):
    if response.status_code == 201:
        response_201 = SendResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = SendOtpResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = SendOtpResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = SendOtpResponse402.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = SendOtpResponse403.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = SendOtpResponse413.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = SendOtpResponse415.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = SendOtpResponse422.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = SendOtpResponse429.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = SendOtpResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = SendOtpResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    SendOtpResponse400
    | SendOtpResponse401
    | SendOtpResponse402
    | SendOtpResponse403
    | SendOtpResponse413
    | SendOtpResponse415
    | SendOtpResponse422
    | SendOtpResponse429
    | SendOtpResponse500
    | SendOtpResponse503
    | SendResponse
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
    body: Any,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    SendOtpResponse400
    | SendOtpResponse401
    | SendOtpResponse402
    | SendOtpResponse403
    | SendOtpResponse413
    | SendOtpResponse415
    | SendOtpResponse422
    | SendOtpResponse429
    | SendOtpResponse500
    | SendOtpResponse503
    | SendResponse
]:
    """Start a verification session and send a code on each channel

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SendOtpResponse400 | SendOtpResponse401 | SendOtpResponse402 | SendOtpResponse403 | SendOtpResponse413 | SendOtpResponse415 | SendOtpResponse422 | SendOtpResponse429 | SendOtpResponse500 | SendOtpResponse503 | SendResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
    idempotency_key: str | Unset = UNSET,
) -> (
    SendOtpResponse400
    | SendOtpResponse401
    | SendOtpResponse402
    | SendOtpResponse403
    | SendOtpResponse413
    | SendOtpResponse415
    | SendOtpResponse422
    | SendOtpResponse429
    | SendOtpResponse500
    | SendOtpResponse503
    | SendResponse
    | None
):
    """Start a verification session and send a code on each channel

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SendOtpResponse400 | SendOtpResponse401 | SendOtpResponse402 | SendOtpResponse403 | SendOtpResponse413 | SendOtpResponse415 | SendOtpResponse422 | SendOtpResponse429 | SendOtpResponse500 | SendOtpResponse503 | SendResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    SendOtpResponse400
    | SendOtpResponse401
    | SendOtpResponse402
    | SendOtpResponse403
    | SendOtpResponse413
    | SendOtpResponse415
    | SendOtpResponse422
    | SendOtpResponse429
    | SendOtpResponse500
    | SendOtpResponse503
    | SendResponse
]:
    """Start a verification session and send a code on each channel

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SendOtpResponse400 | SendOtpResponse401 | SendOtpResponse402 | SendOtpResponse403 | SendOtpResponse413 | SendOtpResponse415 | SendOtpResponse422 | SendOtpResponse429 | SendOtpResponse500 | SendOtpResponse503 | SendResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: Any,
    idempotency_key: str | Unset = UNSET,
) -> (
    SendOtpResponse400
    | SendOtpResponse401
    | SendOtpResponse402
    | SendOtpResponse403
    | SendOtpResponse413
    | SendOtpResponse415
    | SendOtpResponse422
    | SendOtpResponse429
    | SendOtpResponse500
    | SendOtpResponse503
    | SendResponse
    | None
):
    """Start a verification session and send a code on each channel

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SendOtpResponse400 | SendOtpResponse401 | SendOtpResponse402 | SendOtpResponse403 | SendOtpResponse413 | SendOtpResponse415 | SendOtpResponse422 | SendOtpResponse429 | SendOtpResponse500 | SendOtpResponse503 | SendResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
