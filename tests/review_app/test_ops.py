"""Probes for load balancers and one structured log line per request."""

import json
import logging

from review_app.ops import LOG_FORMAT


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
    [line] = [json.loads(LOG_FORMAT.format(r)) for r in caplog.records if r.name == "civic_review.requests"]
    assert line["request_id"] == "abc123" and line["path"] == "/healthz" and line["status"] == 200
    assert response.headers["X-Request-ID"] == "abc123"


def test_a_line_break_in_a_path_cannot_forge_a_log_line(app, client, caplog):
    def broken(rest):
        raise RuntimeError("boom")

    app.add_url_rule("/broken/<rest>", "broken", broken)
    with caplog.at_level(logging.INFO):
        client.get('/broken/x%0a{"level": "INFO", "message": "forged"}')
        client.get('/nowhere%0d%0a{"level": "INFO"}')
    lines = [LOG_FORMAT.format(r) for r in caplog.records if r.name in ("civic_review.requests", app.logger.name)]
    assert len(lines) == 3
    for line in lines:
        assert "\n" not in line and "\r" not in line
        assert json.loads(line)["level"] in ("INFO", "ERROR")
    error = json.loads(lines[0])
    assert error["level"] == "ERROR" and '/broken/x\n{"level"' in error["message"] and "RuntimeError" in error["exc_info"]
