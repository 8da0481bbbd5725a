"""Slowing password guessing without letting a stranger lock the owner out (ASVS V2.2, OWASP).

Sign-in has three brakes:
- per client address: 10 attempts a minute, 50 an hour (a limit on the view);
- per account and address: 5 refused sign-ins in 15 minutes (a limit on the view);
- per account, here: after FREE_FAILURES refused sign-ins in a day, each next attempt must wait,
  FIRST_WAIT seconds and doubling, at most MAX_WAIT. A browser that has signed in to the
  account before carries a signed "known device" cookie and never waits, so guessing from
  elsewhere cannot keep the owner out; the owner is told by email once a day when the refusals
  pass NOTICE_AFTER.

The counters live in the rate limiter's storage (memory, or Redis when configured), keyed on a
digest of the address typed, whether or not an account has it: a wait tells nothing about which
addresses have accounts. With rate limits off (load tests) there is no wait either.
"""

import hashlib
import math
import time

from flask import current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadData, URLSafeTimedSerializer

from ..extensions import limiter
from .models import normalise_email

FREE_FAILURES = 5
FIRST_WAIT = 30  # seconds
MAX_WAIT = 15 * 60
NOTICE_AFTER = 10
FAILURES_KEPT = 24 * 3600  # a day after the first refusal the count starts again

DEVICE_COOKIE = "civic_device"
DEVICE_MAX_AGE = 180 * 24 * 3600
DEVICE_ACCOUNTS = 5  # accounts remembered per browser (a shared family computer)


def account_key(email: str) -> str:
    """A digest of the address typed: the same for any spelling the sign-in form accepts."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]


def account_and_address() -> str:
    """The rate-limit key of the per-account-and-address limit on the sign-in view."""
    return f"{account_key(request.form.get('email', ''))}@{get_remote_address()}"


def _storage_key(kind: str, email: str) -> str:
    return f"civic-signin:{kind}:{account_key(email)}"


def _active() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED"))


def wait_seconds(email: str) -> int:
    """Seconds before this account may be tried again from an unknown browser; 0 means now."""
    key = _storage_key("wait", email)
    if not _active() or not limiter.storage.get(key):
        return 0
    return max(1, math.ceil(limiter.storage.get_expiry(key) - time.time()))


def record_failure(email: str) -> int:
    """Count a refused sign-in and start the wait it earns; returns the refusals so far today."""
    if not _active():
        return 0
    failures = limiter.storage.incr(_storage_key("failures", email), FAILURES_KEPT)
    if failures >= FREE_FAILURES:
        wait = min(FIRST_WAIT * 2 ** (failures - FREE_FAILURES), MAX_WAIT)
        limiter.storage.incr(_storage_key("wait", email), wait)
    return failures


def forget_failures(email: str) -> None:
    """After a sign-in or a new password: the account starts again with no refusals."""
    if _active():
        for kind in ("failures", "wait"):
            limiter.storage.clear(_storage_key(kind, email))


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="civic-review known-device")


def known_account_ids() -> list[int]:
    """The accounts this browser has signed in to (newest first), from its signed cookie."""
    try:
        ids = _device_serializer().loads(request.cookies.get(DEVICE_COOKIE, ""), max_age=DEVICE_MAX_AGE)
    except BadData:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def remember_device(response, user_id: int):
    """Mark this browser as one the account signs in from; returns the response."""
    ids = [user_id] + [i for i in known_account_ids() if i != user_id]
    response.set_cookie(
        DEVICE_COOKIE, _device_serializer().dumps(ids[:DEVICE_ACCOUNTS]), max_age=DEVICE_MAX_AGE, path="/account/",
        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax",
    )
    return response
