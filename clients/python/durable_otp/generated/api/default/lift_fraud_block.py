from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.lift_fraud_block_response_400 import LiftFraudBlockResponse400
from ...models.lift_fraud_block_response_401 import LiftFraudBlockResponse401
from ...models.lift_fraud_block_response_404 import LiftFraudBlockResponse404
from ...models.lift_fraud_block_response_500 import LiftFraudBlockResponse500
from ...models.lift_fraud_block_response_503 import LiftFraudBlockResponse503
from ...models.lift_fraud_block_scope import LiftFraudBlockScope
from ...types import Response


def _get_kwargs(
    tenant: str,
    scope: LiftFraudBlockScope,
    key: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/admin/tenants/{tenant}/fraud/blocks/{scope}/{key}".format(
            tenant=quote(str(tenant), safe=""),
            scope=quote(str(scope), safe=""),
            key=quote(str(key), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    Any
    | LiftFraudBlockResponse400
    | LiftFraudBlockResponse401
    | LiftFraudBlockResponse404
    | LiftFraudBlockResponse500
    | LiftFraudBlockResponse503
    | None
):
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = LiftFraudBlockResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = LiftFraudBlockResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = LiftFraudBlockResponse404.from_dict(response.json())

        return response_404

    if response.status_code == 500:
        response_500 = LiftFraudBlockResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = LiftFraudBlockResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    Any
    | LiftFraudBlockResponse400
    | LiftFraudBlockResponse401
    | LiftFraudBlockResponse404
    | LiftFraudBlockResponse500
    | LiftFraudBlockResponse503
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    scope: LiftFraudBlockScope,
    key: str,
    *,
    client: AuthenticatedClient,
) -> Response[
    Any
    | LiftFraudBlockResponse400
    | LiftFraudBlockResponse401
    | LiftFraudBlockResponse404
    | LiftFraudBlockResponse500
    | LiftFraudBlockResponse503
]:
    """Lift one block of the pumping detector; the next block of it is still escalated

    Args:
        tenant (str):
        scope (LiftFraudBlockScope):
        key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | LiftFraudBlockResponse400 | LiftFraudBlockResponse401 | LiftFraudBlockResponse404 | LiftFraudBlockResponse500 | LiftFraudBlockResponse503]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        scope=scope,
        key=key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant: str,
    scope: LiftFraudBlockScope,
    key: str,
    *,
    client: AuthenticatedClient,
) -> (
    Any
    | LiftFraudBlockResponse400
    | LiftFraudBlockResponse401
    | LiftFraudBlockResponse404
    | LiftFraudBlockResponse500
    | LiftFraudBlockResponse503
    | None
):
    """Lift one block of the pumping detector; the next block of it is still escalated

    Args:
        tenant (str):
        scope (LiftFraudBlockScope):
        key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | LiftFraudBlockResponse400 | LiftFraudBlockResponse401 | LiftFraudBlockResponse404 | LiftFraudBlockResponse500 | LiftFraudBlockResponse503
    """

    return sync_detailed(
        tenant=tenant,
        scope=scope,
        key=key,
        client=client,
    ).parsed


async def asyncio_detailed(
    tenant: str,
    scope: LiftFraudBlockScope,
    key: str,
    *,
    client: AuthenticatedClient,
) -> Response[
    Any
    | LiftFraudBlockResponse400
    | LiftFraudBlockResponse401
    | LiftFraudBlockResponse404
    | LiftFraudBlockResponse500
    | LiftFraudBlockResponse503
]:
    """Lift one block of the pumping detector; the next block of it is still escalated

    Args:
        tenant (str):
        scope (LiftFraudBlockScope):
        key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | LiftFraudBlockResponse400 | LiftFraudBlockResponse401 | LiftFraudBlockResponse404 | LiftFraudBlockResponse500 | LiftFraudBlockResponse503]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        scope=scope,
        key=key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant: str,
    scope: LiftFraudBlockScope,
    key: str,
    *,
    client: AuthenticatedClient,
) -> (
    Any
    | LiftFraudBlockResponse400
    | LiftFraudBlockResponse401
    | LiftFraudBlockResponse404
    | LiftFraudBlockResponse500
    | LiftFraudBlockResponse503
    | None
):
    """Lift one block of the pumping detector; the next block of it is still escalated

    Args:
        tenant (str):
        scope (LiftFraudBlockScope):
        key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | LiftFraudBlockResponse400 | LiftFraudBlockResponse401 | LiftFraudBlockResponse404 | LiftFraudBlockResponse500 | LiftFraudBlockResponse503
    """

    return (
        await asyncio_detailed(
            tenant=tenant,
            scope=scope,
            key=key,
            client=client,
        )
    ).parsed
