"""Probes for load balancers and one structured log line per request."""

import json
import logging


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": "ok"}


def test_readiness_fails_when_redis_is_unreachable(client, app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["checks"]["redis"].startswith("failing")


def test_each_request_is_logged_as_one_json_line_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="civic_review.requests"):
        response = client.get("/healthz", headers={"X-Request-ID": "abc123"})
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "civic_review.requests"]
    assert line["request_id"] == "abc123" and line["path"] == "/healthz" and line["status"] == 200
    assert response.headers["X-Request-ID"] == "abc123"
