"""Shared fixtures: an app on a clean database per test, a client, builders and sign-in.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names another one
(CI runs the suite a second time against a fresh PostgreSQL database).
"""

import os
import uuid
from datetime import timedelta

import flask_babel
import pytest
from flask import g
from sqlalchemy import text

from review_app import create_app
from review_app.extensions import db

TEST_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the schema once per session; each test then empties the tables it used."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return database_url


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def make_test_app(database_url: str, **overrides):
    config = {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url}
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_config():
    """Override in a test module to change settings, e.g. {"WTF_CSRF_ENABLED": True}."""
    return {}


def _forget_request_state():
    g.pop("_login_user", None)
    g.pop("api_token", None)
    flask_babel.refresh()  # the language too: it is chosen per request


@pytest.fixture
def app(_schema, app_config):
    app = make_test_app(_schema, **app_config)
    # Tests keep one app context open, so `g` outlives a request; a real request starts with an
    # empty `g`, and Flask-Login must load the user afresh each time as it would in production.
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_request_state)
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Build a user with the given staff roles: make_user(roles=["moderator"]); verified unless
    make_user(email_verified_at=None)."""
    from review_app.accounts.models import User, UserRole
    from review_app.accounts.passwords import hash_password
    from review_app.timeutil import utcnow

    def build(email=None, display_name="Test Resident", roles=(), password=TEST_PASSWORD, **overrides):
        overrides.setdefault("email_verified_at", utcnow())  # a verified address unless a test says otherwise
        user = User(
            email=email or f"user-{uuid.uuid4().hex[:8]}@example.org",
            display_name=display_name,
            password_hash=hash_password(password),
            **overrides,
        )
        user.role_rows = [UserRole(role=str(role)) for role in roles]
        db.session.add(user)
        db.session.commit()
        return user

    return build


@pytest.fixture
def make_round(app):
    """Build a round: make_round(status="open", sections=3, moderation_mode="pre", ...)."""
    from review_app.rounds.models import Round, Section
    from review_app.timeutil import utcnow

    def build(status="open", sections=3, **overrides):
        slug = overrides.pop("slug", f"round-{uuid.uuid4().hex[:8]}")
        values = dict(
            slug=slug,
            title=f"Draft policy {slug}",
            summary="A proposed policy for public review.",
            department="Police Department",
            status=status,
            moderation_mode="post",
            allow_anonymous=True,
            opens_at=utcnow() - timedelta(days=3),
            closes_at=utcnow() + timedelta(days=30),
            districts=["Northside", "Riverside", "Eastgate"],
        )
        values.update(overrides)
        round_ = Round(**values)
        round_.sections = [
            Section(position=i, number=str(i), heading=f"Heading {i}", body=f"Body of section {i}.")
            for i in range(1, sections + 1)
        ]
        db.session.add(round_)
        db.session.commit()
        return round_

    return build


@pytest.fixture
def make_comment(app):
    """Build a stored comment: make_comment(round_, body="...", status="published", ...)."""
    from review_app.comments.models import Comment
    from review_app.timeutil import utcnow

    def build(round_, body="A resident's comment.", status="published", **overrides):
        parent = overrides.get("parent")
        values = dict(
            round_id=round_.id,
            body=body,
            status=status,
            receipt=uuid.uuid4().hex[:12].upper(),
            display_name="Resident",
            published_at=utcnow() if status == "published" else None,
        )
        if parent is not None:
            overrides.pop("parent")
            values.update(
                parent_id=parent.id,
                thread_id=parent.thread_id or parent.id,
                depth=parent.depth + 1,
                section_id=parent.section_id,
            )
        values.update(overrides)
        comment = Comment(**values)
        db.session.add(comment)
        db.session.commit()
        return comment

    return build


class AuthActions:
    """Sign in and out through the real forms, as a browser would."""

    def __init__(self, client):
        self._client = client

    def login(self, user, password=TEST_PASSWORD):
        return self._client.post("/account/login", data={"email": user.email, "password": password})

    def logout(self):
        return self._client.post("/account/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def official(make_user, auth):
    """An official, signed in."""
    user = make_user(roles=["official"])
    auth.login(user)
    return user


@pytest.fixture
def admin(make_user, auth):
    """An admin, signed in."""
    user = make_user(roles=["admin"])
    auth.login(user)
    return user
