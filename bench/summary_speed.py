"""How long the officials' summary takes for a large round, first computed and then cached.

    .venv/bin/python bench/summary_speed.py [--comments 100000] [--database-url URL] [--redis-url URL]
        [--pages [--first 5 --repeated 20]]

Loads a synthetic round (sentences from the nlp sentence bank, 30% copies of form letters,
analyses written directly, no pipeline run) into a fresh database (SQLite in a temporary
folder by default), then times build_summary twice. With --pages, it then times the summary
page as an official gets it (test client; without --redis-url no job queue and the fragment
cache in memory, so every view checks the data's stamp),
unfiltered and with each filter: the first request after a change of the data (the cache
emptied before each, and for the unfiltered page the stored summary removed) and repeated
requests, with p50 and p95 of each.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp import THEMES  # noqa: E402
from texts import sentences_by_theme  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy import text as sql  # noqa: E402

from review_app import create_app  # noqa: E402
from review_app.analysis.models import Campaign, CommentAnalysis  # noqa: E402
from review_app.comments.models import Comment  # noqa: E402
from review_app.accounts.models import User, UserRole  # noqa: E402
from review_app.accounts.passwords import hash_password  # noqa: E402
from review_app.extensions import cache, db  # noqa: E402
from review_app.reports.models import SummarySnapshot  # noqa: E402
from review_app.reports.summary import build_summary  # noqa: E402
from review_app.rounds.models import Round, Section  # noqa: E402
from review_app.timeutil import utcnow  # noqa: E402


def load(count: int, seed: int = 11, status: str = "closed", analysed: bool = True) -> Round:
    """A round of `count` comments; with analysed=False, no analyses and no campaigns: the
    pipeline has to find them."""
    rng = random.Random(seed)
    bank = {k: v for k, v in sentences_by_theme().items() if k in THEMES}
    round_ = Round(slug="big", title="Big round", status=status, districts=["A", "B"], allow_anonymous=True,
                   moderation_mode="post")
    round_.sections = [Section(position=i, number=str(i), heading=f"S{i}", body="") for i in range(1, 9)]
    db.session.add(round_)
    db.session.flush()
    letters = []
    for number in range(5):
        campaign = Campaign(round_id=round_.id, first_comment_id=0)
        db.session.add(campaign)
        db.session.flush()
        letters.append((campaign.id, " ".join(rng.choice(bank[k]) for k in rng.sample(list(bank), 4)), rng.sample(list(bank), 2)))
    now = utcnow()
    comments, analyses = [], []
    first_id = (db.session.scalar(select(func.max(Comment.id))) or 0) + 1  # after any comments already there
    for i in range(first_id, first_id + count):
        if rng.random() < 0.3:  # a copy of a form letter with a small edit of its own
            campaign_id, text, themes = rng.choice(letters)
            text = rng.choice(["", "Dear Council, ", "Hello. ", "To the city: "]) + text + rng.choice(["", " Thank you.", " A resident."])
        else:
            campaign_id, themes = None, rng.sample(list(bank), rng.choice([1, 1, 2, 3]))
            text = " ".join(rng.choice(bank[k]) for k in themes)
        comments.append({"id": i, "round_id": round_.id, "section_id": round_.sections[i % 8].id, "thread_id": i, "depth": 0,
                         "body": text, "status": "published", "channel": "web", "receipt": f"R{i}", "support_count": i % 7,
                         "campaign_id": campaign_id if analysed else None, "created_at": now, "updated_at": now, "published_at": now,
                         "stance": rng.choice(["support", "oppose", None])})
        analyses.append({"comment_id": i, "themes": themes, "theme_scores": {k: 0.8 for k in themes}, "stance": "unclear",
                         "pii": [], "has_pii": False, "lang": "en", "needs_human_review": False, "spam_score": 0.0,
                         "model_version": "bench", "analysed_at": now})
    db.session.execute(Comment.__table__.insert(), comments)
    if analysed:
        db.session.execute(CommentAnalysis.__table__.insert(), analyses)
    if db.engine.dialect.name == "postgresql":  # ids were given, so the sequence must be moved on by hand
        db.session.execute(sql("SELECT setval(pg_get_serial_sequence('comments', 'id'), (SELECT max(id) FROM comments))"))
    db.session.commit()
    return round_


PAGE_FILTERS = {  # in the generated round every comment is by web and of today: those two keep all of them
    "unfiltered": "", "section": "section=3", "stance": "stance=oppose", "channel": "channel=web",
    "date range": "date_from={month_start}&date_to={today}",
}


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_pages(app, round_: Round, first: int, repeated: int) -> None:
    """p50 / p95 in ms of the summary page, first after a change of the data and repeated."""
    password = "bench password that is long enough"
    official = User(email="official@bench.invalid", display_name="Official", password_hash=hash_password(password),
                    email_verified_at=utcnow(), role_rows=[UserRole(role="official")])
    db.session.add(official)
    db.session.commit()
    client = app.test_client()
    client.post("/account/login", data={"email": official.email, "password": password})
    today = utcnow().date()
    print("| summary page | first p50 | first p95 "
          "| repeated p50 | repeated p95 |\n| --- | ---: | ---: | ---: | ---: |")
    for name, query in PAGE_FILTERS.items():
        address = f"/reports/{round_.slug}/summary?" + query.format(month_start=today.replace(day=1), today=today)

        def get() -> float:
            start = time.perf_counter()
            response = client.get(address)
            assert response.status_code == 200, response.status_code
            return 1000 * (time.perf_counter() - start)

        firsts = []
        for _ in range(first):
            cache.clear()
            if not query:  # a filtered view is cached by the stored summary's version (with a queue): keep it
                db.session.query(SummarySnapshot).delete()
                db.session.commit()
            firsts.append(get())
        again = [get() for _ in range(repeated)]
        print(f"| {name} | {statistics.median(firsts):,.0f} | {_percentile(firsts, 0.95):,.0f} "
              f"| {statistics.median(again):,.1f} | {_percentile(again, 0.95):,.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url", help="as in production: the fragment cache in Redis and a job queue (no "
                        "worker runs: the stored summary stays as first counted)")
    parser.add_argument("--pages", action="store_true", help="time the summary page, unfiltered and filtered")
    parser.add_argument("--first", type=int, default=5, help="first requests timed per page (each recounts)")
    parser.add_argument("--repeated", type=int, default=20, help="repeated requests timed per page")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    config = {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url}
    if args.redis_url:
        config |= {"REDIS_URL": args.redis_url, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": args.redis_url,
                   "JOBS_IN_PROCESS": False}
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        round_ = load(args.comments)
        print(f"loaded {args.comments:,} comments in {time.perf_counter() - start:.1f} s ({db.engine.dialect.name})")
        start = time.perf_counter()
        summary = build_summary(round_)
        print(f"first summary: {time.perf_counter() - start:.1f} s ({summary.voices:,} voices)")
        start = time.perf_counter()
        build_summary(round_)
        print(f"cached summary (change check only): {1000 * (time.perf_counter() - start):.0f} ms")
        if args.pages:
            time_pages(app, round_, args.first, args.repeated)


if __name__ == "__main__":
    main()
