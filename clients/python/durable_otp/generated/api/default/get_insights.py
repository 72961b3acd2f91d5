import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_insights_group_by import GetInsightsGroupBy
from ...models.get_insights_response_400 import GetInsightsResponse400
from ...models.get_insights_response_401 import GetInsightsResponse401
from ...models.get_insights_response_500 import GetInsightsResponse500
from ...models.get_insights_response_503 import GetInsightsResponse503
from ...models.insights import Insights
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: GetInsightsGroupBy | Unset = GetInsightsGroupBy.CHANNEL,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    json_group_by: str | Unset = UNSET
    if not isinstance(group_by, Unset):
        json_group_by = group_by.value

    params["group_by"] = json_group_by

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/otp/insights",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    GetInsightsResponse400
    | GetInsightsResponse401
    | GetInsightsResponse500
    | GetInsightsResponse503
    | Insights
    | None
):
    if response.status_code == 200:
        response_200 = Insights.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = GetInsightsResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = GetInsightsResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = GetInsightsResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = GetInsightsResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    GetInsightsResponse400
    | GetInsightsResponse401
    | GetInsightsResponse500
    | GetInsightsResponse503
    | Insights
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
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: GetInsightsGroupBy | Unset = GetInsightsGroupBy.CHANNEL,
) -> Response[
    GetInsightsResponse400
    | GetInsightsResponse401
    | GetInsightsResponse500
    | GetInsightsResponse503
    | Insights
]:
    """Sends, verified sessions, conversion and credits per day, for the caller's tenant and key mode

    Args:
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        group_by (GetInsightsGroupBy | Unset):  Default: GetInsightsGroupBy.CHANNEL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetInsightsResponse400 | GetInsightsResponse401 | GetInsightsResponse500 | GetInsightsResponse503 | Insights]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        group_by=group_by,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: GetInsightsGroupBy | Unset = GetInsightsGroupBy.CHANNEL,
) -> (
    GetInsightsResponse400
    | GetInsightsResponse401
    | GetInsightsResponse500
    | GetInsightsResponse503
    | Insights
    | None
):
    """Sends, verified sessions, conversion and credits per day, for the caller's tenant and key mode

    Args:
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        group_by (GetInsightsGroupBy | Unset):  Default: GetInsightsGroupBy.CHANNEL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetInsightsResponse400 | GetInsightsResponse401 | GetInsightsResponse500 | GetInsightsResponse503 | Insights
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        group_by=group_by,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: GetInsightsGroupBy | Unset = GetInsightsGroupBy.CHANNEL,
) -> Response[
    GetInsightsResponse400
    | GetInsightsResponse401
    | GetInsightsResponse500
    | GetInsightsResponse503
    | Insights
]:
    """Sends, verified sessions, conversion and credits per day, for the caller's tenant and key mode

    Args:
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        group_by (GetInsightsGroupBy | Unset):  Default: GetInsightsGroupBy.CHANNEL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetInsightsResponse400 | GetInsightsResponse401 | GetInsightsResponse500 | GetInsightsResponse503 | Insights]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        group_by=group_by,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: GetInsightsGroupBy | Unset = GetInsightsGroupBy.CHANNEL,
) -> (
    GetInsightsResponse400
    | GetInsightsResponse401
    | GetInsightsResponse500
    | GetInsightsResponse503
    | Insights
    | None
):
    """Sends, verified sessions, conversion and credits per day, for the caller's tenant and key mode

    Args:
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        group_by (GetInsightsGroupBy | Unset):  Default: GetInsightsGroupBy.CHANNEL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetInsightsResponse400 | GetInsightsResponse401 | GetInsightsResponse500 | GetInsightsResponse503 | Insights
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            group_by=group_by,
        )
    ).parsed
