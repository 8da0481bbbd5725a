"""The demo rounds: valid data files and a loader that fills an empty database once."""

import json
import re

import pytest
from sqlalchemy import func, select

from review_app.comments.models import Comment, Support
from review_app.demo.loader import data_files
from review_app.extensions import db
from review_app.reports import services
from review_app.reports.models import ActionUpdate, ReportVersion
from review_app.rounds.importer import split_policy
from review_app.rounds.models import Round


@pytest.mark.parametrize("path", data_files(), ids=lambda p: p.name)
def test_data_files_are_consistent(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    sections = {part.number for part in split_policy(data["policy_markdown"])}
    residents = {r["key"] for r in data["residents"]}
    seen = set()
    for comment in data["comments"]:
        assert comment["key"] not in seen
        assert comment["reply_to"] is None or comment["reply_to"] in seen, comment["key"]
        assert comment["section"] is None or comment["section"] in sections, comment["key"]
        assert comment["author"] is None or comment["author"] in residents
        assert comment["status"] in {"published", "pending", "hidden", "rejected"}
        seen.add(comment["key"])


def test_seed_demo_loads_rounds_in_several_states_once(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    rounds = {r.status: r for r in db.session.scalars(select(Round))}
    # The budget round closed and the city reported back on it, so a new user sees the whole cycle.
    assert {"open", "reported"} <= set(rounds)
    assert len(rounds["open"].sections) >= 8
    draft, report = db.session.scalars(select(ReportVersion).order_by(ReportVersion.number)).all()
    assert report.round_id == rounds["reported"].id and report.content["themes"]
    # The reported round went through a response review: residents commented on the draft actions
    # in English and Spanish, the final plan changed because of them, and two updates followed.
    assert (draft.stage, report.stage) == ("draft", "final")
    review = db.session.scalar(select(Round).where(Round.responds_to_id == rounds["reported"].id))
    assert review.status == "closed" and review.closes_at < report.published_at
    review_comments = db.session.scalars(select(Comment).where(Comment.round_id == review.id)).all()
    assert any(c.analysis and c.analysis.lang == "es" for c in review_comments) and any("Month 9" in c.body for c in review_comments)
    diff = services.version_diff(draft.content, report.content)
    changed = {t["key"]: t for t in diff}
    assert "alternative_response" in changed and "Spanish-speaking" in changed["alternative_response"]["reason"]
    feedback = next(t for t in report.content["themes"] if t["key"] == "alternative_response")["draft_feedback"]
    assert feedback["comments"] >= 3 and feedback["supports"] > 0
    assert len(db.session.scalars(select(ActionUpdate)).all()) == 2
    comments = db.session.scalars(select(Comment)).all()
    assert len(comments) >= 150
    assert any(c.depth == 2 for c in comments)
    assert any(c.status == "pending" for c in comments)
    by_id = {c.id: c for c in comments}
    for comment in comments:
        assert by_id[comment.thread_id].round_id == comment.round_id
        backers = db.session.scalar(select(func.count()).select_from(Support).where(Support.comment_id == comment.id))
        assert comment.support_count == backers

    again = runner.invoke(args=["seed-demo"])
    assert "already has rounds" in again.output
    assert db.session.scalar(select(func.count()).select_from(Comment)) == len(comments)


def test_staff_accounts_get_a_printed_password_that_signs_in(runner, client):
    result = runner.invoke(args=["seed-demo", "--with-staff"])
    password = re.search(r"password: (\S+)", result.output).group(1)
    response = client.post("/account/login", data={"email": "moderator@demo.civic-review.invalid", "password": password})
    assert response.status_code == 302
    assert client.get("/admin/rounds/").status_code == 403  # a moderator, not an admin


def test_demo_residents_cannot_sign_in(runner, client):
    runner.invoke(args=["seed-demo"])
    response = client.post("/account/login", data={"email": "r01@demo.civic-review.invalid", "password": "!demo-account-cannot-sign-in"})
    assert response.status_code == 422
