from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_session_response_400 import GetSessionResponse400
from ...models.get_session_response_401 import GetSessionResponse401
from ...models.get_session_response_500 import GetSessionResponse500
from ...models.get_session_response_503 import GetSessionResponse503
from ...models.session_detail import SessionDetail
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/otp/sessions/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    GetSessionResponse400
    | GetSessionResponse401
    | GetSessionResponse500
    | GetSessionResponse503
    | SessionDetail
    | None
):
    if response.status_code == 200:
        response_200 = SessionDetail.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = GetSessionResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = GetSessionResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = GetSessionResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = GetSessionResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    GetSessionResponse400
    | GetSessionResponse401
    | GetSessionResponse500
    | GetSessionResponse503
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
) -> Response[
    GetSessionResponse400
    | GetSessionResponse401
    | GetSessionResponse500
    | GetSessionResponse503
    | SessionDetail
]:
    """A session with its timeline and a link to its history in the Temporal UI

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetSessionResponse400 | GetSessionResponse401 | GetSessionResponse500 | GetSessionResponse503 | SessionDetail]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> (
    GetSessionResponse400
    | GetSessionResponse401
    | GetSessionResponse500
    | GetSessionResponse503
    | SessionDetail
    | None
):
    """A session with its timeline and a link to its history in the Temporal UI

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetSessionResponse400 | GetSessionResponse401 | GetSessionResponse500 | GetSessionResponse503 | SessionDetail
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    GetSessionResponse400
    | GetSessionResponse401
    | GetSessionResponse500
    | GetSessionResponse503
    | SessionDetail
]:
    """A session with its timeline and a link to its history in the Temporal UI

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetSessionResponse400 | GetSessionResponse401 | GetSessionResponse500 | GetSessionResponse503 | SessionDetail]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> (
    GetSessionResponse400
    | GetSessionResponse401
    | GetSessionResponse500
    | GetSessionResponse503
    | SessionDetail
    | None
):
    """A session with its timeline and a link to its history in the Temporal UI

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetSessionResponse400 | GetSessionResponse401 | GetSessionResponse500 | GetSessionResponse503 | SessionDetail
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
