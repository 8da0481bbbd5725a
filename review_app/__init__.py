"""Civic Review: open public review rounds on proposed policies."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, load_config

from . import cli, errors, i18n, inputs, ops, security
from .extensions import cache, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | str | None = None) -> Flask:
    """Build the app from a config name or a dict of overrides on the environment's settings."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(BASE_DIR / "instance"),
    )
    if isinstance(config, dict):
        app.config.from_mapping(load_config(config.get("ENV_NAME")))
        app.config.from_mapping(config)
    else:
        app.config.from_mapping(load_config(config))
    security.check_production_settings(app)
    inputs.init_app(app)  # before any route: it bounds <int:...>

    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from . import models  # noqa: F401  (registers every table)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    security.init_app(app)
    _enable_sqlite_pragmas(app)

    from .accounts.views import admin_bp as accounts_admin_bp
    from .accounts.views import bp as accounts_bp
    from .api.admin_views import bp as api_admin_bp
    from .api.views import bp as api_bp
    from .comments.views import bp as comments_bp
    from .moderation.views import bp as moderation_bp
    from .pages.views import bp as pages_bp
    from .reports.views import bp as reports_bp
    from .rounds.admin_views import bp as rounds_admin_bp
    from .rounds.views import bp as rounds_bp
    from .staff.views import bp as staff_bp

    blueprints = (rounds_bp, rounds_admin_bp, comments_bp, accounts_bp, accounts_admin_bp, moderation_bp, reports_bp,
                  api_bp, api_admin_bp, pages_bp, staff_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # the JSON API takes no cookies' authority: reads are public, writes need a token
    if app.config["ENV_NAME"] == "development":
        from .mail import dev_bp

        app.register_blueprint(dev_bp)  # /dev/mail: the outbox, to follow emailed links locally

    i18n.init_app(app)
    errors.init_app(app)
    ops.init_app(app)
    cli.init_app(app)
    from . import templating

    templating.init_app(app)
    return app


def _enable_sqlite_pragmas(app: Flask) -> None:
    """Turn on WAL, foreign keys and a busy timeout on every SQLite connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
