"""The Python client's round trip: send a code, get one wrong (an OtpApiError with the attempts
left), resend, verify the new code. Run against `make run` with its test key, whose sessions are
sandbox sessions (the codes come back in the answers instead of being delivered):

    cd clients/python
    OTP_API_URL=http://localhost:3000 OTP_API_KEY=sk_test_… python examples/send_verify_resend.py

(with httpx and attrs installed: pip install -r requirements.txt).
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from durable_otp import OtpApiError, OtpClient
from durable_otp.generated.models import VerifyResponse


def send_verify_resend(otp: OtpClient, email: str, log: Callable[[str], None] = print) -> VerifyResponse:
    # A retried send with the same Idempotency-Key gets the same session, not a second code.
    sent = otp.send(
        {
            "channels": ["email"],
            "recipients": {"email": email},
            "config": {"resend_cooldown_seconds": 0},
            "metadata": {"purpose": "login", "user_id": "user_12345"},
        },
        idempotency_key=str(uuid.uuid4()),
    )
    log(f"sent: session {sent.session_id}, expires at {sent.expires_at.isoformat()}")
    if not sent.sandbox_otps or "email" not in sent.sandbox_otps:
        raise RuntimeError("use a test key: a live session sends the code instead of returning it")
    code = sent.sandbox_otps["email"]

    # In an app the person types the code; here, a wrong one first.
    wrong = code[:-1] + ("1" if code[-1] == "0" else "0")
    try:
        otp.verify({"token": sent.session_token, "otps": {"email": wrong}})
    except OtpApiError as err:
        if err.code != "invalid_otp":
            raise
        log(f"wrong code: {err.attempts_remaining} attempts left")

    resent = otp.resend({"session_token": sent.session_token})
    next_at = resent.next_resend_at.isoformat() if resent.next_resend_at else "now"
    log(f"resent: {resent.resends_remaining} resends left, next one from {next_at}")

    verified = otp.verify({"token": sent.session_token, "otps": {"email": resent.sandbox_otps["email"]}})
    log(f"verify: {verified.status}")
    return verified


if __name__ == "__main__":
    api_key = os.environ.get("OTP_API_KEY")
    if not api_key:
        sys.exit("set OTP_API_KEY to the test key make run printed")
    with OtpClient(os.environ.get("OTP_API_URL", "http://localhost:3000"), api_key) as client:
        send_verify_resend(client, os.environ.get("OTP_EMAIL", "ada@example.com"))
