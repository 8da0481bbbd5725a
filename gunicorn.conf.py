"""Production serving: `gunicorn -c gunicorn.conf.py wsgi:app` behind a reverse proxy.

Settings come from the environment, like the app's own (see config.py and the README).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two workers per core with four threads each: requests mostly wait on the database. Rate limits
# and the page cache live in Redis when REDIS_URL is set; without it each process keeps its own,
# so every limit would count once per worker: then one worker, and a refusal to start more.
shared_storage = bool(os.environ.get("REDIS_URL"))
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 if shared_storage else 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then, so a slow leak never grows
max_requests_jitter = 200
accesslog = None  # the app writes one JSON line per request (civic_review.requests)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    limits_on = os.environ.get("RATELIMIT_ENABLED", "1") == "1"
    if server.cfg.workers > 1 and limits_on and not shared_storage:
        raise RuntimeError(
            f"Refusing to start {server.cfg.workers} workers without REDIS_URL: each would keep its own rate limits, "
            "multiplying every limit. Set REDIS_URL, or run one worker (WEB_CONCURRENCY=1) with more threads."
        )
