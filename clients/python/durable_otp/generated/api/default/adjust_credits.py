from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.adjust_credits_response_400 import AdjustCreditsResponse400
from ...models.adjust_credits_response_401 import AdjustCreditsResponse401
from ...models.adjust_credits_response_404 import AdjustCreditsResponse404
from ...models.adjust_credits_response_413 import AdjustCreditsResponse413
from ...models.adjust_credits_response_415 import AdjustCreditsResponse415
from ...models.adjust_credits_response_500 import AdjustCreditsResponse500
from ...models.adjust_credits_response_503 import AdjustCreditsResponse503
from ...models.balance import Balance
from ...models.credit_change import CreditChange
from ...types import Response


def _get_kwargs(
    tenant: str,
    *,
    body: CreditChange,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/tenants/{tenant}/credits".format(
            tenant=quote(str(tenant), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    AdjustCreditsResponse400
    | AdjustCreditsResponse401
    | AdjustCreditsResponse404
    | AdjustCreditsResponse413
    | AdjustCreditsResponse415
    | AdjustCreditsResponse500
    | AdjustCreditsResponse503
    | Balance
    | None
):
    if response.status_code == 200:
        response_200 = Balance.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = AdjustCreditsResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = AdjustCreditsResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = AdjustCreditsResponse404.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = AdjustCreditsResponse413.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = AdjustCreditsResponse415.from_dict(response.json())

        return response_415

    if response.status_code == 500:
        response_500 = AdjustCreditsResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = AdjustCreditsResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    AdjustCreditsResponse400
    | AdjustCreditsResponse401
    | AdjustCreditsResponse404
    | AdjustCreditsResponse413
    | AdjustCreditsResponse415
    | AdjustCreditsResponse500
    | AdjustCreditsResponse503
    | Balance
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
    body: CreditChange,
) -> Response[
    AdjustCreditsResponse400
    | AdjustCreditsResponse401
    | AdjustCreditsResponse404
    | AdjustCreditsResponse413
    | AdjustCreditsResponse415
    | AdjustCreditsResponse500
    | AdjustCreditsResponse503
    | Balance
]:
    """Top up (add) or set a tenant's balance; kept in the credit store's audit trail

    Args:
        tenant (str):
        body (CreditChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdjustCreditsResponse400 | AdjustCreditsResponse401 | AdjustCreditsResponse404 | AdjustCreditsResponse413 | AdjustCreditsResponse415 | AdjustCreditsResponse500 | AdjustCreditsResponse503 | Balance]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant: str,
    *,
    client: AuthenticatedClient,
    body: CreditChange,
) -> (
    AdjustCreditsResponse400
    | AdjustCreditsResponse401
    | AdjustCreditsResponse404
    | AdjustCreditsResponse413
    | AdjustCreditsResponse415
    | AdjustCreditsResponse500
    | AdjustCreditsResponse503
    | Balance
    | None
):
    """Top up (add) or set a tenant's balance; kept in the credit store's audit trail

    Args:
        tenant (str):
        body (CreditChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdjustCreditsResponse400 | AdjustCreditsResponse401 | AdjustCreditsResponse404 | AdjustCreditsResponse413 | AdjustCreditsResponse415 | AdjustCreditsResponse500 | AdjustCreditsResponse503 | Balance
    """

    return sync_detailed(
        tenant=tenant,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient,
    body: CreditChange,
) -> Response[
    AdjustCreditsResponse400
    | AdjustCreditsResponse401
    | AdjustCreditsResponse404
    | AdjustCreditsResponse413
    | AdjustCreditsResponse415
    | AdjustCreditsResponse500
    | AdjustCreditsResponse503
    | Balance
]:
    """Top up (add) or set a tenant's balance; kept in the credit store's audit trail

    Args:
        tenant (str):
        body (CreditChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdjustCreditsResponse400 | AdjustCreditsResponse401 | AdjustCreditsResponse404 | AdjustCreditsResponse413 | AdjustCreditsResponse415 | AdjustCreditsResponse500 | AdjustCreditsResponse503 | Balance]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient,
    body: CreditChange,
) -> (
    AdjustCreditsResponse400
    | AdjustCreditsResponse401
    | AdjustCreditsResponse404
    | AdjustCreditsResponse413
    | AdjustCreditsResponse415
    | AdjustCreditsResponse500
    | AdjustCreditsResponse503
    | Balance
    | None
):
    """Top up (add) or set a tenant's balance; kept in the credit store's audit trail

    Args:
        tenant (str):
        body (CreditChange):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdjustCreditsResponse400 | AdjustCreditsResponse401 | AdjustCreditsResponse404 | AdjustCreditsResponse413 | AdjustCreditsResponse415 | AdjustCreditsResponse500 | AdjustCreditsResponse503 | Balance
    """

    return (
        await asyncio_detailed(
            tenant=tenant,
            client=client,
            body=body,
        )
    ).parsed
