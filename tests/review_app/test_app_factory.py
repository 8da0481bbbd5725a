"""The application factory and its production safety checks."""

import pytest

from review_app import create_app


def test_home_page_answers_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_error_pages_carry_security_headers_and_no_traceback(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert b"Traceback" not in response.data


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("key", ["", "dev", "short-key"])
def test_production_refuses_a_weak_secret_key(key, database_url):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": database_url})


def test_production_refuses_debug(database_url):
    with pytest.raises(RuntimeError, match="debug"):
        create_app({"ENV_NAME": "production", "DEBUG": True, "SECRET_KEY": "x" * 40,
                    "SQLALCHEMY_DATABASE_URI": database_url})
