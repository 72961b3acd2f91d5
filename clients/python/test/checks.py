"""Calls the API through the client the ways clients/python/test/client.test.ts asserts on, and
prints what came back as one JSON object: each answer's fields, each refusal's type, status, code
and extras. OTP_API_URL and OTP_API_KEY say where and as whom."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from durable_otp import OtpApiError, OtpClient, OtpTransportError


def outcome(call: Callable[[], Any]) -> dict[str, Any]:
    try:
        call()
    except OtpApiError as err:
        return {
            "kind": "api_error",
            "status": err.status,
            "code": err.code,
            "message": err.message,
            "request_id": err.request_id,
            "retry_after": err.retry_after,
            "attempts_remaining": err.attempts_remaining,
            "results": err.body.get("results"),
            "details": err.body.get("details"),
        }
    except OtpTransportError as err:
        return {"kind": "transport_error", "status": err.status}
    except Exception as err:  # noqa: BLE001 - the test shows what else came
        return {"kind": "other", "error": repr(err)}
    return {"kind": "ok"}


def email_send(address: str) -> dict[str, Any]:
    return {"channels": ["email"], "recipients": {"email": address}}


def main() -> None:
    base_url, api_key = os.environ["OTP_API_URL"], os.environ["OTP_API_KEY"]
    otp = OtpClient(base_url + "/", api_key)
    out: dict[str, Any] = {}

    # Reads, lists and cancels a session, and the balance.
    sent = otp.send(
        {"channels": ["sms"], "recipients": {"sms": "+14155550100"}, "metadata": {"purpose": "typed-python"}}
    )
    detail = otp.get_session(sent.session_id)
    out["detail"] = {"session_id": detail.session_id, "status": str(detail.status), "sandbox": detail.sandbox}
    cancelled = otp.cancel_session(sent.session_id, idempotency_key=f"py-cancel-{sent.session_id}")
    out["cancelled"] = str(cancelled.status)
    # Listing reads Temporal's visibility, which is eventually consistent.
    listed, deadline = False, time.monotonic() + 15
    while not listed and time.monotonic() < deadline:
        page = otp.list_sessions(purpose="typed-python", status="cancelled", limit=5)
        listed = any(s.session_id == sent.session_id for s in page.data)
        time.sleep(0.2)
    out["listed"] = listed
    out["balance_is_null"] = otp.balance().credits_ is None  # `credits` is a Python builtin

    # The same Idempotency-Key: the same session; with another body, refused.
    first = otp.send(email_send("same-py@example.com"), idempotency_key="py-client-test-1")
    again = otp.send(email_send("same-py@example.com"), idempotency_key="py-client-test-1")
    out["idempotent_same_session"] = first.session_id == again.session_id
    out["idempotency_key_reused"] = outcome(
        lambda: otp.send(email_send("other-py@example.com"), idempotency_key="py-client-test-1")
    )

    # Refusals.
    typed = otp.send(email_send("typed-py@example.com"))
    out["invalid_otp"] = outcome(
        lambda: otp.verify({"token": typed.session_token, "otps": {"email": "nope"}})
    )
    # The tenant's default cooldown is 60 s: a resend now is refused, with when to try again.
    out["cooldown_active"] = outcome(lambda: otp.resend({"session_token": typed.session_token}))
    out["session_not_found"] = outcome(
        lambda: otp.verify({"token": "not-a-token", "otps": {"email": "123456"}})
    )
    out["unknown_session"] = outcome(lambda: otp.get_session("ses_00000000000000000000000000000000"))
    out["validation_error"] = outcome(lambda: otp.send({"channels": ["email"], "recipients": {}}))
    out["invalid_api_key"] = outcome(lambda: OtpClient(base_url, "sk_test_nope").balance())
    out["transport"] = outcome(lambda: OtpClient("http://127.0.0.1:9", api_key).balance())

    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
