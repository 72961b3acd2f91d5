from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.balance import Balance
from ...models.get_balance_response_401 import GetBalanceResponse401
from ...models.get_balance_response_500 import GetBalanceResponse500
from ...models.get_balance_response_503 import GetBalanceResponse503
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/otp/balance",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    Balance
    | GetBalanceResponse401
    | GetBalanceResponse500
    | GetBalanceResponse503
    | None
):
    if response.status_code == 200:
        response_200 = Balance.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = GetBalanceResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = GetBalanceResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = GetBalanceResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    Balance | GetBalanceResponse401 | GetBalanceResponse500 | GetBalanceResponse503
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
) -> Response[
    Balance | GetBalanceResponse401 | GetBalanceResponse500 | GetBalanceResponse503
]:
    """The caller's tenant balance in credits (null: no balance limit)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Balance | GetBalanceResponse401 | GetBalanceResponse500 | GetBalanceResponse503]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> (
    Balance
    | GetBalanceResponse401
    | GetBalanceResponse500
    | GetBalanceResponse503
    | None
):
    """The caller's tenant balance in credits (null: no balance limit)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Balance | GetBalanceResponse401 | GetBalanceResponse500 | GetBalanceResponse503
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    Balance | GetBalanceResponse401 | GetBalanceResponse500 | GetBalanceResponse503
]:
    """The caller's tenant balance in credits (null: no balance limit)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Balance | GetBalanceResponse401 | GetBalanceResponse500 | GetBalanceResponse503]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> (
    Balance
    | GetBalanceResponse401
    | GetBalanceResponse500
    | GetBalanceResponse503
    | None
):
    """The caller's tenant balance in credits (null: no balance limit)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Balance | GetBalanceResponse401 | GetBalanceResponse500 | GetBalanceResponse503
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
