from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.verify_otp_response_400 import VerifyOtpResponse400
from ...models.verify_otp_response_401 import VerifyOtpResponse401
from ...models.verify_otp_response_413 import VerifyOtpResponse413
from ...models.verify_otp_response_415 import VerifyOtpResponse415
from ...models.verify_otp_response_429 import VerifyOtpResponse429
from ...models.verify_otp_response_500 import VerifyOtpResponse500
from ...models.verify_otp_response_503 import VerifyOtpResponse503
from ...models.verify_response import VerifyResponse
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
        "url": "/api/v1/otp/verify",
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    VerifyOtpResponse400
    | VerifyOtpResponse401
    | VerifyOtpResponse413
    | VerifyOtpResponse415
    | VerifyOtpResponse429
    | VerifyOtpResponse500
    | VerifyOtpResponse503
    | VerifyResponse
    | None
):
    if response.status_code == 200:
        response_200 = VerifyResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = VerifyOtpResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = VerifyOtpResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = VerifyOtpResponse413.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = VerifyOtpResponse415.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = VerifyOtpResponse429.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = VerifyOtpResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = VerifyOtpResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    VerifyOtpResponse400
    | VerifyOtpResponse401
    | VerifyOtpResponse413
    | VerifyOtpResponse415
    | VerifyOtpResponse429
    | VerifyOtpResponse500
    | VerifyOtpResponse503
    | VerifyResponse
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
    VerifyOtpResponse400
    | VerifyOtpResponse401
    | VerifyOtpResponse413
    | VerifyOtpResponse415
    | VerifyOtpResponse429
    | VerifyOtpResponse500
    | VerifyOtpResponse503
    | VerifyResponse
]:
    """Check submitted codes (any subset of the channels, in any number of calls)

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any): Give the session token as `token` or as `session_token` (one of them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VerifyOtpResponse400 | VerifyOtpResponse401 | VerifyOtpResponse413 | VerifyOtpResponse415 | VerifyOtpResponse429 | VerifyOtpResponse500 | VerifyOtpResponse503 | VerifyResponse]
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
    VerifyOtpResponse400
    | VerifyOtpResponse401
    | VerifyOtpResponse413
    | VerifyOtpResponse415
    | VerifyOtpResponse429
    | VerifyOtpResponse500
    | VerifyOtpResponse503
    | VerifyResponse
    | None
):
    """Check submitted codes (any subset of the channels, in any number of calls)

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any): Give the session token as `token` or as `session_token` (one of them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VerifyOtpResponse400 | VerifyOtpResponse401 | VerifyOtpResponse413 | VerifyOtpResponse415 | VerifyOtpResponse429 | VerifyOtpResponse500 | VerifyOtpResponse503 | VerifyResponse
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
    VerifyOtpResponse400
    | VerifyOtpResponse401
    | VerifyOtpResponse413
    | VerifyOtpResponse415
    | VerifyOtpResponse429
    | VerifyOtpResponse500
    | VerifyOtpResponse503
    | VerifyResponse
]:
    """Check submitted codes (any subset of the channels, in any number of calls)

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any): Give the session token as `token` or as `session_token` (one of them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VerifyOtpResponse400 | VerifyOtpResponse401 | VerifyOtpResponse413 | VerifyOtpResponse415 | VerifyOtpResponse429 | VerifyOtpResponse500 | VerifyOtpResponse503 | VerifyResponse]
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
    VerifyOtpResponse400
    | VerifyOtpResponse401
    | VerifyOtpResponse413
    | VerifyOtpResponse415
    | VerifyOtpResponse429
    | VerifyOtpResponse500
    | VerifyOtpResponse503
    | VerifyResponse
    | None
):
    """Check submitted codes (any subset of the channels, in any number of calls)

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any): Give the session token as `token` or as `session_token` (one of them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VerifyOtpResponse400 | VerifyOtpResponse401 | VerifyOtpResponse413 | VerifyOtpResponse415 | VerifyOtpResponse429 | VerifyOtpResponse500 | VerifyOtpResponse503 | VerifyResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
