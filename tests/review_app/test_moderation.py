"""Moderators' decisions, redaction, corrections, campaigns, flags, blocks and the log."""

import json

import pytest
from sqlalchemy import func, select

from review_app.analysis.models import Campaign, CommentAnalysis, ThemeCorrection
from review_app.analysis.services import effective_themes
from review_app.comments.models import Comment
from review_app.extensions import db
from review_app.moderation import services as moderation_services
from review_app.moderation.models import Flag, ModerationLogEntry

from ..conftest import TEST_PASSWORD


@pytest.fixture
def moderator(make_user, auth):
    user = make_user(roles=["moderator"], display_name="Quentin Moderata")
    auth.login(user)
    return user


def decide(client, comment, action, reason, note=""):
    return client.post(f"/moderation/comments/{comment.id}/decide", data={"action": action, "reason": reason, "note": note})


def log_entries():
    return db.session.scalars(select(ModerationLogEntry).order_by(ModerationLogEntry.id)).all()


def test_pending_comments_wait_in_the_queue_and_approval_publishes_them(client, moderator, make_round, make_comment):
    round_ = make_round(moderation_mode="pre")
    comment = make_comment(round_, body="Waiting words", status="pending")
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "Waiting words" in queue and "Awaiting approval" in queue
    decide(client, comment, "approve", "within_guidelines")
    db.session.refresh(comment)
    assert comment.status == "published" and comment.published_at is not None
    [entry] = log_entries()
    assert (entry.action, entry.reason, entry.moderator_id, entry.comment_id) == ("approve", "within_guidelines", moderator.id, comment.id)
    assert "Waiting words" not in client.get("/moderation/").get_data(as_text=True)


def test_hiding_shows_the_reason_in_the_thread_and_to_the_author(app, client, moderator, make_round, make_comment, make_user):
    author = make_user()
    round_ = make_round()
    top = make_comment(round_, body="Rude words", author_id=author.id)
    top.thread_id = top.id
    make_comment(round_, parent=top, body="A reply")
    decide(client, top, "hide", "threats_harassment")
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "Rude words" not in page and "hidden by moderators: threats or harassment" in page
    author_browser = app.test_client()
    author_browser.post("/account/login", data={"email": author.email, "password": TEST_PASSWORD})
    mine = author_browser.get("/my/comments").get_data(as_text=True)
    assert "Hidden by moderators" in mine and "Threats or harassment" in mine


def test_reject_then_restore(client, moderator, make_round, make_comment):
    comment = make_comment(make_round(moderation_mode="pre"), body="Borderline", status="pending")
    decide(client, comment, "reject", "off_topic")
    db.session.refresh(comment)
    assert comment.status == "rejected" and comment.published_at is None
    decide(client, comment, "restore", "reviewed_again")
    db.session.refresh(comment)
    assert comment.status == "published"
    assert [e.action for e in log_entries()] == ["reject", "restore"]


@pytest.mark.parametrize(
    "status, action, reason, note, message",
    [
        ("published", "approve", "within_guidelines", "", b"does not apply to a comment that is published"),
        ("pending", "hide", "spam", "", b"does not apply to a comment that is pending"),
        ("published", "hide", "within_guidelines", "", b"Choose a reason from the list"),
        ("published", "hide", "other", "", b"Add a note"),
        ("published", "delete", "spam", "", b"Choose a decision"),
    ],
)
def test_decisions_that_do_not_apply_change_nothing(client, moderator, make_round, make_comment, status, action, reason, note, message):
    comment = make_comment(make_round(), status=status)
    response = decide(client, comment, action, reason, note)
    assert message in client.get(response.headers["Location"]).data
    db.session.refresh(comment)
    assert comment.status == status and log_entries() == []


def test_moderators_cannot_moderate_their_own_comments(client, moderator, make_round, make_comment):
    own = make_comment(make_round(moderation_mode="pre"), status="pending", author_id=moderator.id)
    response = decide(client, own, "approve", "within_guidelines")
    assert b"your own comment" in client.get(response.headers["Location"]).data
    db.session.refresh(own)
    assert own.status == "pending"


def test_officials_need_the_moderator_role(client, make_user, auth, make_round, make_comment):
    comment = make_comment(make_round(moderation_mode="pre"), status="pending")
    auth.login(make_user(roles=["official"]))
    assert decide(client, comment, "approve", "within_guidelines").status_code == 403
    auth.logout()
    auth.login(make_user(roles=["official", "moderator"]))
    assert decide(client, comment, "approve", "within_guidelines").status_code == 302
    db.session.refresh(comment)
    assert comment.status == "published"


def test_redaction_keeps_the_original_for_moderators_and_nothing_private_reaches_the_public(
    app, client, moderator, make_round, make_user
):
    round_ = make_round(moderation_mode="post")
    resident = app.test_client()
    body = "Officer Daniel Price stopped my son. Call me at 555-201-3344 about it, it was unfair."
    resident.post(f"/rounds/{round_.slug}/comments", data={"body": body, "idempotency_key": "k"})
    comment = db.session.scalar(select(Comment))
    analysis = db.session.scalar(select(CommentAnalysis))
    assert {span["kind"] for span in analysis.pii} == {"person_name", "phone"}
    assert comment.status == "held"  # in a post-moderated round too
    assert "Held: personal data found" in client.get("/moderation/?reason=held").get_data(as_text=True)

    page = client.get(f"/moderation/comments/{comment.id}").get_data(as_text=True)
    assert "[phone number removed]" in page and "[name removed]" in page  # the suggestion
    client.post(f"/moderation/comments/{comment.id}/redact",
                data={"text": "Officer [name removed] stopped my son. Call me at [phone number removed] about it, it was unfair."})
    db.session.refresh(comment)
    assert comment.body == body  # the original is kept
    for url in (f"/rounds/{round_.slug}", f"/rounds/{round_.slug}/comments/{comment.id}",
                f"/api/v1/rounds/{round_.slug}/comments", f"/rounds/{round_.slug}/moderation", "/"):
        public = resident.get(url).get_data(as_text=True)
        assert "555-201-3344" not in public and "Daniel Price" not in public, url
    assert "[phone number removed]" in resident.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert "555-201-3344" in client.get(f"/moderation/comments/{comment.id}").get_data(as_text=True)
    assert comment.status == "published"
    assert [(e.action, e.moderator_id) for e in log_entries()] == [
        ("hold", None), ("redact", moderator.id), ("approve", moderator.id)]


def test_an_empty_or_unchanged_redaction_is_refused(client, moderator, make_round, make_comment):
    comment = make_comment(make_round(), body="Call 555-201-3344")
    for text in ("", "Call 555-201-3344"):
        client.post(f"/moderation/comments/{comment.id}/redact", data={"text": text})
    db.session.refresh(comment)
    assert comment.redacted_body is None


def test_theme_corrections_are_stored_with_who_and_used_at_once(client, moderator, make_round, make_comment):
    comment = make_comment(make_round(), body="Something about buses")
    client.post(f"/moderation/comments/{comment.id}/themes", data={"themes": ["process_feedback", "community_trust"], "stance": "oppose"})
    correction = db.session.scalar(select(ThemeCorrection))
    assert correction.corrected_by_id == moderator.id and correction.created_at is not None
    assert effective_themes(comment) == (["community_trust", "process_feedback"], "oppose")
    client.post(f"/moderation/comments/{comment.id}/themes", data={"themes": ["nonsense"], "stance": "oppose"})
    assert effective_themes(comment) == (["community_trust", "process_feedback"], "oppose")


LETTER = ("I urge the Council to adopt the draft policy without weakening it. The ban on chokeholds, the duty to "
          "intervene and quarterly public data on use of force are the minimum our community deserves from this city.")


def test_copies_of_a_form_letter_become_one_campaign_that_a_moderator_confirms_or_splits(app, client, moderator, make_round):
    round_ = make_round()
    resident = app.test_client()
    for i, greeting in enumerate(["", "Dear Council, ", "Hello, ", "To whom it may concern: "]):
        resident.post(f"/rounds/{round_.slug}/comments", data={"body": greeting + LETTER, "idempotency_key": f"k{i}"})
    resident.post(f"/rounds/{round_.slug}/comments", data={"body": "Please add more patrols near the park at night.", "idempotency_key": "other"})
    comments = db.session.scalars(select(Comment).order_by(Comment.id)).all()
    campaign = db.session.scalar(select(Campaign))
    assert [c.campaign_id for c in comments] == [campaign.id] * 4 + [None]
    assert campaign.first_comment_id == comments[0].id
    assert "Form letter, 4 copies" in client.get("/moderation/").get_data(as_text=True)

    client.post(f"/moderation/campaigns/{campaign.id}/confirm")
    db.session.refresh(campaign)
    assert campaign.status == "confirmed" and campaign.confirmed_by_id == moderator.id
    client.post(f"/moderation/campaigns/{campaign.id}/split")
    db.session.refresh(campaign)
    assert campaign.status == "split"
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.campaign_id.is_not(None))) == 0
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 5  # nothing removed
    assert [e.action for e in log_entries()] == ["confirm_campaign", "split_campaign"]


def test_flags_once_per_resident_and_many_flags_move_a_comment_up(app, client, make_user, make_round, make_comment, auth):
    round_ = make_round(moderation_mode="pre")
    old_pending = make_comment(round_, body="Old pending", status="pending")
    flagged = make_comment(round_, body="Much flagged")
    flaggers = []
    for _ in range(3):
        user = make_user()
        browser = app.test_client()
        browser.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
        browser.post(f"/comments/{flagged.id}/flag", data={"reason": "threats_harassment"})
        flaggers.append(browser)
    again = flaggers[0].post(f"/comments/{flagged.id}/flag", data={"reason": "spam"}, follow_redirects=True)
    assert b"already flagged" in again.data
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 3
    assert old_pending.created_at < flagged.created_at

    moderator = make_user(roles=["moderator"])
    auth.login(moderator)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert queue.index("Much flagged") < queue.index("Old pending")
    decide(client, flagged, "hide", "threats_harassment")
    assert all(f.resolved_at is not None for f in db.session.scalars(select(Flag)))
    assert "Much flagged" not in client.get("/moderation/").get_data(as_text=True)


def test_residents_cannot_flag_their_own_or_unpublished_comments(client, make_user, auth, make_round, make_comment):
    user = make_user()
    round_ = make_round()
    own = make_comment(round_, author_id=user.id)
    pending = make_comment(round_, status="pending")
    auth.login(user)
    response = client.post(f"/comments/{own.id}/flag", data={"reason": "spam"}, follow_redirects=True)
    assert b"cannot flag your own" in response.data
    assert client.post(f"/comments/{pending.id}/flag", data={"reason": "spam"}).status_code == 404
    assert client.post(f"/comments/{make_comment(round_).id}/flag", data={"reason": "made-up"}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 0


def test_a_moderator_blocks_and_unblocks_an_account_with_a_reason(app, client, moderator, make_user, make_round):
    resident = make_user()
    round_ = make_round()
    client.post(f"/moderation/users/{resident.id}/block", data={"note": ""})
    db.session.refresh(resident)
    assert not resident.is_blocked  # a reason is required
    client.post(f"/moderation/users/{resident.id}/block", data={"note": "repeated threats"})
    db.session.refresh(resident)
    assert resident.blocked_reason == "repeated threats" and resident.blocked_by_id == moderator.id
    browser = app.test_client()
    browser.post("/account/login", data={"email": resident.email, "password": TEST_PASSWORD})
    refused = browser.post(f"/rounds/{round_.slug}/comments", data={"body": "Again.", "idempotency_key": "k"})
    assert b"Your account cannot comment: repeated threats" in refused.data  # signed in, but not commenting
    client.post(f"/moderation/users/{resident.id}/unblock", data={"note": "apologised"})
    db.session.refresh(resident)
    assert not resident.is_blocked
    assert [(e.action, e.subject_user_id) for e in log_entries()] == [("block_user", resident.id), ("unblock_user", resident.id)]


@pytest.mark.parametrize("role", ["moderator", "official", "admin"])
def test_a_moderator_cannot_block_staff(client, moderator, make_user, role):
    staff = make_user(roles=[role])
    client.post(f"/moderation/users/{staff.id}/block", data={"note": "I disagree with them"})
    db.session.refresh(staff)
    assert not staff.is_blocked and log_entries() == []


def test_a_block_set_by_an_admin_is_lifted_only_by_an_admin(client, moderator, make_user):
    resident, admin = make_user(), make_user(roles=["admin"])
    moderation_services.block_user(resident, admin, "threats, reported to the police")
    response = client.post(f"/moderation/users/{resident.id}/unblock", data={"note": "seems fine"}, follow_redirects=True)
    db.session.refresh(resident)
    assert resident.is_blocked and b"only an admin can lift it" in response.data


def test_moderators_cannot_suspend_sign_in(client, moderator, make_user):
    resident = make_user()
    assert client.post(f"/admin/users/{resident.id}/suspend", data={"reason": "spam"}).status_code == 403
    db.session.refresh(resident)
    assert not resident.is_suspended


def test_an_admin_cannot_block_or_suspend_another_admin(client, make_user, auth):
    auth.login(make_user(roles=["admin"]))
    other = make_user(roles=["admin"])
    for measure in ("block", "suspend"):
        client.post(f"/admin/users/{other.id}/{measure}", data={"reason": "a coup"})
    db.session.refresh(other)
    assert not other.is_blocked and not other.is_suspended


def test_the_log_is_append_only(moderator, make_round, make_comment):
    entry = ModerationLogEntry(action="approve", moderator_id=moderator.id, reason="within_guidelines")
    db.session.add(entry)
    db.session.commit()
    entry.note = "rewritten history"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_public_summary_counts_decisions_and_lists_removed_comments_without_text(app, client, moderator, make_round, make_comment):
    round_ = make_round(moderation_mode="pre")
    for body, action, reason in [("Spammy words", "reject", "spam"), ("Nasty words", "reject", "threats_harassment"),
                                 ("Fine words", "approve", "within_guidelines")]:
        decide(client, make_comment(round_, body=body, status="pending"), action, reason)
    page = app.test_client().get(f"/rounds/{round_.slug}/moderation").get_data(as_text=True)  # as the public
    assert "Spam or advertising" in page and "Threats or harassment" in page
    assert "Spammy words" not in page and "Nasty words" not in page
    assert "Quentin Moderata" not in page  # moderators are not named publicly


def test_a_failing_analysis_loses_no_comment_and_flask_analyse_catches_up(app, client, make_round, monkeypatch, runner):
    import review_app.analysis.services as analysis

    def broken(*args, **kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(analysis, "tagger", broken)
    round_ = make_round()
    response = client.post(f"/rounds/{round_.slug}/comments", data={"body": "Call 555-201-3344 please", "idempotency_key": "k"})
    assert response.status_code == 302 and "/comments/receipt/" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
    assert db.session.scalar(select(func.count()).select_from(CommentAnalysis)) == 0
    monkeypatch.undo()
    result = runner.invoke(args=["analyse"])
    assert "done: 1 comments analysed" in result.output
    assert db.session.scalar(select(CommentAnalysis)).pii[0]["kind"] == "phone"


def test_corrections_export_as_training_data_with_public_text(client, moderator, make_round, make_comment, runner, tmp_path):
    round_ = make_round()
    first = make_comment(round_, body="Call 555-201-3344 about buses", redacted_body="Call [phone number removed] about buses")
    second = make_comment(round_, body="Cameras everywhere")
    client.post(f"/moderation/comments/{first.id}/themes", data={"themes": ["process_feedback"], "stance": "mixed"})
    client.post(f"/moderation/comments/{first.id}/themes", data={"themes": ["community_trust"], "stance": "oppose"})
    client.post(f"/moderation/comments/{second.id}/themes", data={"themes": ["surveillance_privacy"], "stance": "oppose"})
    target = tmp_path / "corrections.jsonl"
    assert runner.invoke(args=["export-corrections", str(target)]).exit_code == 0
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [(line["themes"], line["stance"]) for line in lines] == [(["community_trust"], "oppose"), (["surveillance_privacy"], "oppose")]
    assert "555-201-3344" not in target.read_text()
    assert set(lines[0]) >= {"id", "text", "themes", "stance", "lang", "duplicate_of"}


def test_queue_filters_by_section_and_theme(client, moderator, make_round, make_comment):
    round_ = make_round(moderation_mode="pre", sections=2)
    on_first = make_comment(round_, body="About section one", status="pending", section_id=round_.sections[0].id)
    make_comment(round_, body="About section two", status="pending", section_id=round_.sections[1].id)
    db.session.add(CommentAnalysis(comment_id=on_first.id, themes=["use_of_force"], model_version="test"))
    db.session.commit()
    by_section = client.get(f"/moderation/?round={round_.id}&section={round_.sections[0].id}").get_data(as_text=True)
    assert "About section one" in by_section and "About section two" not in by_section
    by_theme = client.get("/moderation/?theme=use_of_force").get_data(as_text=True)
    assert "About section one" in by_theme and "About section two" not in by_theme
    assert client.get("/moderation/?theme=';DROP TABLE comments;--&reason=nonsense").status_code == 200


class TestFlagLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_flagging_is_rate_limited(self, client, make_user, auth, make_round, make_comment):
        round_ = make_round()
        comments = [make_comment(round_) for _ in range(21)]
        auth.login(make_user())
        statuses = [client.post(f"/comments/{c.id}/flag", data={"reason": "spam"}).status_code for c in comments]
        assert statuses[:20] == [302] * 20 and statuses[20] == 429
        assert db.session.scalar(select(func.count()).select_from(Flag)) == 20


def test_tags_the_pipeline_doubts_wait_for_review_until_a_moderator_corrects_them(client, moderator, make_round,
                                                                                    make_comment):
    from review_app.reports.summary import build_summary

    round_ = make_round()
    comment = make_comment(round_, body="They kept him on the ground far too long.")
    db.session.add(CommentAnalysis(comment_id=comment.id, themes=["use_of_force"], theme_scores={"use_of_force": 0.43},
                                   stance="unclear", model_version="t", uncertain=["use_of_force"], tags_uncertain=True))
    db.session.commit()
    assert "Tags need review" in client.get("/moderation/?reason=uncertain").get_data(as_text=True)
    assert {t.key: t.uncertain for t in build_summary(round_).themes}["use_of_force"] == 1
    assert "needs review" in client.get(f"/reports/{round_.slug}/themes/use_of_force").get_data(as_text=True)

    client.post(f"/moderation/comments/{comment.id}/themes", data={"themes": ["use_of_force"], "stance": "oppose"})
    assert "They kept him on the ground" not in client.get("/moderation/?reason=uncertain").get_data(as_text=True)
    assert {t.key: t.uncertain for t in build_summary(round_).themes}["use_of_force"] == 0


def test_a_correction_made_in_the_app_teaches_the_next_model(client, moderator, make_round, make_comment, runner,
                                                              tmp_path):
    """Correct in the moderation page, export with `flask export-corrections`, retrain with
    `python -m nlp train --extra`: the new model tags what the moderators taught it."""
    from nlp import load_pipeline
    from nlp.train import train

    round_ = make_round()
    for number in range(30):
        comment = make_comment(round_, body=f"The zorbleflex pilot on block {number} has me worried, honestly.")
        client.post(f"/moderation/comments/{comment.id}/themes", data={"themes": ["surveillance_privacy"], "stance": "oppose"})
    corrections = tmp_path / "corrections.jsonl"
    assert runner.invoke(args=["export-corrections", str(corrections)]).exit_code == 0
    train([corrections], output=tmp_path / "model", log=lambda line: None)
    assert "surveillance_privacy" in load_pipeline(model_dir=tmp_path / "model").tag("Stop the zorbleflex pilot.")["themes"]
    assert "surveillance_privacy" not in load_pipeline().tag("Stop the zorbleflex pilot.")["themes"]
