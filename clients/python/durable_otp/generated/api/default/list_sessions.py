import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_sessions_channel import ListSessionsChannel
from ...models.list_sessions_response_400 import ListSessionsResponse400
from ...models.list_sessions_response_401 import ListSessionsResponse401
from ...models.list_sessions_response_500 import ListSessionsResponse500
from ...models.list_sessions_response_503 import ListSessionsResponse503
from ...models.list_sessions_sandbox import ListSessionsSandbox
from ...models.list_sessions_status import ListSessionsStatus
from ...models.session_list import SessionList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListSessionsStatus | Unset = UNSET,
    channel: ListSessionsChannel | Unset = UNSET,
    sandbox: ListSessionsSandbox | Unset = UNSET,
    purpose: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_channel: str | Unset = UNSET
    if not isinstance(channel, Unset):
        json_channel = channel.value

    params["channel"] = json_channel

    json_sandbox: str | Unset = UNSET
    if not isinstance(sandbox, Unset):
        json_sandbox = sandbox.value

    params["sandbox"] = json_sandbox

    params["purpose"] = purpose

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/otp/sessions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ListSessionsResponse400
    | ListSessionsResponse401
    | ListSessionsResponse500
    | ListSessionsResponse503
    | SessionList
    | None
):
    if response.status_code == 200:
        response_200 = SessionList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ListSessionsResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ListSessionsResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = ListSessionsResponse500.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ListSessionsResponse503.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ListSessionsResponse400
    | ListSessionsResponse401
    | ListSessionsResponse500
    | ListSessionsResponse503
    | SessionList
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
    status: ListSessionsStatus | Unset = UNSET,
    channel: ListSessionsChannel | Unset = UNSET,
    sandbox: ListSessionsSandbox | Unset = UNSET,
    purpose: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
) -> Response[
    ListSessionsResponse400
    | ListSessionsResponse401
    | ListSessionsResponse500
    | ListSessionsResponse503
    | SessionList
]:
    """The tenant's sessions, newest first

    Args:
        status (ListSessionsStatus | Unset):
        channel (ListSessionsChannel | Unset):
        sandbox (ListSessionsSandbox | Unset):
        purpose (str | Unset): metadata.purpose, exactly
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset): next_cursor of the previous page, with the same filters. Opaque to
            clients; its format is base64url (no padding) of the JSON array [start time (RFC 3339,
            nanoseconds, UTC), workflow id] of the last session returned; any other value answers
            validation_error

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListSessionsResponse400 | ListSessionsResponse401 | ListSessionsResponse500 | ListSessionsResponse503 | SessionList]
    """

    kwargs = _get_kwargs(
        status=status,
        channel=channel,
        sandbox=sandbox,
        purpose=purpose,
        created_after=created_after,
        created_before=created_before,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: ListSessionsStatus | Unset = UNSET,
    channel: ListSessionsChannel | Unset = UNSET,
    sandbox: ListSessionsSandbox | Unset = UNSET,
    purpose: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
) -> (
    ListSessionsResponse400
    | ListSessionsResponse401
    | ListSessionsResponse500
    | ListSessionsResponse503
    | SessionList
    | None
):
    """The tenant's sessions, newest first

    Args:
        status (ListSessionsStatus | Unset):
        channel (ListSessionsChannel | Unset):
        sandbox (ListSessionsSandbox | Unset):
        purpose (str | Unset): metadata.purpose, exactly
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset): next_cursor of the previous page, with the same filters. Opaque to
            clients; its format is base64url (no padding) of the JSON array [start time (RFC 3339,
            nanoseconds, UTC), workflow id] of the last session returned; any other value answers
            validation_error

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListSessionsResponse400 | ListSessionsResponse401 | ListSessionsResponse500 | ListSessionsResponse503 | SessionList
    """

    return sync_detailed(
        client=client,
        status=status,
        channel=channel,
        sandbox=sandbox,
        purpose=purpose,
        created_after=created_after,
        created_before=created_before,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ListSessionsStatus | Unset = UNSET,
    channel: ListSessionsChannel | Unset = UNSET,
    sandbox: ListSessionsSandbox | Unset = UNSET,
    purpose: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
) -> Response[
    ListSessionsResponse400
    | ListSessionsResponse401
    | ListSessionsResponse500
    | ListSessionsResponse503
    | SessionList
]:
    """The tenant's sessions, newest first

    Args:
        status (ListSessionsStatus | Unset):
        channel (ListSessionsChannel | Unset):
        sandbox (ListSessionsSandbox | Unset):
        purpose (str | Unset): metadata.purpose, exactly
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset): next_cursor of the previous page, with the same filters. Opaque to
            clients; its format is base64url (no padding) of the JSON array [start time (RFC 3339,
            nanoseconds, UTC), workflow id] of the last session returned; any other value answers
            validation_error

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListSessionsResponse400 | ListSessionsResponse401 | ListSessionsResponse500 | ListSessionsResponse503 | SessionList]
    """

    kwargs = _get_kwargs(
        status=status,
        channel=channel,
        sandbox=sandbox,
        purpose=purpose,
        created_after=created_after,
        created_before=created_before,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: ListSessionsStatus | Unset = UNSET,
    channel: ListSessionsChannel | Unset = UNSET,
    sandbox: ListSessionsSandbox | Unset = UNSET,
    purpose: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
) -> (
    ListSessionsResponse400
    | ListSessionsResponse401
    | ListSessionsResponse500
    | ListSessionsResponse503
    | SessionList
    | None
):
    """The tenant's sessions, newest first

    Args:
        status (ListSessionsStatus | Unset):
        channel (ListSessionsChannel | Unset):
        sandbox (ListSessionsSandbox | Unset):
        purpose (str | Unset): metadata.purpose, exactly
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 20.
        cursor (str | Unset): next_cursor of the previous page, with the same filters. Opaque to
            clients; its format is base64url (no padding) of the JSON array [start time (RFC 3339,
            nanoseconds, UTC), workflow id] of the last session returned; any other value answers
            validation_error

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListSessionsResponse400 | ListSessionsResponse401 | ListSessionsResponse500 | ListSessionsResponse503 | SessionList
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            channel=channel,
            sandbox=sandbox,
            purpose=purpose,
            created_after=created_after,
            created_before=created_before,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
