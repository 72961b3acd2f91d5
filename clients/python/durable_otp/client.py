"""The hand-written layer over the generated client (durable_otp.generated, never edited by hand).

It only makes the generated calls idiomatic: a constructor taking the base URL and the API key,
one method per call that answers the generated model of a 2xx answer or raises, the
Idempotency-Key as a keyword, and every refusal as an OtpApiError carrying the API's ``code``.
"""

from __future__ import annotations

import enum
import inspect
import json
import typing
from collections.abc import Mapping
from types import ModuleType
from typing import Any

import httpx

from .generated import AuthenticatedClient
from .generated.api.default import (
    cancel_session,
    get_balance,
    get_session,
    list_sessions,
    resend_otp,
    send_otp,
    verify_otp,
)
from .generated.models import (
    Balance,
    ResendResponse,
    SendResponse,
    SessionDetail,
    SessionList,
    VerifyResponse,
)


class OtpApiError(Exception):
    """The API refused a request: ``{ statusCode, message, error, code, ...extras }``.

    ``code`` says why (docs/API.md lists them); ``body`` holds the whole error body, extras
    included (``details``, ``results``, ``attempts_remaining``, ``channel``, ``reason``).
    """

    def __init__(
        self,
        status: int,
        body: dict[str, Any],
        request_id: str | None,
        retry_after_header: str | None,
    ) -> None:
        super().__init__(f"{body['code']}: {body.get('message', '')}")
        self.status = status
        self.code: str = body["code"]
        self.message: str = body.get("message", "")
        self.body = body
        #: The API's request id (X-Request-Id), for support.
        self.request_id = request_id
        self._retry_after_header = retry_after_header

    @property
    def retry_after(self) -> int | None:
        """Seconds to wait before trying again (cooldown_active, rate_limited, session_locked…)."""
        value = self.body.get("retry_after")
        if isinstance(value, int):
            return value
        try:
            return int(self._retry_after_header) if self._retry_after_header else None
        except ValueError:
            return None

    @property
    def attempts_remaining(self) -> int | None:
        """With invalid_otp, max_attempts_exceeded and code_not_active."""
        return self.body.get("attempts_remaining")


class OtpTransportError(Exception):
    """The answer was not one of the API's: a network failure, a proxy's error page."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def _filters(operation: ModuleType, given: Mapping[str, Any]) -> dict[str, Any]:
    """Query filters for a generated call: a plain string where the call takes an enum becomes
    that enum (so ``status="pending"`` works), whatever values the document lists."""
    parameters = inspect.signature(operation._get_kwargs).parameters
    out: dict[str, Any] = {}
    for name, value in given.items():
        if value is None:
            continue
        if name not in parameters:
            raise TypeError(f"unknown filter {name!r}")
        if isinstance(value, str):
            for kind in typing.get_args(parameters[name].annotation):
                if isinstance(kind, type) and issubclass(kind, enum.Enum):
                    value = kind(value)
                    break
        out[name] = value
    return out


class OtpClient:
    """A client of the durable-otp REST API for one API key; keep the key on your server.

    >>> otp = OtpClient("http://localhost:3000", os.environ["OTP_API_KEY"])
    >>> sent = otp.send({"channels": ["email"], "recipients": {"email": "ada@example.com"}})
    >>> try:
    ...     otp.verify({"token": sent.session_token, "otps": {"email": typed}})
    ... except OtpApiError as err:
    ...     if err.code != "invalid_otp":
    ...         raise
    ...     print(err.attempts_remaining, "attempts left")
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 30.0,
        httpx_args: dict[str, Any] | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("an API key is required")
        #: The generated client itself, for the calls this class does not wrap.
        self.api = AuthenticatedClient(
            base_url=base_url.rstrip("/"),
            token=api_key,
            prefix="",
            auth_header_name="X-API-Key",
            timeout=httpx.Timeout(timeout),
            httpx_args=httpx_args or {},
        )

    def close(self) -> None:
        self.api.get_httpx_client().close()

    def __enter__(self) -> typing.Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _call(self, operation: ModuleType, **kwargs: Any) -> Any:
        """Sends the generated call's request; the generated model of a 2xx answer, else raises."""
        request = operation._get_kwargs(**kwargs)
        try:
            response = self.api.get_httpx_client().request(**request)
        except httpx.HTTPError as err:
            raise OtpTransportError(f"request failed: {err}") from err
        if response.is_success:
            try:
                parsed = operation._parse_response(client=self.api, response=response)
            except (ValueError, KeyError, TypeError) as err:
                raise OtpTransportError(
                    f"unexpected answer {response.status_code}: {err}", response.status_code
                ) from err
            if parsed is not None:
                return parsed
        try:
            body = response.json()
        except json.JSONDecodeError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("code"), str):
            raise OtpApiError(
                response.status_code,
                body,
                response.headers.get("X-Request-Id"),
                response.headers.get("Retry-After"),
            )
        raise OtpTransportError(f"unexpected answer {response.status_code}", response.status_code)

    @staticmethod
    def _key(idempotency_key: str | None) -> dict[str, Any]:
        return {} if idempotency_key is None else {"idempotency_key": idempotency_key}

    def send(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> SendResponse:
        """Starts a session and sends a code per channel. A retry with the same
        ``idempotency_key`` gets the same session."""
        return self._call(send_otp, body=dict(body), **self._key(idempotency_key))

    def verify(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> VerifyResponse:
        """Checks codes; a wrong one raises OtpApiError ``invalid_otp`` with ``attempts_remaining``."""
        return self._call(verify_otp, body=dict(body), **self._key(idempotency_key))

    def resend(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> ResendResponse:
        """Sends fresh codes; inside the cooldown raises ``cooldown_active`` with ``retry_after``."""
        return self._call(resend_otp, body=dict(body), **self._key(idempotency_key))

    def get_session(self, session_id: str) -> SessionDetail:
        """The session's detail: status, channels, counters, events."""
        return self._call(get_session, id=session_id)

    def list_sessions(self, **filters: Any) -> SessionList:
        """Sessions newest first. Filters as the API names them: ``status``, ``channel``,
        ``sandbox``, ``purpose``, ``created_after``, ``created_before``, ``limit``, ``cursor``
        (the previous page's ``next_cursor``)."""
        return self._call(list_sessions, **_filters(list_sessions, filters))

    def cancel_session(self, session_id: str, *, idempotency_key: str | None = None) -> SessionDetail:
        """Cancels an open session; answers its detail."""
        return self._call(cancel_session, id=session_id, **self._key(idempotency_key))

    def balance(self) -> Balance:
        """The tenant's credits as ``credits_`` (``credits`` is a Python builtin): ``None`` without a limit."""
        return self._call(get_balance)
