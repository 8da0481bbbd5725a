"""Settings read from the environment, with safe defaults for local use."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("CIVIC_INSTANCE_DIR", BASE_DIR / "instance"))


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'civic_review.sqlite3'}")
    # Heroku-style URLs name the old driver; SQLAlchemy 2 wants psycopg 3 spelled out.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Config:
    """Production-safe defaults; development and tests relax only what they must."""

    ENV_NAME = "production"
    SECRET_KEY = None  # filled in by load_config so importing this module writes nothing
    SQLALCHEMY_DATABASE_URI = None
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") == "1"  # 0 only for load tests
    RATELIMIT_HEADERS_ENABLED = True
    # Background jobs (analysis, re-tagging, notices) go to this RQ queue when REDIS_URL is set;
    # CIVIC_JOBS_IN_PROCESS=1 keeps them in the web process even then.
    JOBS_QUEUE = os.environ.get("CIVIC_JOBS_QUEUE", "civic-review")
    JOBS_IN_PROCESS = os.environ.get("CIVIC_JOBS_IN_PROCESS", "0") == "1"
    # With a job queue, officials' summaries are served as last counted and recounted by a job
    # when older than this (seconds); without one, every view recounts what changed.
    SUMMARY_MAX_AGE = int(os.environ.get("CIVIC_SUMMARY_MAX_AGE", "60"))
    # Rendered fragments of public pages (review_app/fragment_cache.py): in Redis when configured,
    # shared by every process; else in each process's memory, at most CACHE_THRESHOLD of them.
    CACHE_TYPE = "RedisCache" if REDIS_URL else "SimpleCache"
    CACHE_REDIS_URL = REDIS_URL
    CACHE_KEY_PREFIX = "civic-cache:"
    CACHE_DEFAULT_TIMEOUT = 3600
    CACHE_THRESHOLD = 2000
    # Seconds a fragment may lag behind a change: with comments arriving every second, each
    # fragment is still rendered only once in this time.
    FRAGMENT_GRACE = float(os.environ.get("CIVIC_FRAGMENT_GRACE", "2"))
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    # Where the public reaches the site ("https://review.example.gov"): every absolute link, in
    # emails and the API, is built from it, never from a request's Host header. Required in production.
    PUBLIC_BASE_URL = (os.environ.get("PUBLIC_BASE_URL") or "").rstrip("/") or None
    # The city's time zone (an IANA name): pages show times on its clock and staff type them so.
    TIMEZONE = os.environ.get("CIVIC_TIMEZONE", "UTC")
    # Host names requests may carry (Flask answers others with 400); by default PUBLIC_BASE_URL's.
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None

    MAX_CONTENT_LENGTH = 256 * 1024
    # Report notices. Without MAIL_SERVER, `flask send-notifications` writes them to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Civic Review <no-reply@localhost>")
    COMMENT_MAX_LENGTH = 5000
    # Where residents write about the site, their data or an accessibility problem (the contact,
    # privacy and accessibility pages show it as it is).
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "contact@civic-review.invalid")
    # Where this site's source code can be downloaded: the GNU AGPL asks a site running a changed
    # copy to offer its users that copy's source (the footer links it).
    SOURCE_CODE_URL = os.environ.get("SOURCE_CODE_URL", "")
    # Days after a round's first report that contact emails and withdrawn comments' text are kept
    # (`flask apply-retention`, from cron, drops them).
    RETENTION_DAYS = int(os.environ.get("CIVIC_RETENTION_DAYS", "90"))
    COMMENTS_PER_PAGE = 20
    ROUND_PAGE_THREADS = 5  # the round page is an overview: a few threads a page, all of them on section pages

    # Sessions: Secure, HttpOnly, SameSite=Lax; idle timeout via the permanent-session
    # lifetime refreshed on each request, and an absolute cap checked on every load.
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "civic_session"
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "60")))
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
    SESSION_REFRESH_EACH_REQUEST = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    FORCE_HTTPS = os.environ.get("FORCE_HTTPS", "1") == "1"

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 4 * 3600

    # Argon2id parameters (argon2-cffi's RFC 9106 low-memory profile by default).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024
    ARGON2_PARALLELISM = 4

    NLP_BASE_MODEL = os.environ.get("CIVIC_NLP_BASE_MODEL") or None


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    FORCE_HTTPS = False


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    FORCE_HTTPS = False
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = None  # tests that need Redis ask for it
    CACHE_TYPE = "SimpleCache"
    FRAGMENT_GRACE = 0  # every change shows at once; test_fragment_cache.py sets it where it tests it
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1


CONFIGS = {"production": Config, "development": DevelopmentConfig, "testing": TestConfig}


def load_config(name: str | None = None) -> dict:
    """Return the settings of the named environment (CIVIC_ENV, default production) as a dict."""
    name = name or os.environ.get("CIVIC_ENV", "production")
    cls = CONFIGS[name]
    settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
    settings["SECRET_KEY"] = _secret_key()
    settings["SQLALCHEMY_DATABASE_URI"] = _database_url()
    return settings
