"""Flask extension singletons, bound to the app in create_app."""

from hashlib import sha512

from flask import current_app, request, session
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, session_protected
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


BIND_TO_ADDRESS = "_bind_address"  # set at sign-in for staff accounts


def session_identifier() -> str:
    """What a session is bound to: the browser (user agent) and, for staff, the client address as
    ProxyFix resolved it (Flask-Login's own reads X-Forwarded-For raw, which anyone can send).
    Residents' sessions survive a phone moving between networks; staff sessions do not."""
    address = request.remote_addr if session.get(BIND_TO_ADDRESS) else ""
    return sha512(f"{address}|{request.headers.get('User-Agent', '')}".encode()).hexdigest()


class SignedInLoginManager(LoginManager):
    """Session protection for sessions that hold a user, as Flask-Login means it to be.

    Flask-Login takes any non-empty session without its "_id" for a stolen one (its issue #569):
    a signed-out visitor's session, which holds only a CSRF token, was "cleared" on every request,
    so each answer rewrote the session cookie and deleted a remember cookie nobody had. And in
    "strong" mode it only marks a *permanent* session non-fresh when its identifier (a hash of
    the client's address and user agent) changes; every session here is permanent, so such a
    session ends here, as "strong" promises: a cookie copied to another browser is worthless.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._session_identifier_generator = session_identifier

    def _session_protection_failed(self):
        if "_user_id" not in session:
            return False
        mode = current_app.config.get("SESSION_PROTECTION", self.session_protection)
        if mode == "strong" and session.get("_id") != self._session_identifier_generator():
            session.clear()
            session_protected.send(current_app._get_current_object())
            return True
        return super()._session_protection_failed()


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
csrf = CSRFProtect()
login_manager = SignedInLoginManager()
# The client address comes from ProxyFix (configured hop count), never from a raw header.
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()
cache = Cache()  # rendered fragments of public pages (fragment_cache.py)
