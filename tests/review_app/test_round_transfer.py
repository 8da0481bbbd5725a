"""flask export-round / import-round: a round with everything in it survives the round trip."""

import json

from sqlalchemy import func, select

from review_app.analysis.models import Campaign, CommentAnalysis
from review_app.comments.models import Comment, CommentContact, DemographicAnswer, Support
from review_app.extensions import db
from review_app.moderation import services as moderation
from review_app.moderation.models import Flag, ModerationLogEntry
from review_app.reports import actions
from review_app.reports.models import ActionUpdate, OutboxMessage, ReportVersion, ThemeResponse
from review_app.reports.services import publish
from review_app.rounds.models import Round

from ..conftest import _empty_all_tables

SLUG = "crisis-response-budget-2026"  # the demo's reported round: report, campaigns, replies, moderation


def _snapshot(slug: str) -> dict:
    """The round's content described without ids, so two copies compare equal."""
    db.session.expire_all()
    round_ = db.session.scalar(select(Round).where(Round.slug == slug))
    comments = db.session.scalars(select(Comment).where(Comment.round_id == round_.id).order_by(Comment.id)).all()
    body = {c.id: c.body for c in comments}
    campaigns = db.session.scalars(select(Campaign).where(Campaign.round_id == round_.id)).all()
    reports = db.session.scalars(select(ReportVersion).where(ReportVersion.round_id == round_.id)).all()
    quotes = [body[q["id"]][:20] for r in reports for theme in r.content["themes"] for q in theme["quotes"]]
    return {
        "round": (round_.title, round_.status, round_.opens_at, [s.heading for s in round_.sections]),
        "comments": [(c.body, c.public_body, c.status, c.stance, c.published_at, body.get(c.parent_id), body.get(c.thread_id),
                      c.section.heading if c.section else None, c.author.email if c.author else None) for c in comments],
        "analyses": sorted((body[a.comment.id], tuple(a.themes), a.stance, body.get(a.duplicate_of_id))
                           for c in comments if (a := c.analysis)),
        "campaigns": sorted((body[c.first_comment_id], c.status,
                             sum(1 for x in comments if x.campaign_id == c.id)) for c in campaigns),
        "report quotes": quotes,
        "outbox": db.session.scalar(select(func.count()).select_from(OutboxMessage)),
        "rows": {model.__tablename__: db.session.scalar(select(func.count()).select_from(model).where(where))
                 for model, where in [(Support, Support.comment_id.in_(body)), (Flag, Flag.comment_id.in_(body)),
                                      (DemographicAnswer, DemographicAnswer.round_id == round_.id),
                                      (ModerationLogEntry, ModerationLogEntry.round_id == round_.id),
                                      (ThemeResponse, ThemeResponse.round_id == round_.id),
                                      (ActionUpdate, ActionUpdate.response_id.in_(
                                          select(ThemeResponse.id).where(ThemeResponse.round_id == round_.id)))]},
        # the tracker still finds each action of the final plan by its id
        "tracked": [(row["theme"], row["status"], len(row["updates"])) for row in actions.tracked(round_)],
    }


def test_a_round_exported_and_imported_into_an_empty_database_is_the_same_round(app, runner, tmp_path, make_user):
    runner.invoke(args=["seed-demo"])
    round_ = db.session.scalar(select(Round).where(Round.slug == SLUG))
    first, second = db.session.scalars(select(Comment).where(Comment.round_id == round_.id).limit(2))
    moderation.flag(first, make_user(), "off_topic")
    moderation.redact(second, make_user(email="mod@example.org", roles=["moderator"]), "My name is [name removed].")
    db.session.add(CommentContact(comment_id=first.id, email="hear-back@example.org"))
    with app.test_request_context():
        publish(round_, None, "A second version.")  # queues the notice
    runner.invoke(args=["send-notifications"])  # which went out before the export
    before = _snapshot(SLUG)
    # The report notice, and one for the status a progress update changed since the final plan.
    assert before["campaigns"] and before["report quotes"] and before["outbox"] == 2
    assert all(before["rows"].values()), before["rows"]
    assert ("alternative_response", "in progress", 2) in before["tracked"]
    assert any(parent for _, _, _, _, _, parent, *_ in before["comments"])  # replies keep their parents
    path = tmp_path / "round.json"

    result = runner.invoke(args=["export-round", SLUG, str(path)])
    assert result.exit_code == 0, result.output
    _empty_all_tables()
    result = runner.invoke(args=["import-round", str(path)])

    assert result.exit_code == 0, result.output
    assert _snapshot(SLUG) == before
    result = runner.invoke(args=["send-notifications"])
    assert "sent 0 notices" in result.output  # no resident hears twice


def test_import_under_a_new_slug_refuses_rows_that_exist_and_changes_nothing(app, runner, tmp_path):
    runner.invoke(args=["seed-demo"])
    path = tmp_path / "round.json"
    runner.invoke(args=["export-round", SLUG, str(path)])
    counts = (db.session.scalar(select(func.count()).select_from(Comment)),
              db.session.scalar(select(func.count()).select_from(CommentAnalysis)))

    same_slug = runner.invoke(args=["import-round", str(path)])
    copy = runner.invoke(args=["import-round", str(path), "--slug", "a-copy"])

    assert same_slug.exit_code == 1 and f"a round with the slug '{SLUG}' exists already" in same_slug.output
    assert copy.exit_code == 1 and "rows of this export are in the database already" in copy.output
    assert db.session.scalar(select(Round.id).where(Round.slug == "a-copy")) is None
    assert (db.session.scalar(select(func.count()).select_from(Comment)),
            db.session.scalar(select(func.count()).select_from(CommentAnalysis))) == counts


def test_bad_files_get_a_clear_message(app, runner, tmp_path, make_round):
    make_round(slug="existing")
    cases = {
        "not-json.json": (b"{ nope", "is not a JSON export"),
        "latin1.json": ("{\"caf\u00e9\": 1}".encode("latin-1"), "is not a JSON export"),
        "other.json": (json.dumps({"hello": 1}).encode(), "not a Civic Review round export"),
        "future.json": (json.dumps({"format": "civic-review-round", "version": 99}).encode(), "has version 99"),
        "cut.json": (json.dumps({"format": "civic-review-round", "version": 1, "tables": {}}).encode(), "incomplete or damaged"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        result = runner.invoke(args=["import-round", str(tmp_path / name)])
        assert result.exit_code == 1 and message in result.output, (name, result.output)
    assert db.session.scalar(select(func.count()).select_from(Round)) == 1


def test_export_refuses_to_overwrite_and_names_an_unknown_round(app, runner, tmp_path, make_round):
    make_round(slug="here")
    existing = tmp_path / "kept.json"
    existing.write_text("keep me")
    assert "exists; choose a new file" in runner.invoke(args=["export-round", "here", str(existing)]).output
    assert existing.read_text() == "keep me"
    assert "no round has the slug 'nowhere'" in runner.invoke(args=["export-round", "nowhere", str(tmp_path / "x.json")]).output


def test_a_review_of_a_draft_moves_alone_as_a_round_of_its_own(app, runner, tmp_path):
    runner.invoke(args=["seed-demo"])
    review = db.session.scalar(select(Round).where(Round.responds_to_id.is_not(None)))
    comments = db.session.scalar(select(func.count()).select_from(Comment).where(Comment.round_id == review.id))
    path = tmp_path / "review.json"
    assert runner.invoke(args=["export-round", review.slug, str(path)]).exit_code == 0
    _empty_all_tables()  # into another database, without the policy round it reviewed
    result = runner.invoke(args=["import-round", str(path), "--slug", "review-copy"])
    assert result.exit_code == 0, result.output
    copy = db.session.scalar(select(Round).where(Round.slug == "review-copy"))
    assert copy.responds_to_id is None and all(s.action_id is None for s in copy.sections)
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.round_id == copy.id)) == comments
