"""The security bar of ../shared/SECURITY.md that applies to the whole app."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select, text

from review_app.comments.models import Comment
from review_app.extensions import db

from ..conftest import TEST_PASSWORD, make_test_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_client(_schema):
    app = make_test_app(_schema, ENV_NAME="production", SECRET_KEY="p" * 40, PUBLIC_BASE_URL="https://localhost", WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()  # its own connection pool: close it rather than leave it to the GC


def test_session_cookie_is_secure_httponly_and_lax_in_production(production_client, make_user):
    user = make_user()
    response = production_client.post(
        "/account/login", data={"email": user.email, "password": TEST_PASSWORD}, base_url="https://localhost"
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("civic_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"].lower() or "max-age" in response.headers["Strict-Transport-Security"]


def test_production_redirects_plain_http_to_https(production_client):
    response = production_client.get("/")
    assert response.status_code in (301, 302) and response.headers["Location"].startswith("https://")


def test_unexpected_errors_show_no_traceback_and_keep_headers(_schema):
    app = make_test_app(_schema, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail SELECT * FROM users")

    response = app.test_client().get("/boom")
    with app.app_context():
        db.engine.dispose()
    assert response.status_code == 500
    assert b"secret detail" not in response.data and b"Traceback" not in response.data
    assert "object-src 'none'" in response.headers["Content-Security-Policy"]


def test_large_bodies_are_refused_with_413(client, make_round):
    round_ = make_round()
    response = client.post(f"/rounds/{round_.slug}/comments", data={"body": "x" * 300_000, "idempotency_key": "k"})
    assert response.status_code == 413
    assert db.session.scalars(select(Comment)).all() == []


def test_no_template_or_python_marks_user_data_safe():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if re.search(r"\|\s*safe\b", path.read_text()):
            offenders.append(str(path))
    # The two sanitizing helpers, and the helper that marks rendered (so escaped) templates.
    allowed = {"review_app/text.py", "review_app/fragment_cache.py"}
    for path in (ROOT / "review_app").rglob("*.py"):
        relative = str(path.relative_to(ROOT))
        if relative not in allowed and re.search(r"\bMarkup\(", path.read_text()):
            offenders.append(relative)
    assert offenders == []


def _all_rows():
    """Every row of every table, to prove a request changed nothing (the stored summaries are a
    cache of counts a view may fill)."""
    snapshot = {}
    for table in db.metadata.sorted_tables:
        if table.name == "summary_snapshots":
            continue
        rows = db.session.execute(table.select()).all()
        snapshot[table.name] = sorted(map(repr, rows))
    return snapshot


def test_no_get_request_changes_the_database(app, client, make_round, make_comment, make_user, auth):
    admin = make_user(roles=["admin"])
    round_ = make_round()
    comment = make_comment(round_)
    auth.login(admin)
    values = {"slug": round_.slug, "number": "1", "comment_id": comment.id, "receipt": comment.receipt,
              "user_id": admin.id, "section_id": round_.sections[0].id, "target": "closed", "role": "moderator",
              "filename": "site.css", "campaign_id": 1, "code": "es", "verdict": "confirm", "theme": "use_of_force", "token_id": 1, "action_id": 1}
    db.session.expire_all()
    before = _all_rows()
    visited = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        client.get(url).close()
        visited += 1
    db.session.expire_all()
    assert visited > 10
    assert _all_rows() == before


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_login_is_limited_per_address_with_retry_after(self, client):
        for _ in range(10):
            client.post("/account/login", data={"email": f"x{_}@example.org", "password": "wrong password"})
        response = client.post("/account/login", data={"email": "y@example.org", "password": "wrong password"})
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0

    def test_a_forged_forwarded_for_header_does_not_reset_the_limit(self, client):
        for i in range(10):
            client.post("/account/login", data={"email": "z@example.org", "password": "wrong"},
                        headers={"X-Forwarded-For": f"10.0.0.{i}"})
        response = client.post("/account/login", data={"email": "z@example.org", "password": "wrong"},
                               headers={"X-Forwarded-For": "10.9.9.9"})
        assert response.status_code == 429

    def test_commenting_is_limited_and_the_text_comes_back(self, client, make_round):
        round_ = make_round()
        for i in range(5):
            client.post(f"/rounds/{round_.slug}/comments", data={"body": f"comment {i}", "idempotency_key": f"k{i}"})
        response = client.post(f"/rounds/{round_.slug}/comments", data={"body": "my sixth thought", "idempotency_key": "k6"})
        assert response.status_code == 429
        assert b"my sixth thought" in response.data and b"wait a few minutes" in response.data
        assert len(db.session.scalars(select(Comment)).all()) == 5

    def test_registration_is_limited(self, client):
        for i in range(5):
            client.post("/account/register", data={"email": f"r{i}@example.org"})
        assert client.post("/account/register", data={"email": "r9@example.org"}).status_code == 429


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def token_from(page: bytes) -> str:
        return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()

    def test_forms_without_a_token_are_refused_and_store_nothing(self, client, make_round, make_user):
        round_ = make_round()
        user = make_user()
        assert client.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 400
        assert client.post("/account/register", data={"email": "a@example.org"}).status_code == 400
        response = client.post(f"/rounds/{round_.slug}/comments", data={"body": "hi", "idempotency_key": "k"})
        assert response.status_code == 400
        assert db.session.scalars(select(Comment)).all() == []

    def test_with_the_token_from_the_page_it_works(self, client, make_round, make_user):
        round_ = make_round()
        page = client.get(f"/rounds/{round_.slug}").data
        response = client.post(
            f"/rounds/{round_.slug}/comments",
            data={"body": "with token", "idempotency_key": "k", "csrf_token": self.token_from(page)},
        )
        assert response.status_code == 302
        user = make_user()
        login_page = client.get("/account/login").data
        signed_in = client.post(
            "/account/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": self.token_from(login_page)}
        )
        assert signed_in.status_code == 302
        assert client.post("/account/logout").status_code == 400  # logout is a form too
        assert client.get("/account/").status_code == 200


def test_sql_fragments_in_parameters_are_harmless(client, make_round):
    round_ = make_round()
    for query in ("sort=newest;DELETE FROM comments", "page=1 OR 1=1", "sort=' OR '1'='1"):
        assert client.get(f"/rounds/{round_.slug}?{query}").status_code == 200
    assert db.session.execute(text("SELECT count(*) FROM rounds")).scalar() == 1
