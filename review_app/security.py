"""Security wiring: headers, session rules, the user loader and role checks."""

from datetime import datetime
from functools import wraps
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, abort, session
from flask_login import current_user, logout_user
from werkzeug.exceptions import SecurityError

from .extensions import db, login_manager, talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

WEAK_SECRET_KEYS = {"dev", "secret", "changeme", "change-me", "development", "test"}


def check_production_settings(app: Flask) -> None:
    """Refuse to start with an unknown time zone, and in production with debug on, a guessable SECRET_KEY or no public address;
    trust only the public address's host name unless TRUSTED_HOSTS says otherwise."""
    base = app.config.get("PUBLIC_BASE_URL")
    if base and not app.config.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = [urlsplit(base).hostname]
    try:
        ZoneInfo(app.config.get("TIMEZONE") or "")
    except (ZoneInfoNotFoundError, ValueError):
        raise RuntimeError(f"Refusing to start: CIVIC_TIMEZONE={app.config.get('TIMEZONE')!r} is no time zone; "
                           "give an IANA name such as America/Chicago.") from None
    if app.config.get("ENV_NAME") != "production":
        return
    if app.debug:
        raise RuntimeError("Refusing to start: debug mode is on in production.")
    key = app.config.get("SECRET_KEY") or ""
    if len(key) < 32 or key.lower() in WEAK_SECRET_KEYS:
        raise RuntimeError("Refusing to start: SECRET_KEY must be a random value of 32+ characters.")
    if not base or urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).hostname:
        raise RuntimeError("Refusing to start: set PUBLIC_BASE_URL to the site's public address, "
                           "e.g. https://review.example.gov (links in emails and the API are built from it).")


def public_url(endpoint: str, **values) -> str:
    """An absolute link for emails and the API: PUBLIC_BASE_URL and the route's path, never the
    request's Host header, which anyone can forge. Without the setting (development, tests) the
    request's own address, or SERVER_NAME outside a request."""
    from flask import current_app, has_request_context, url_for

    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):  # a job or a command: no request to take the path from
        return base + url_for(endpoint, **values)


def init_app(app: Flask) -> None:
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
    )
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "strong"
    app.before_request(_end_expired_session)
    # An untrusted Host header leaves no way to build links, so the error page is plain text.
    app.register_error_handler(SecurityError, lambda error: (
        "400 Bad Request: this site is not served under that host name.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}))
    app.after_request(_no_store_when_signed_in)


def _no_store_when_signed_in(response):
    """Nothing shown to a signed-in person (their comments, a moderator's unredacted original, an
    official's draft plan) may be kept by a browser, a proxy or a shared computer's cache. Every
    staff page needs a signed-in user, so this covers them all."""
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("ETag", None)
    return response


@login_manager.user_loader
def load_user(user_id: str):
    """Load "id:session_version"; a cookie from before logout or blocking no longer matches."""
    from .accounts.models import User

    try:
        raw_id, raw_version = user_id.split(":")
        user = db.session.get(User, int(raw_id))
        version = int(raw_version)
    except (ValueError, TypeError):
        return None
    if user is None or user.session_version != version or user.is_suspended:
        return None
    return user


def _end_expired_session() -> None:
    """Sign out a session older than the absolute lifetime, however active it has been."""
    from flask import current_app

    signed_in_at = session.get("signed_in_at")
    if not current_user.is_authenticated or signed_in_at is None:
        return
    started = datetime.fromisoformat(signed_in_at)
    from .timeutil import utcnow

    if utcnow() - started > current_app.config["SESSION_ABSOLUTE_LIFETIME"]:
        logout_user()
        session.clear()


def roles_required(*roles):
    """Allow the view only to signed-in users holding one of the roles (admin holds them all)."""
    from .accounts.models import Role

    allowed = set(roles) | {Role.ADMIN}

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*allowed):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next_url(target: str | None) -> str | None:
    """The target if it is a path on this site, else None: an open redirect is a phishing tool."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\")) and not urlsplit(target).netloc
            and target.isprintable()):  # no CR or LF to split a header with, no NUL
        return target
    return None
