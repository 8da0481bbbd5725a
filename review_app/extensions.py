"""Flask extension singletons, bound to the app in create_app."""

from flask import session
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
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


class SignedInLoginManager(LoginManager):
    """Session protection for sessions that hold a user, as Flask-Login means it to be.

    Flask-Login takes any non-empty session without its "_id" for a stolen one (its issue #569):
    a signed-out visitor's session, which holds only a CSRF token, was "cleared" on every request,
    so each answer rewrote the session cookie and deleted a remember cookie nobody had.
    """

    def _session_protection_failed(self):
        return "_user_id" in session and super()._session_protection_failed()


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
csrf = CSRFProtect()
login_manager = SignedInLoginManager()
# The client address comes from ProxyFix (configured hop count), never from a raw header.
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()
cache = Cache()  # rendered fragments of public pages (fragment_cache.py)
