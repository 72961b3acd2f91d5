from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cancel_session_response_400 import CancelSessionResponse400
from ...models.cancel_session_response_401 import CancelSessionResponse401
from ...models.cancel_session_response_413 import CancelSessionResponse413
from ...models.cancel_session_response_415 import CancelSessionResponse415
from ...models.cancel_session_response_500 import CancelSessionResponse500
from ...models.cancel_session_response_503 import CancelSessionResponse503
from ...models.session_detail import SessionDetail
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/otp/sessions/{id}/cancel".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    CancelSessionResponse400
    | CancelSessionResponse401
    | CancelSessionResponse413
    | CancelSessionResponse415
    | CancelSessionResponse500
    | CancelSessionResponse503
    | SessionDetail
    | None
):
    if response.status_code == 200:
        response_200 = SessionDetail.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = CancelSessionResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = CancelSessionResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = CancelSessionResponse413.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = CancelSessionResponse415.from_dict(response.json())

        return response_415

    if response.status_code == 500:
        response_500 = CancelSessionResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = CancelSessionResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    CancelSessionResponse400
    | CancelSessionResponse401
    | CancelSessionResponse413
    | CancelSessionResponse415
    | CancelSessionResponse500
    | CancelSessionResponse503
    | SessionDetail
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    CancelSessionResponse400
    | CancelSessionResponse401
    | CancelSessionResponse413
    | CancelSessionResponse415
    | CancelSessionResponse500
    | CancelSessionResponse503
    | SessionDetail
]:
    """End a pending, partial or locked session

    Args:
        id (str):
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelSessionResponse400 | CancelSessionResponse401 | CancelSessionResponse413 | CancelSessionResponse415 | CancelSessionResponse500 | CancelSessionResponse503 | SessionDetail]
    """

    kwargs = _get_kwargs(
        id=id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> (
    CancelSessionResponse400
    | CancelSessionResponse401
    | CancelSessionResponse413
    | CancelSessionResponse415
    | CancelSessionResponse500
    | CancelSessionResponse503
    | SessionDetail
    | None
):
    """End a pending, partial or locked session

    Args:
        id (str):
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelSessionResponse400 | CancelSessionResponse401 | CancelSessionResponse413 | CancelSessionResponse415 | CancelSessionResponse500 | CancelSessionResponse503 | SessionDetail
    """

    return sync_detailed(
        id=id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    CancelSessionResponse400
    | CancelSessionResponse401
    | CancelSessionResponse413
    | CancelSessionResponse415
    | CancelSessionResponse500
    | CancelSessionResponse503
    | SessionDetail
]:
    """End a pending, partial or locked session

    Args:
        id (str):
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelSessionResponse400 | CancelSessionResponse401 | CancelSessionResponse413 | CancelSessionResponse415 | CancelSessionResponse500 | CancelSessionResponse503 | SessionDetail]
    """

    kwargs = _get_kwargs(
        id=id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> (
    CancelSessionResponse400
    | CancelSessionResponse401
    | CancelSessionResponse413
    | CancelSessionResponse415
    | CancelSessionResponse500
    | CancelSessionResponse503
    | SessionDetail
    | None
):
    """End a pending, partial or locked session

    Args:
        id (str):
        idempotency_key (str | Unset): 1–255 printable ASCII characters (0x21–0x7E: no spaces, no
            control characters)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelSessionResponse400 | CancelSessionResponse401 | CancelSessionResponse413 | CancelSessionResponse415 | CancelSessionResponse500 | CancelSessionResponse503 | SessionDetail
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
