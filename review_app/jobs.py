"""Background work: on an RQ queue in Redis when REDIS_URL is set, in this process when it is not.

Jobs are module-level functions called with plain ids, so a worker on another machine needs
only the database and the queue. Every job is safe to run twice: it looks in the database for
what is still to do, which is also how work lost with a killed worker is found again (the
`flask worker` command sweeps for it when it starts).
"""

import functools
import os

import click
from flask import current_app
from flask.cli import with_appcontext

from .extensions import db

RETRIES = 3  # a failed job goes back on the queue this many times
WORKER_NICENESS = 10
ONCE_KEY_SECONDS = 600  # a once-only job lost with its worker can be queued again after this
BATCH = 500


def _redis():
    from redis import Redis

    connections = current_app.extensions.setdefault("civic_redis", {})
    url = current_app.config["REDIS_URL"]
    if url not in connections:
        connections[url] = Redis.from_url(url)
    return connections[url]


def queue():
    """The RQ queue, or None when jobs run in this process."""
    if not current_app.config["REDIS_URL"] or current_app.config["JOBS_IN_PROCESS"]:
        return None
    from rq import Queue

    return Queue(current_app.config["JOBS_QUEUE"], connection=_redis())


def waiting_key(once_key: str) -> str:
    """The Redis key that marks a job queued under `once_key` and not yet started."""
    return f"civic:waiting:{once_key}"


def job(function):
    """On a worker, a job leaves no session behind: the next job must read fresh rows. (Run in
    process, through `__wrapped__`, the caller's session and objects stay as they were.)"""

    @functools.wraps(function)
    def run(*args):
        from rq import get_current_job

        current = get_current_job()
        if current is not None and current.meta.get("once_key"):
            _redis().delete(waiting_key(current.meta["once_key"]))  # changes from now on need a new run
        try:
            return function(*args)
        finally:
            db.session.remove()

    return run


def enqueue(function, *args, once_key: str | None = None) -> None:
    """Queue the job, or run it now when there is no queue. With `once_key`, a job already
    waiting under that key is not queued again. A failure is logged, never raised: the work
    it stands for is recorded in the database and a later sweep or view asks for it again."""
    try:
        jobs = queue()
        if jobs is None:
            function.__wrapped__(*args)
            return
        from rq import Retry

        if once_key and not _redis().set(waiting_key(once_key), 1, nx=True, ex=ONCE_KEY_SECONDS):
            return
        jobs.enqueue_call(function, args=args, retry=Retry(max=RETRIES), result_ttl=0, meta={"once_key": once_key})
    except Exception:  # noqa: BLE001  the request that asked for the job has already succeeded
        db.session.rollback()
        current_app.logger.exception("Job %s%s failed or could not be queued; the work is recorded and will be redone",
                                     function.__name__, args)


# ---- the jobs -----------------------------------------------------------------------------------

@job
def analyse_comments(comment_ids: list[int]) -> int:
    """Analyse those of the comments that still need it (new, or marked for re-tagging)."""
    from .analysis.services import analyse, pending

    return analyse(pending(ids=comment_ids))


@job
def send_report_notices() -> tuple[int, int]:
    from .reports.services import send_notifications, smtp_sender

    return send_notifications(smtp_sender())


def enqueue_pending(round_id: int | None = None) -> int:
    """Queue every comment still waiting for analysis, in batches; returns how many."""
    from .analysis.services import pending_ids

    ids = pending_ids(round_id)
    for start in range(0, len(ids), BATCH):
        enqueue(analyse_comments, ids[start:start + BATCH])
    return len(ids)


# ---- commands -----------------------------------------------------------------------------------

@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty instead of waiting for more.")
@with_appcontext
def worker_command(burst: bool):
    """Run background jobs from the Redis queue (start one per core, on as many machines as needed)."""
    if queue() is None:
        raise click.UsageError("Set REDIS_URL to run a worker; without it, jobs run inside the web process.")
    from rq import SimpleWorker

    from .analysis.services import tagger

    os.nice(WORKER_NICENESS)  # on a machine shared with web workers, page views come first
    tagger()  # load the pipeline before the first job, not during it
    swept = enqueue_pending()
    click.echo(f"queued {swept} comments still waiting for analysis")
    # One process per worker, no fork per job: the pipeline and the near-duplicate indexes stay
    # loaded between jobs. Scale out by starting more workers. (No RQ scheduler: it forks a
    # process that would share this one's database connections; retries go straight back.)
    SimpleWorker([queue()], connection=_redis()).work(burst=burst)
