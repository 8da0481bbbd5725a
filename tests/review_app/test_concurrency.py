"""Many residents at once: every accepted comment is stored exactly once, on SQLite and PostgreSQL."""

import re
import threading

from sqlalchemy import func, select

from review_app.comments.models import Comment
from review_app.extensions import db

THREADS = 8
PER_THREAD = 6


def test_concurrent_submissions_and_double_clicks_lose_nothing_and_duplicate_nothing(app, make_round):
    round_ = make_round()
    slug = round_.slug
    receipts: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()

    def resident(number: int):
        client = app.test_client()
        for i in range(PER_THREAD):
            key = f"t{number}-c{i}"
            data = {"body": f"Resident {number}, comment {i}", "idempotency_key": key}
            for _ in range(2):  # a double click: the same form twice
                response = client.post(f"/rounds/{slug}/comments", data=data)
                location = response.headers.get("Location", "")
                match = re.search(r"/comments/receipt/(CR-\w+)", location)
                with lock:
                    if match:
                        receipts.append(match.group(1))
                    else:
                        failures.append(f"{key}: {response.status_code}")

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    db.session.expire_all()
    stored = db.session.scalars(select(Comment).where(Comment.round_id == round_.id)).all()
    assert len(stored) == THREADS * PER_THREAD
    assert len({c.idempotency_key for c in stored}) == THREADS * PER_THREAD
    # each acknowledged receipt names a stored comment, and both clicks got the same one
    assert set(receipts) == {c.receipt for c in stored}
    assert len(receipts) == 2 * THREADS * PER_THREAD
    assert db.session.scalar(select(func.count()).select_from(Comment)) == THREADS * PER_THREAD


def test_the_same_form_sent_from_two_threads_at_once_stores_one_comment(app, make_round):
    slug = make_round().slug  # read here: the threads have no database session of their own
    keys = [f"race-{i}" for i in range(10)]
    start = threading.Barrier(2)
    locations: dict[str, list[str]] = {key: [] for key in keys}
    lock = threading.Lock()

    def sender():
        client = app.test_client()
        for key in keys:
            start.wait()  # both threads send this key at the same moment
            response = client.post(f"/rounds/{slug}/comments", data={"body": f"Body {key}", "idempotency_key": key})
            with lock:
                locations[key].append(response.headers.get("Location"))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Comment)) == len(keys)
    for key, answers in locations.items():
        assert len(answers) == 2 and answers[0] == answers[1] and "/comments/receipt/" in answers[0], key
