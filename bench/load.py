"""A 100,000-comment round end to end: tagging, campaign detection, the summary, then gunicorn
under 50 concurrent Locust clients, with the bare /healthz rate of the same server as ceiling.

    .venv/bin/python bench/load.py [--comments 100000] [--database-url URL] [--users 50] [--seconds 30]

Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/0): the served app runs as in production,
with analysis and summary recounts on a `flask worker`. SQLite in a temporary folder unless
--database-url names an empty PostgreSQL database (its tables are dropped and made again).
Prints figures; asserts nothing except that no accepted comment went missing.
"""

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy import text as sql  # noqa: E402
from summary_speed import load  # noqa: E402

from review_app import create_app, jobs  # noqa: E402
from review_app.analysis.models import Campaign  # noqa: E402
from review_app.analysis.services import analyse, pending  # noqa: E402
from review_app.comments.models import Comment, CommentStatus  # noqa: E402
from review_app.extensions import db  # noqa: E402
from review_app.jobs import enqueue  # noqa: E402
from review_app.reports.dashboard import precount_filter  # noqa: E402
from review_app.reports.summary import build_summary, stored_summary_version  # noqa: E402
from review_app.rounds.models import Round  # noqa: E402

PORT = 8765
PASSWORD = "bench password that is long enough"


def peak_rss_mb(pid: int) -> float:
    """The highest resident memory the process has had (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def prepare(app, count: int, env: dict) -> tuple[int, list[int]]:
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.commit()
        subprocess.run([sys.executable, "-m", "flask", "seed-demo", "--with-staff"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)  # a reported round for the public report page, and an official
        start = time.perf_counter()
        round_ = load(count, status="open", analysed=False)
        round_id = round_.id
        print(f"loaded {count:,} comments in {time.perf_counter() - start:.1f} s ({db.engine.dialect.name})")

        start, done = time.perf_counter(), 0
        while batch := pending(round_id, limit=2000):
            done += analyse(batch)
        seconds = time.perf_counter() - start
        campaigns = db.session.scalar(select(func.count()).select_from(Campaign))
        copies = db.session.scalar(select(func.count()).select_from(Comment).where(Comment.campaign_id.is_not(None)))
        print(f"tagging and campaign detection: {done:,} comments in {seconds:.1f} s ({done / seconds:,.0f}/s); "
              f"{campaigns} campaigns, {copies:,} comments in them")

        # Table statistics, as PostgreSQL's autovacuum (or SQLite's ANALYZE) keeps them on a live database.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sql("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))

        start = time.perf_counter()
        summary = build_summary(db.session.get(type(round_), round_id), fresh=True)
        print(f"summary aggregation: {time.perf_counter() - start:.1f} s ({summary.voices:,} voices)")
        threads = db.session.scalars(select(Comment.id).where(  # public ones: a comment held for personal data is not
            Comment.round_id == round_id, Comment.status == CommentStatus.PUBLISHED).limit(500)).all()
        return round_id, list(threads)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


def warm_up(paths: list[str], times: int = 20) -> None:
    """Ask for each page a few times first, so every web worker has compiled its templates and
    loaded its catalogues: the runs measure a server that has been up, not one starting."""
    for path in paths:
        for _ in range(times):
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30).close()


def locust(env: dict, users: int, seconds: int, prefix: str, mode: str) -> dict[str, dict]:
    """Run bench/locustfile.py in a BENCH_MODE; its figures per request name."""
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{PORT}",
               "--csv", prefix, "--only-summary", "--loglevel", "WARNING"]
    subprocess.run(command, env={**env, "BENCH_MODE": mode}, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def print_table(stats: dict[str, dict], names: list[str]) -> None:
    print(f"{'request':<18} {'count':>7} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7}")
    for name in names:
        if row := stats.get(name):
            print(f"{name:<18} {row['Request Count']:>7} {row['Failure Count']:>5} {row['50%']:>7} {row['95%']:>7} "
                  f"{row['99%']:>7} {float(row['Requests/s']):>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--think", default="0.1,0.5", help="each client's pause between requests, min,max seconds")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    queue = f"civic-bench-{os.getpid()}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    env = dict(os.environ, CIVIC_ENV="development", DATABASE_URL=url, REDIS_URL=redis_url, CIVIC_JOBS_QUEUE=queue,
               CIVIC_INSTANCE_DIR=str(folder), FLASK_APP="wsgi", RATELIMIT_ENABLED="0", DEMO_STAFF_PASSWORD=PASSWORD,
               WEB_CONCURRENCY=str(args.web_workers), BIND=f"127.0.0.1:{PORT}", BENCH_KEYS=str(folder / "accepted.txt"),
               BENCH_OFFICIAL="official@demo.civic-review.invalid", BENCH_PASSWORD=PASSWORD, BENCH_THINK=args.think)
    round_id, threads = prepare(app, args.comments, env)
    env["BENCH_THREADS"] = ",".join(map(str, threads))
    # As after every recount in production: the filtered views officials open first are counted by
    # jobs (the summary's recount job queues them; here the count came from prepare()).
    jobs_app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": redis_url,
                           "JOBS_QUEUE": queue, "JOBS_IN_PROCESS": False})
    with jobs_app.app_context():
        enqueue(precount_filter, round_id, 0, stored_summary_version(db.session.get(Round, round_id)))
    # On the same two cores as the web workers, at a lower priority, as README's serving section advises.
    worker = subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "flask", "worker"], env=env, cwd=ROOT,
                              stdout=open(folder / "worker.log", "w"), stderr=subprocess.STDOUT)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], env=env, cwd=ROOT,
                              stdout=open(folder / "gunicorn.log", "w"), stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        start = time.perf_counter()
        with jobs_app.app_context():
            while jobs.queue().count or jobs.queue().started_job_registry.count:
                time.sleep(1)
        print(f"filtered views counted by the job worker: {time.perf_counter() - start:.0f} s")
        warm_up(["/rounds/big", f"/rounds/big/comments/{threads[0]}", "/rounds/big/sections/2",
                 "/rounds/crisis-response-budget-2026/report", "/healthz"])
        # Each thread the clients read, once: a server that has been up has served its threads before.
        warm_up([f"/rounds/big/comments/{thread}" for thread in threads], times=1)
        with app.app_context():
            before = db.session.scalar(select(func.count()).select_from(Comment).where(Comment.round_id == round_id))
        pages = locust(env, args.users, args.seconds, str(folder / "mixed"), "mixed")
        fastest = locust(env, args.users, args.seconds, str(folder / "pages"), "pages")
        hello = locust(env, args.users, args.seconds, str(folder / "hello"), "hello")
        web_workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                                      text=True).stdout.split()]
        web_peak = max(peak_rss_mb(pid) for pid in web_workers)
        worker_peak = peak_rss_mb(worker.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
        time.sleep(5)  # let the worker finish the analyses the submissions queued
        worker.send_signal(signal.SIGTERM)
        worker.wait()

    ceiling = float(hello["/healthz"]["Requests/s"])
    print(f"\n{args.users} concurrent clients pausing {args.think} s between requests, for {args.seconds} s; "
          f"gunicorn {args.web_workers} workers x 4 threads; {url.split(':')[0]}")
    print_table(pages, ["round page", "thread page", "public report", "summary page", "summary page, one filter",
                        "section page", "submit comment", "Aggregated"])
    print(f"\nthe same {args.users} clients reading pages with no pause (round 4 : thread 3 : report 2 : section 1), "
          "then asking for /healthz with no pause")
    print_table({**fastest, "bare /healthz": hello["/healthz"]},
                ["round page", "thread page", "public report", "section page", "Aggregated", "bare /healthz"])
    views = float(fastest["Aggregated"]["Requests/s"])
    print(f"page views at full speed: {views:.1f} req/s = {100 * views / ceiling:.0f}% of the bare rate")

    accepted = ["web:" + key for key in (folder / "accepted.txt").read_text().split()]  # as the app stores a form's key
    with app.app_context():
        after = db.session.scalar(select(func.count()).select_from(Comment).where(Comment.round_id == round_id))
        stored = db.session.scalars(select(Comment.idempotency_key).where(Comment.idempotency_key.in_(accepted))).all()
        left = len(pending(round_id))
    # Requests cut off when the run ends may be stored without the client hearing back: more rows
    # than acknowledgements is fine, an acknowledged comment missing or stored twice is not.
    print(f"submissions acknowledged {len(accepted)}, of them stored {len(stored)} (once each: {len(set(stored)) == len(stored)}),"
          f" new rows {after - before}, still waiting for analysis {left}")
    print(f"peak memory: web worker {web_peak:.0f} MB, job worker {worker_peak:.0f} MB")
    if sorted(stored) != sorted(accepted):
        raise SystemExit("an acknowledged submission is missing or stored twice")


if __name__ == "__main__":
    main()
