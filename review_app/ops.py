"""Operations: liveness and readiness probes, and one structured log line per request."""

import logging
import time
import uuid

from flask import Blueprint, Flask, g, jsonify, request
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import text

from .extensions import db

bp = Blueprint("ops", __name__)
request_log = logging.getLogger("civic_review.requests")
# Every log line is one JSON object: a path or a header holding a line break cannot forge a line.
LOG_FORMAT = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                           rename_fields={"asctime": "time", "levelname": "level"})


@bp.get("/healthz")
def healthz():
    """The process answers: a load balancer may keep sending requests."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    """The database answers (and Redis, when configured): ready for real traffic."""
    from flask import current_app

    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001  report, don't raise: this is the probe's whole job
        checks["database"] = f"failing: {type(error).__name__}"
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as error:  # noqa: BLE001
            checks["redis"] = f"failing: {type(error).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return jsonify({"status": "ok" if ready else "failing", "checks": checks}), 200 if ready else 503


def _start_timer():
    g.request_started = time.perf_counter()
    g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex


def _log_request(response):
    duration = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    request_log.info({
        "request_id": g.get("request_id"), "method": request.method, "path": request.path,
        "status": response.status_code, "ms": round(duration, 1), "remote": request.remote_addr,
    })
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


def init_app(app: Flask) -> None:
    request_log.setLevel(logging.INFO)
    default_handler.setFormatter(LOG_FORMAT)  # the app's own log (errors)
    if not app.testing and not request_log.handlers:  # tests read the records through pytest's caplog
        handler = logging.StreamHandler()
        handler.setFormatter(LOG_FORMAT)
        request_log.addHandler(handler)
    app.register_blueprint(bp)
    app.before_request(_start_timer)
    app.after_request(_log_request)
