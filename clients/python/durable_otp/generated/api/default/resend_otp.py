from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.resend_otp_response_400 import ResendOtpResponse400
from ...models.resend_otp_response_401 import ResendOtpResponse401
from ...models.resend_otp_response_402 import ResendOtpResponse402
from ...models.resend_otp_response_403 import ResendOtpResponse403
from ...models.resend_otp_response_413 import ResendOtpResponse413
from ...models.resend_otp_response_415 import ResendOtpResponse415
from ...models.resend_otp_response_429 import ResendOtpResponse429
from ...models.resend_otp_response_500 import ResendOtpResponse500
from ...models.resend_otp_response_503 import ResendOtpResponse503
from ...models.resend_response import ResendResponse
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
        "url": "/api/v1/otp/resend",
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ResendOtpResponse400
    | ResendOtpResponse401
    | ResendOtpResponse402
    | ResendOtpResponse403
    | ResendOtpResponse413
    | ResendOtpResponse415
    | ResendOtpResponse429
    | ResendOtpResponse500
    | ResendOtpResponse503
    | ResendResponse
    | None
):
    if response.status_code == 200:
        response_200 = ResendResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ResendOtpResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ResendOtpResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = ResendOtpResponse402.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = ResendOtpResponse403.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = ResendOtpResponse413.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ResendOtpResponse415.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = ResendOtpResponse429.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ResendOtpResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ResendOtpResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ResendOtpResponse400
    | ResendOtpResponse401
    | ResendOtpResponse402
    | ResendOtpResponse403
    | ResendOtpResponse413
    | ResendOtpResponse415
    | ResendOtpResponse429
    | ResendOtpResponse500
    | ResendOtpResponse503
    | ResendResponse
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
    ResendOtpResponse400
    | ResendOtpResponse401
    | ResendOtpResponse402
    | ResendOtpResponse403
    | ResendOtpResponse413
    | ResendOtpResponse415
    | ResendOtpResponse429
    | ResendOtpResponse500
    | ResendOtpResponse503
    | ResendResponse
]:
    """Send fresh codes to the unverified channels (or a subset)

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any): Give the session token as `token` or as `session_token` (one of them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ResendOtpResponse400 | ResendOtpResponse401 | ResendOtpResponse402 | ResendOtpResponse403 | ResendOtpResponse413 | ResendOtpResponse415 | ResendOtpResponse429 | ResendOtpResponse500 | ResendOtpResponse503 | ResendResponse]
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
    ResendOtpResponse400
    | ResendOtpResponse401
    | ResendOtpResponse402
    | ResendOtpResponse403
    | ResendOtpResponse413
    | ResendOtpResponse415
    | ResendOtpResponse429
    | ResendOtpResponse500
    | ResendOtpResponse503
    | ResendResponse
    | None
):
    """Send fresh codes to the unverified channels (or a subset)

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any): Give the session token as `token` or as `session_token` (one of them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ResendOtpResponse400 | ResendOtpResponse401 | ResendOtpResponse402 | ResendOtpResponse403 | ResendOtpResponse413 | ResendOtpResponse415 | ResendOtpResponse429 | ResendOtpResponse500 | ResendOtpResponse503 | ResendResponse
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
    ResendOtpResponse400
    | ResendOtpResponse401
    | ResendOtpResponse402
    | ResendOtpResponse403
    | ResendOtpResponse413
    | ResendOtpResponse415
    | ResendOtpResponse429
    | ResendOtpResponse500
    | ResendOtpResponse503
    | ResendResponse
]:
    """Send fresh codes to the unverified channels (or a subset)

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any): Give the session token as `token` or as `session_token` (one of them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ResendOtpResponse400 | ResendOtpResponse401 | ResendOtpResponse402 | ResendOtpResponse403 | ResendOtpResponse413 | ResendOtpResponse415 | ResendOtpResponse429 | ResendOtpResponse500 | ResendOtpResponse503 | ResendResponse]
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
    ResendOtpResponse400
    | ResendOtpResponse401
    | ResendOtpResponse402
    | ResendOtpResponse403
    | ResendOtpResponse413
    | ResendOtpResponse415
    | ResendOtpResponse429
    | ResendOtpResponse500
    | ResendOtpResponse503
    | ResendResponse
    | None
):
    """Send fresh codes to the unverified channels (or a subset)

    Args:
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)
        body (Any): Give the session token as `token` or as `session_token` (one of them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ResendOtpResponse400 | ResendOtpResponse401 | ResendOtpResponse402 | ResendOtpResponse403 | ResendOtpResponse413 | ResendOtpResponse415 | ResendOtpResponse429 | ResendOtpResponse500 | ResendOtpResponse503 | ResendResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
