from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fraud_overview import FraudOverview
from ...models.get_fraud_overview_response_401 import GetFraudOverviewResponse401
from ...models.get_fraud_overview_response_404 import GetFraudOverviewResponse404
from ...models.get_fraud_overview_response_500 import GetFraudOverviewResponse500
from ...models.get_fraud_overview_response_503 import GetFraudOverviewResponse503
from ...types import Response


def _get_kwargs(
    tenant: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/tenants/{tenant}/fraud".format(
            tenant=quote(str(tenant), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    FraudOverview
    | GetFraudOverviewResponse401
    | GetFraudOverviewResponse404
    | GetFraudOverviewResponse500
    | GetFraudOverviewResponse503
    | None
):
    if response.status_code == 200:
        response_200 = FraudOverview.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = GetFraudOverviewResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = GetFraudOverviewResponse404.from_dict(response.json())

        return response_404

    if response.status_code == 500:
        response_500 = GetFraudOverviewResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = GetFraudOverviewResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    FraudOverview
    | GetFraudOverviewResponse401
    | GetFraudOverviewResponse404
    | GetFraudOverviewResponse500
    | GetFraudOverviewResponse503
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient,
) -> Response[
    FraudOverview
    | GetFraudOverviewResponse401
    | GetFraudOverviewResponse404
    | GetFraudOverviewResponse500
    | GetFraudOverviewResponse503
]:
    """A tenant's fraud blocks in force and each country's sends and conversion in the window (SPEC §11)

    Args:
        tenant (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FraudOverview | GetFraudOverviewResponse401 | GetFraudOverviewResponse404 | GetFraudOverviewResponse500 | GetFraudOverviewResponse503]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant: str,
    *,
    client: AuthenticatedClient,
) -> (
    FraudOverview
    | GetFraudOverviewResponse401
    | GetFraudOverviewResponse404
    | GetFraudOverviewResponse500
    | GetFraudOverviewResponse503
    | None
):
    """A tenant's fraud blocks in force and each country's sends and conversion in the window (SPEC §11)

    Args:
        tenant (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FraudOverview | GetFraudOverviewResponse401 | GetFraudOverviewResponse404 | GetFraudOverviewResponse500 | GetFraudOverviewResponse503
    """

    return sync_detailed(
        tenant=tenant,
        client=client,
    ).parsed


async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient,
) -> Response[
    FraudOverview
    | GetFraudOverviewResponse401
    | GetFraudOverviewResponse404
    | GetFraudOverviewResponse500
    | GetFraudOverviewResponse503
]:
    """A tenant's fraud blocks in force and each country's sends and conversion in the window (SPEC §11)

    Args:
        tenant (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FraudOverview | GetFraudOverviewResponse401 | GetFraudOverviewResponse404 | GetFraudOverviewResponse500 | GetFraudOverviewResponse503]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient,
) -> (
    FraudOverview
    | GetFraudOverviewResponse401
    | GetFraudOverviewResponse404
    | GetFraudOverviewResponse500
    | GetFraudOverviewResponse503
    | None
):
    """A tenant's fraud blocks in force and each country's sends and conversion in the window (SPEC §11)

    Args:
        tenant (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FraudOverview | GetFraudOverviewResponse401 | GetFraudOverviewResponse404 | GetFraudOverviewResponse500 | GetFraudOverviewResponse503
    """

    return (
        await asyncio_detailed(
            tenant=tenant,
            client=client,
        )
    ).parsed
