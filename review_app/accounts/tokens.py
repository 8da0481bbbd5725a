"""Signed, expiring links sent by email (itsdangerous), one salt per purpose so a link made for
one purpose is refused for another. A link holds the account's id and a fingerprint of its
email address, password hash and verification: using the link changes one of them (verifying
the address, setting a new password), and so does changing the password, which voids it."""

import hashlib

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from ..extensions import db
from .models import User

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"
MAX_AGE = {VERIFY_EMAIL: 2 * 24 * 3600, RESET_PASSWORD: 3600}  # seconds


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"civic-review {purpose}")


def _fingerprint(user: User) -> str:
    state = f"{user.email}\n{user.password_hash}\n{user.email_verified_at}"
    return hashlib.sha256(state.encode()).hexdigest()[:24]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def read_token(token: str, purpose: str) -> User | None:
    """The account the link was made for, or None when it is forged, expired, or spent."""
    try:
        data = _serializer(purpose).loads(token or "", max_age=MAX_AGE[purpose])
        user = db.session.get(User, int(data["u"]))
    except (BadData, KeyError, TypeError, ValueError):
        return None
    if user is None or data.get("f") != _fingerprint(user):
        return None
    return user
