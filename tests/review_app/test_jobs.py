"""Background work: analysis after the comment is safe, re-tagging that resumes, and RQ workers
that can be killed without losing a comment."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from review_app import jobs
from review_app.analysis.models import Campaign, CommentAnalysis
from review_app.analysis.services import mark_for_retagging
from review_app.comments.models import Comment
from review_app.extensions import db

LETTER = ("I urge the Council to adopt the draft policy without weakening it. The ban on chokeholds, the duty to "
          "intervene and the rule that officers report every use of force within one shift are the least this city "
          "owes its residents after the last five years. Please do not let the union water it down.")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def analyses() -> dict[int, CommentAnalysis]:
    db.session.expire_all()
    return {a.comment_id: a for a in db.session.scalars(select(CommentAnalysis))}


def _make_recount_due(snapshot) -> None:
    """Date the summary's last check back past the wait before its recount (however long its count took)."""
    from review_app.reports.summary import recount_wait

    snapshot.checked_at -= recount_wait(snapshot.count_seconds) + timedelta(seconds=1)
    db.session.commit()


# ---- in process (no Redis) ----------------------------------------------------------------------

def test_retag_redoes_every_analysis_and_keeps_campaigns_and_a_moderators_split(app, runner, make_round, make_comment):
    round_, other = make_round(), make_round()
    copies = [make_comment(round_, body=greeting + LETTER) for greeting in ("", "Dear Council, ", "Hi. ")]
    split_copies = [make_comment(other, body=greeting + LETTER) for greeting in ("", "Hello, ")]
    runner.invoke(args=["analyse"])
    campaign_of_other = db.session.scalar(select(Campaign).where(Campaign.round_id == other.id))
    split_copies[1].campaign_id = None  # as moderation.services.split_campaign leaves them
    split_copies[0].campaign_id = None
    campaign_of_other.status = "split"
    db.session.commit()
    before = analyses()

    result = runner.invoke(args=["retag"])

    assert result.exit_code == 0, result.output
    assert "marked 5 comments for re-tagging" in result.output and "done: 5 comments analysed" in result.output
    after = analyses()
    assert all(not a.stale and a.analysed_at >= before[i].analysed_at for i, a in after.items())
    assert [after[c.id].duplicate_of_id for c in copies] == [None, copies[0].id, copies[0].id]
    db.session.expire_all()
    assert len({c.campaign_id for c in copies}) == 1 and copies[0].campaign_id is not None
    assert [c.campaign_id for c in split_copies] == [None, None]  # the split holds
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 2


def test_an_interrupted_retag_resumes_where_it_stopped(app, runner, make_round, make_comment, monkeypatch):
    import review_app.analysis.cli as cli
    import review_app.analysis.services as services

    round_ = make_round()
    for i in range(7):
        make_comment(round_, body=f"Comment number {i} about the crisis team.")
    runner.invoke(args=["analyse"])
    real_analyse, calls = services.analyse, []

    def dies_on_the_second_batch(batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_analyse(batch)

    monkeypatch.setattr(cli, "BATCH", 3)
    monkeypatch.setattr(cli, "analyse", dies_on_the_second_batch)
    result = runner.invoke(args=["retag", "--round", round_.slug])
    assert result.exit_code != 0
    assert sum(a.stale for a in analyses().values()) == 4  # 3 done, 4 left

    monkeypatch.setattr(cli, "analyse", real_analyse)
    result = runner.invoke(args=["analyse", "--round", round_.slug])
    assert "done: 4 comments analysed" in result.output
    assert not any(a.stale for a in analyses().values())


def test_retag_names_an_unknown_round(runner, app):
    result = runner.invoke(args=["retag", "--round", "no-such-round"])
    assert result.exit_code == 2 and "no round has the slug 'no-such-round'" in result.output


def test_copies_analysed_by_another_process_are_still_found(app, make_round, make_comment):
    """Each process keeps its own duplicate index; it must take in what other processes stored."""
    from review_app.analysis.services import analyse

    round_ = make_round()
    analyse([make_comment(round_, body="An unrelated first comment about street lights and parks in the evening.")])
    elsewhere = make_comment(round_, body=LETTER)
    db.session.add(CommentAnalysis(comment_id=elsewhere.id, model_version="other-worker"))  # as another worker would
    db.session.commit()

    copy = make_comment(round_, body="Dear Council, " + LETTER)
    analyse([copy])

    assert analyses()[copy.id].duplicate_of_id == elsewhere.id


def test_mark_for_retagging_touches_only_the_round_asked_for(app, make_round, make_comment):
    from review_app.analysis.services import analyse

    first, second = make_round(), make_round()
    analyse([make_comment(first, body="one"), make_comment(second, body="two")])
    assert mark_for_retagging(first.id) == 1
    assert sorted((a.comment.round_id, a.stale) for a in analyses().values()) == [(first.id, True), (second.id, False)]


# ---- on RQ with Redis ---------------------------------------------------------------------------

def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    try:
        Redis.from_url(REDIS_URL).ping()
    except RedisDown:
        if os.environ.get("CIVIC_REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")


def _worker(database_url: str, queue_name: str, tmp_path, *args) -> subprocess.Popen:
    """`flask worker` in a process of its own, logging to worker.log in tmp_path."""
    env = dict(os.environ, CIVIC_ENV="development", DATABASE_URL=database_url, REDIS_URL=REDIS_URL,
               CIVIC_JOBS_QUEUE=queue_name, CIVIC_INSTANCE_DIR=str(tmp_path), FLASK_APP="wsgi")
    with open(tmp_path / "worker.log", "a") as log:
        return subprocess.Popen([sys.executable, "-m", "flask", "worker", *args], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)


class TestOnRedis:
    """The same app with REDIS_URL set: jobs go to a queue of their own per test."""

    @pytest.fixture
    def app_config(self):
        return {"REDIS_URL": REDIS_URL, "JOBS_QUEUE": f"civic-test-{uuid.uuid4().hex[:8]}"}

    @pytest.fixture
    def rq_queue(self, app):
        _redis_or_skip()
        queue = jobs.queue()
        yield queue
        for left in queue.get_jobs():  # never run: their once-keys would keep the next test's jobs out
            if left.meta.get("once_key"):
                queue.connection.delete(jobs.waiting_key(left.meta["once_key"]))
        queue.empty()
        queue.delete(delete_jobs=True)

    def test_with_redis_a_comment_is_stored_at_once_and_analysed_by_a_worker(self, app, client, make_round, rq_queue):
        from rq import SimpleWorker

        round_ = make_round()
        response = client.post(f"/rounds/{round_.slug}/comments", data={"body": "Email me at ana@example.org", "idempotency_key": "k"})
        assert response.status_code == 302
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
        assert analyses() == {}  # nothing analysed in the request
        [queued] = rq_queue.get_jobs()
        assert queued.func_name == "review_app.jobs.analyse_comments" and queued.retries_left == jobs.RETRIES

        SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True)

        [analysis] = analyses().values()
        assert analysis.pii[0]["kind"] == "email"

    def test_with_redis_unreachable_the_comment_is_still_stored(self, app, client, make_round):
        app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
        round_ = make_round()
        response = client.post(f"/rounds/{round_.slug}/comments", data={"body": "Still here", "idempotency_key": "k"})
        assert response.status_code == 302 and "/comments/receipt/" in response.headers["Location"]
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
        assert analyses() == {}  # left for the workers' sweep

    def test_worker_needs_redis(self, runner, app):
        app.config["REDIS_URL"] = None
        result = runner.invoke(args=["worker", "--burst"])
        assert result.exit_code == 2 and "Set REDIS_URL" in result.output

    def test_a_worker_killed_mid_queue_loses_nothing_and_the_next_one_finishes(
            self, app, database_url, make_round, make_comment, rq_queue, tmp_path):
        round_ = make_round()
        total = 300
        ids = [make_comment(round_, body=f"Comment {i}: " + LETTER[: 40 + i % 150]).id for i in range(total)]
        for comment_id in ids:  # one job per comment, as submissions make them
            jobs.enqueue(jobs.analyse_comments, [comment_id])
        db.session.commit()

        worker = _worker(database_url, rq_queue.name, tmp_path)
        deadline = time.monotonic() + 120
        while len(analyses()) < 20 and time.monotonic() < deadline and worker.poll() is None:
            db.session.rollback()
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)  # no chance to finish or clean up
        worker.wait()
        done_before_restart = len(analyses())
        assert 0 < done_before_restart < total, "the worker should die with work left"

        restarted = _worker(database_url, rq_queue.name, tmp_path, "--burst")
        assert restarted.wait(timeout=300) == 0, (tmp_path / "worker.log").read_text()

        stored = analyses()
        assert sorted(stored) == ids  # every comment analysed, each exactly once (comment_id is unique)
        assert db.session.scalar(select(func.count()).select_from(Comment)) == total

    def test_summaries_are_served_as_counted_and_recounted_by_one_job(self, app, make_round, make_comment, rq_queue):
        from rq import SimpleWorker

        from review_app.reports.models import SummarySnapshot
        from review_app.reports.summary import build_summary

        round_ = make_round()
        make_comment(round_, body="First voice")
        assert build_summary(round_).comments == 1  # no snapshot yet: counted at once
        make_comment(round_, body="Second voice")
        assert build_summary(round_).comments == 1  # checked recently: served as counted, no job
        assert rq_queue.count == 0

        _make_recount_due(db.session.get(SummarySnapshot, round_.id))
        assert build_summary(round_).comments == 1 and build_summary(round_).comments == 1
        assert rq_queue.count == 1  # two stale views, one recount
        SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True)  # ends this session

        round_ = db.session.merge(round_)
        assert build_summary(round_).comments == 2
        assert build_summary(round_, fresh=True).comments == 2

    def test_after_a_recount_jobs_count_each_stance_and_section_before_an_official_asks(self, app, make_round, make_comment,
                                                                                        rq_queue, monkeypatch):
        from review_app.reports import dashboard
        from review_app.reports.dashboard import Filters, filtered_summary, first_filters, precount_filter
        from review_app.reports.models import SummarySnapshot
        from review_app.reports.summary import build_summary, refresh_summary, stored_summary_version

        round_ = make_round(sections=2)
        make_comment(round_, body="A first voice", section_id=round_.sections[0].id)
        build_summary(round_)
        make_comment(round_, body="A second voice", section_id=round_.sections[1].id)
        _make_recount_due(db.session.get(SummarySnapshot, round_.id))
        refresh_summary.__wrapped__(round_.id)  # the job, in this process (and its cache)
        [queued] = rq_queue.get_jobs()
        assert queued.func_name.endswith("precount_filter") and queued.args[:2] == (round_.id, 0)

        version = stored_summary_version(round_)
        for index in range(len(first_filters(round_))):  # each job queues the next: run them here, one by one
            precount_filter.__wrapped__(round_.id, index, version)
        assert len(rq_queue.get_jobs()) == len(first_filters(round_))  # the first and each next one, the last none
        counted = []
        real = dashboard._compute_summary
        monkeypatch.setattr(dashboard, "_compute_summary", lambda *a, **k: counted.append(a) or real(*a, **k))
        assert filtered_summary(round_, Filters(section="2")).comments == 1
        assert filtered_summary(round_, Filters(stance="unclear")).comments == 2
        assert counted == []  # counted by the jobs
        assert filtered_summary(round_, Filters(section="2", stance="unclear")).comments == 1 and len(counted) == 1

        make_comment(round_, body="A third voice")
        _make_recount_due(db.session.get(SummarySnapshot, round_.id))
        refresh_summary.__wrapped__(round_.id)
        precount_filter.__wrapped__(round_.id, 0, version)  # a chain of an older count stops
        assert len(counted) == 1 and len(rq_queue.get_jobs()) == len(first_filters(round_)) + 1  # only the new chain's first

    def test_a_slow_count_is_repeated_less_often(self, app, make_round, make_comment, rq_queue):
        from review_app.reports.models import SummarySnapshot
        from review_app.reports.summary import RECOUNT_SPACING, build_summary

        round_ = make_round()
        make_comment(round_, body="First voice")
        build_summary(round_)
        max_age = app.config["SUMMARY_MAX_AGE"]
        snapshot = db.session.get(SummarySnapshot, round_.id)
        snapshot.count_seconds = max_age  # a count that took as long as the usual wait
        snapshot.checked_at -= timedelta(seconds=max_age + 1)
        db.session.commit()
        build_summary(round_)
        assert rq_queue.count == 0  # the usual wait is over, not the longer one
        snapshot.checked_at -= timedelta(seconds=RECOUNT_SPACING * max_age)
        db.session.commit()
        build_summary(round_)
        assert rq_queue.count == 1

    def test_the_summary_page_is_rendered_once_per_stored_summary(self, app, client, auth, make_round, make_comment,
                                                                  make_user, rq_queue):
        from flask import template_rendered
        from rq import SimpleWorker

        from review_app.reports.models import SummarySnapshot

        round_ = make_round()
        make_comment(round_, body="First voice")
        auth.login(make_user(roles=["official"]))
        url = f"/reports/{round_.slug}/summary"

        def bodies_rendered() -> tuple[int, str]:
            rendered = []
            with template_rendered.connected_to(lambda sender, template, **extra: rendered.append(template.name), app):
                page = client.get(url).get_data(as_text=True)
            return rendered.count("reports/_summary_body.html"), page

        assert bodies_rendered()[0] == 1  # counted at once: nothing stored yet
        count, page = bodies_rendered()
        assert count == 1 and "1 published comments" in page  # stored now: rendered for it once
        make_comment(round_, body="Second voice")
        count, page = bodies_rendered()
        assert count == 0 and "1 published comments" in page  # the same stored summary: not rendered again

        _make_recount_due(db.session.get(SummarySnapshot, round_.id))
        bodies_rendered()  # queues the recount
        SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True)
        count, page = bodies_rendered()
        assert count == 1 and "2 published comments" in page  # rebuilt: rendered anew
